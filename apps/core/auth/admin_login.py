"""The Django admin's sign-in page: "Sign in with Auth0" when an Auth0
application is configured, and the local password form when
ADMIN_PASSWORD_LOGIN turns it on (off, the form is hidden and a posted
password is refused, here and in the authentication backend). Repeated
failures lock a username from one address, an address, or (many more) a
username from anywhere out for a while (sign_in_limits.py);
every sign-in, failed or not, is logged with the username, the client's
address and the request's id."""

import logging

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import ValidationError
from django.dispatch import receiver

from apps.core.auth import sign_in_limits

logger = logging.getLogger(__name__)

AUTH0_BACKEND_NAME = "auth0_openidconnect"


class AdminLoginForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "password_login_disabled": (
            "Password sign-in is turned off on this server. Use “Sign in with Auth0”."
        ),
        "locked_out": (
            "Too many failed sign-ins for this username or from this address. "
            "Try again in %(minutes)s minutes."
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
        username = self.cleaned_data.get("username") or ""
        if sign_in_limits.is_locked_out(self.request, username):
            logger.warning(
                "Admin sign-in refused, too many failures: username %r, address %s, request %s",
                username,
                sign_in_limits.client_address(self.request),
                getattr(self.request, "id", None),
            )
            raise ValidationError(
                self.error_messages["locked_out"],
                code="locked_out",
                params={"minutes": max(1, settings.ADMIN_LOGIN_LOCKOUT_SECONDS // 60)},
            )
        return super().clean()


class PasswordBackend(ModelBackend):
    """Django's model backend (it also answers staff users' permission
    checks), with password sign-in switched by ADMIN_PASSWORD_LOGIN."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.ADMIN_PASSWORD_LOGIN:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed)
def count_and_log_failure(sender, credentials, request=None, **kwargs):
    """A password that did not sign in (a failed Auth0 sign-in has no username)."""
    username = credentials.get("username")
    if username is None:
        return
    sign_in_limits.record_failure(request, username)
    logger.warning(
        "Admin sign-in failed: username %r, address %s, request %s",
        username,
        sign_in_limits.client_address(request),
        getattr(request, "id", None),
    )


@receiver(user_logged_in)
def log_sign_in(sender, request, user, **kwargs):
    sign_in_limits.forget_failures(request, user.get_username())
    logger.info(
        "Admin sign-in: username %r, address %s, request %s, through %s",
        user.get_username(),
        sign_in_limits.client_address(request),
        getattr(request, "id", None),
        getattr(user, "backend", "?"),
    )
