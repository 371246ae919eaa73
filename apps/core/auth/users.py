"""The Django user of an Auth0 subject (`sub`).

`User.external_id` holds the `sub` and is the only key used to find a user;
email and name are updated from the claims but never used to look anyone up.
The API and the admin sign-in both come here, so one person is one user.
"""

import hashlib
import re

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from apps.core.auth.claims import profile_from_claims

USERNAME_MAX_LENGTH = 150
_NOT_USERNAME_CHARACTERS = re.compile(r"[^\w.@+-]")


def user_for_claims(claims: dict):
    """The user with `external_id == claims["sub"]`, created on first sight.

    Costs one query for a known user whose profile is unchanged; writes only
    when it creates the user or a claim changed a field.
    """
    return user_written_for_claims(claims)[0]


def user_written_for_claims(claims: dict) -> tuple[object, bool]:
    """`(user, written)`: `user_for_claims()`'s user, and whether finding it
    wrote its row (created it, or updated its profile). Within a write
    request's transaction that row is only the request's until it commits."""
    subject = claims["sub"]
    profile = profile_from_claims(claims)
    user = get_user_model().objects.filter(external_id=subject).first()
    if user is None:
        user, created = _create_user(subject, profile)
        if created:
            return user, True
    changed = [field for field, value in profile.items() if getattr(user, field) != value]
    if changed:
        for field in changed:
            setattr(user, field, profile[field])
        user.save(update_fields=changed)
    return user, bool(changed)


def _create_user(subject: str, profile: dict) -> tuple[object, bool]:
    """Create the user in a transaction of its own (a savepoint within a
    write request's, whose fate it shares). When two first requests race,
    the unique `external_id` lets one insert win and the other finds its row."""
    User = get_user_model()
    last_error = None
    for username in _usernames_for(subject):
        user = User(username=username, external_id=subject, **profile)
        user.set_unusable_password()
        try:
            with transaction.atomic():
                user.save(force_insert=True)
            return user, True
        except IntegrityError as exc:
            last_error = exc
            existing = User.objects.filter(external_id=subject).first()
            if existing is not None:
                return existing, False
            # Otherwise the username belongs to someone else: try the next one.
    raise last_error


def _usernames_for(subject: str) -> list[str]:
    """A readable username derived from the subject (`auth0|abc` → `auth0.abc`),
    then one made unique by a hash of it, for the rare clash with a local user."""
    readable = _NOT_USERNAME_CHARACTERS.sub(".", subject)
    suffix = "-" + hashlib.sha256(subject.encode()).hexdigest()[:10]
    return [
        readable[:USERNAME_MAX_LENGTH],
        readable[: USERNAME_MAX_LENGTH - len(suffix)] + suffix,
    ]
