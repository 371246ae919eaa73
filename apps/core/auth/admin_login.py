"""The Django admin's sign-in page: "Sign in with Auth0" when an Auth0
application is configured, and the local password form unless
ADMIN_PASSWORD_LOGIN turns it off (then the form is hidden and a posted
password is refused, here and in the authentication backend)."""

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

AUTH0_BACKEND_NAME = "auth0_openidconnect"


class AdminLoginForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "password_login_disabled": (
            "Password sign-in is turned off on this server. Use “Sign in with Auth0”."
        ),
    }

    @property
    def password_login(self) -> bool:
        return settings.ADMIN_PASSWORD_LOGIN

    @property
    def auth0_login(self) -> bool:
        return bool(settings.SOCIAL_AUTH_AUTH0_OPENIDCONNECT_KEY)

    @property
    def auth0_backend(self) -> str:
        return AUTH0_BACKEND_NAME

    def clean(self):
        if not settings.ADMIN_PASSWORD_LOGIN:
            raise ValidationError(
                self.error_messages["password_login_disabled"], code="password_login_disabled"
            )
        return super().clean()


class PasswordBackend(ModelBackend):
    """Django's model backend (it also answers staff users' permission
    checks), with password sign-in switched by ADMIN_PASSWORD_LOGIN."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.ADMIN_PASSWORD_LOGIN:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
