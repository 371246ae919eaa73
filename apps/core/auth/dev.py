"""DEV_MODE: every API request is the configured dev user with every permission.

Only ever active with DEBUG on; `apps.core.checks.check_dev_mode` stops the
process otherwise.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from rest_framework.authentication import BaseAuthentication

from apps.core.permissions import Grants


def get_dev_user():
    user, _ = get_user_model().objects.get_or_create(
        username=settings.DEV_USER,
        defaults={
            "email": f"{settings.DEV_USER}@localhost",
            "first_name": "Dev",
            "last_name": "User",
        },
    )
    return user


class DevModeAuthentication(BaseAuthentication):
    def authenticate(self, request):
        if not (settings.DEV_MODE and settings.DEBUG):
            return None
        return get_dev_user(), Grants.everything()

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
