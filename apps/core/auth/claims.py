"""What verified claims say about the caller: permissions, profile, roles.

Used by the API (access tokens) and the admin sign-in (ID tokens) alike, so
both read a user the same way.
"""

from django.conf import settings

from apps.core.api.serializers import INVISIBLE_FORMAT_CHARACTERS
from apps.core.auth.tokens import InvalidToken
from apps.core.db import storable
from apps.core.permissions import Grants

# The user fields a token may update, with the standard OIDC claims they come
# from, and the column limits they are cut to.
PROFILE_CLAIMS = {
    "email": ("email", 254),
    "first_name": ("given_name", 150),
    "last_name": ("family_name", 150),
}
# Fields never cut: an email address cut to its column is another address (or
# none), so a longer claim changes nothing, as an unstorable one does.
WHOLE_OR_NOT_AT_ALL = frozenset({"email"})


# Auth0's mark on a machine-to-machine token (client credentials, no user).
MACHINE_GRANT = "client-credentials"


def grants_from_claims(claims: dict) -> Grants:
    """Auth0 RBAC's `permissions` claim (missing = none); for a machine-to-machine
    token, the words of its `scope` too, where Auth0 puts what the client was
    granted. A user's `scope` is what their app asked for, which a tenant
    without RBAC grants whatever it is: it grants nothing here."""
    permissions = claims.get("permissions", [])
    scope = claims.get("scope", "")
    if not isinstance(permissions, list) or not all(isinstance(p, str) for p in permissions):
        raise InvalidToken(
            "The token's 'permissions' claim must be a list of strings.", "invalid_claim"
        )
    if not isinstance(scope, str):
        raise InvalidToken("The token's 'scope' claim must be a string.", "invalid_claim")
    granted = frozenset(permissions)
    if claims.get("gty") == MACHINE_GRANT:
        granted |= frozenset(scope.split())
    return Grants(granted)


def profile_from_claims(claims: dict) -> dict[str, str]:
    """The user fields the claims carry, as `_profile_text` reads them.
    Claims that are absent, empty, not strings or not text a database stores
    (a NUL, a lone surrogate) change nothing, nor does an email longer than
    its column (254 characters); a longer name is cut to its column. Without
    given/family names, `name` goes whole into the first name (splitting
    names is guesswork)."""
    profile = {}
    for field, (claim, limit) in PROFILE_CLAIMS.items():
        value = _profile_text(claims.get(claim))
        if value is None or (len(value) > limit and field in WHOLE_OR_NOT_AT_ALL):
            continue
        profile[field] = value[:limit]
    name = _profile_text(claims.get("name"))
    has_parts = "first_name" in profile or "last_name" in profile
    # Auth0 puts the email into `name` when it knows no name; that is no name.
    if not has_parts and name is not None and name != claims.get("email"):
        profile["first_name"] = name[:150]
        profile["last_name"] = ""
    return profile


def _profile_text(value) -> str | None:
    """A claim's text as a user's profile keeps it: without the invisible
    characters no single-line text of the suite holds (`INVISIBLE_FORMAT_CHARACTERS`:
    a name shown as an author must look like what it is) nor surrounding
    space; None when that leaves nothing, or it is no text a database stores."""
    if not isinstance(value, str) or not storable(value):
        return None
    return INVISIBLE_FORMAT_CHARACTERS.sub("", value).strip() or None


def roles_from_claims(claims: dict) -> set[str]:
    """The roles in the AUTH0_ROLES_CLAIM claim (a list, or one string)."""
    roles = claims.get(settings.AUTH0_ROLES_CLAIM, [])
    if isinstance(roles, str):
        return {roles}
    if isinstance(roles, list):
        return {role for role in roles if isinstance(role, str)}
    return set()
