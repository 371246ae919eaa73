"""Steps of the admin's Auth0 sign-in (social-auth pipeline, SOCIAL_AUTH_PIPELINE).

The user is found by the Auth0 `sub`, exactly as the API finds it, so the
admin user and the API user of one person are one Django user. Staff and
superuser status follow the roles claim at every sign-in: granted when the
role is there, revoked when it is gone.
"""

from django.conf import settings
from social_core.exceptions import AuthAssociationError

from apps.core.auth.claims import roles_from_claims
from apps.core.auth.users import user_for_claims


def sign_in_claims(backend, uid, response) -> dict:
    """The claims of this sign-in: the UserInfo answer, overridden by the
    validated ID token's claims where the backend has them."""
    id_token = getattr(backend, "id_token", None) or {}
    return {**(response or {}), **id_token, "sub": str(uid)}


def user_by_external_id(backend, uid, response=None, user=None, social=None, *args, **kwargs):
    """Replaces social-auth's own user lookup and creation: `external_id` is
    the one key. A stored association pointing elsewhere is repointed."""
    found = user_for_claims(sign_in_claims(backend, uid, response))
    if user is not None and user.is_authenticated and user.pk != found.pk:
        # Someone else is signed in in this browser; they must sign out first.
        raise AuthAssociationError(backend, code="identity_in_use", stage="pipeline")
    if social is not None and social.user_id != found.pk:
        social.user = found
        social.save(update_fields=["user"])
    return {"user": found, "social": social}


def apply_admin_roles(backend, uid, user=None, response=None, *args, **kwargs):
    """is_staff / is_superuser from the roles claim (AUTH0_ROLES_CLAIM):
    AUTH0_SUPERUSER_ROLE makes a superuser (and staff), AUTH0_STAFF_ROLE staff."""
    if user is None:
        return
    roles = roles_from_claims(sign_in_claims(backend, uid, response))
    is_superuser = settings.AUTH0_SUPERUSER_ROLE in roles
    is_staff = is_superuser or settings.AUTH0_STAFF_ROLE in roles
    if (user.is_staff, user.is_superuser) != (is_staff, is_superuser):
        user.is_staff, user.is_superuser = is_staff, is_superuser
        user.save(update_fields=["is_staff", "is_superuser"])
