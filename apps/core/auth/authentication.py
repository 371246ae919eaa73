"""DRF authentication with Auth0 access tokens.

Only `Authorization: Bearer <token>` is read; a token in the query string or
a cookie is never looked at. A valid token makes `request.user` the Django
user of its `sub` and `request.auth` the `Grants` its permissions carry.
"""

import re
from functools import partial

from django.conf import settings
from django.db import transaction
from rest_framework import status
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import APIException, AuthenticationFailed

from apps.core.auth import jwks
from apps.core.auth.claims import grants_from_claims
from apps.core.auth.token_cache import verified_tokens
from apps.core.auth.tokens import AuthNotConfigured, InvalidToken, verify_access_token
from apps.core.auth.users import user_written_for_claims

REALM = "api"
# RFC 6750 §3: the characters an error_description may hold.
_NOT_DESCRIPTION_CHARACTERS = re.compile(r"[^\x20-\x21\x23-\x5b\x5d-\x7e]")


class AuthenticationUnavailable(APIException):
    """Tokens cannot be verified right now (no signing keys, or no settings).
    A server-side problem: 503, never 401 or 500."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Sign-in is unavailable right now; try again shortly."
    default_code = "auth_unavailable"

    def __init__(self, detail=None, retry_after: int | None = None):
        super().__init__(detail)
        # DRF's exception handler turns `wait` into a Retry-After header.
        self.wait = retry_after


class BearerTokenError(AuthenticationFailed):
    """A 401 whose WWW-Authenticate header carries an RFC 6750 error."""

    def __init__(self, detail: str, code: str, error: str = "invalid_token"):
        super().__init__(detail, code)
        self.error = error


class Auth0JWTAuthentication(BaseAuthentication):
    """`Authorization: Bearer <Auth0 access token>` → (user, Grants)."""

    def authenticate(self, request):
        token = self._bearer_token(request)
        if token is None:
            return None
        cached = verified_tokens.get(token)
        if cached is not None:
            return cached
        try:
            claims = verify_access_token(token)
            grants = grants_from_claims(claims)
        except InvalidToken as exc:
            raise self._fail(request, BearerTokenError(str(exc), exc.code)) from None
        except AuthNotConfigured as exc:
            raise AuthenticationUnavailable(str(exc)) from None
        except jwks.KeySetUnavailable:
            raise AuthenticationUnavailable(
                "Sign-in is unavailable: Auth0's signing keys could not be fetched. "
                "Try again shortly.",
                retry_after=settings.AUTH0_JWKS_RETRY_SECONDS,
            ) from None
        user, written = user_written_for_claims(claims)
        if not user.is_active:
            raise self._fail(
                request, BearerTokenError("This user account is deactivated.", "user_inactive")
            )
        remember = partial(verified_tokens.put, token, user, grants, expires_at=claims["exp"])
        if written and transaction.get_connection().in_atomic_block:
            # A user a write request created is the request's until it commits:
            # a refused write rolls it back, and the cache must not go on
            # answering with a user no row has (every later write a 500).
            transaction.on_commit(remember)
        else:
            remember()
        return user, grants

    def authenticate_header(self, request):
        error = getattr(request, "bearer_token_error", None)
        if error is None:
            return f'Bearer realm="{REALM}"'
        description = _NOT_DESCRIPTION_CHARACTERS.sub("", str(error.detail))
        return f'Bearer realm="{REALM}", error="{error.error}", error_description="{description}"'

    def _bearer_token(self, request) -> str | None:
        scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        token = token.strip()
        if not token or " " in token:
            raise self._fail(
                request,
                BearerTokenError(
                    "Malformed Authorization header: expected 'Bearer <access token>'.",
                    "malformed_header",
                    error="invalid_request",
                ),
            )
        return token

    @staticmethod
    def _fail(request, error: BearerTokenError) -> BearerTokenError:
        request.bearer_token_error = error
        return error
