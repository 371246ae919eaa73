"""Who may read the API's description: `/api/schema/` and its two browsers,
`/api/docs/` (Swagger UI) and `/api/redoc/`. Anyone when `API_DOCS_PUBLIC`
is on; else whoever the API itself lets in (an Auth0 access token, or
DEV_MODE), and the admin's signed-in staff, whose browser has no token but
the admin's session. An anonymous browser asking for one of the two pages is
sent to the admin's sign-in, and back (`SignInToRead`); the schema answers
401. drf-spectacular's views take these classes from SPECTACULAR_SETTINGS
(`SERVE_AUTHENTICATION`, `SERVE_PERMISSIONS`), so this module must not import
them."""

from importlib import import_module

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission


class AdminSessionAuthentication(BaseAuthentication):
    """The admin's signed-in staff member, by the session cookie. The API's
    paths run without the session middleware (apps/core/middleware.py), so
    the session is read here; only reading the documentation trusts it (a
    GET that changes nothing, so no CSRF check is needed)."""

    def authenticate(self, request):
        key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if not key:
            return None
        page_request = request._request
        page_request.session = import_module(settings.SESSION_ENGINE).SessionStore(key)
        user = auth.get_user(page_request)
        if user.is_active and user.is_staff:
            return (user, None)
        return None


class CanReadApiDocs(BasePermission):
    def has_permission(self, request, view):
        return settings.API_DOCS_PUBLIC or bool(request.user and request.user.is_authenticated)


class SignInToRead:
    """A documentation page: an anonymous reader signs in to the admin first."""

    def handle_exception(self, exc):
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            return redirect_to_login(self.request.get_full_path(), reverse("admin:login"))
        return super().handle_exception(exc)
