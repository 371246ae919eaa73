"""Failed admin password sign-ins, counted in the shared cache three ways,
as django-axes and OWASP advise against both guessing and lockout abuse:

- per username *and* client address, the tight limit
  (`ADMIN_LOGIN_FAILURES_PER_USERNAME_AND_ADDRESS`): it stops one client
  guessing one admin's password, and locks out only that client, so a
  stranger who knows an admin's username cannot lock the admin out;
- per address (`…_PER_ADDRESS`), whatever the usernames: one client guessing
  many accounts' passwords;
- per username from anywhere (`…_PER_USERNAME_ANYWHERE`), much higher: a
  guess of one password spread over many addresses. It is the one limit
  a stranger can still trip for someone else, and only from that many
  failures spread over several addresses, each under its own limit.

Past a limit, the username (with that address), the address or the
username is refused until `ADMIN_LOGIN_LOCKOUT_SECONDS` have passed since
its first failure. A sign-in that succeeds forgets its username's failures
(not its address's: one good account must not buy an address more guesses).

The address is the client's as the API's rate limits see it (DRF's
`get_ident`: X-Forwarded-For, else the peer's). While the shared cache does
not answer, nothing is counted and nobody is locked out (logged), as the
API's rate limits let requests through: a Redis outage must not lock every
admin out, nor turn their sign-in into an error page."""

import logging
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger(__name__)

KEY_PREFIX = "admin-sign-in-failures"


@contextmanager
def _uncounted_if_unreachable():
    # Imported when first needed: this module is loaded early (by the admin), and the API's
    # error handling loads DRF's views, whose throttles (apps/core/api/throttles.py) import it back.
    from apps.core.api.exceptions import CACHE_UNREACHABLE

    try:
        yield
    except CACHE_UNREACHABLE as exc:
        logger.warning(
            "Admin sign-in failures not counted: the shared cache does not answer: %s", exc
        )


def client_address(request) -> str:
    return BaseThrottle().get_ident(request) if request is not None else ""


def _username_keys(username: str, address: str) -> list[tuple[str, int]]:
    """The counters of a username, with their limits: from anywhere, and from this address."""
    username = username.strip().casefold()
    keys = [
        (
            f"{KEY_PREFIX}:username:{username}",
            settings.ADMIN_LOGIN_FAILURES_PER_USERNAME_ANYWHERE,
        )
    ]
    if address:
        keys.append(
            (
                f"{KEY_PREFIX}:username-address:{username}:{address}",
                settings.ADMIN_LOGIN_FAILURES_PER_USERNAME_AND_ADDRESS,
            )
        )
    return keys


def _keys(request, username: str) -> list[tuple[str, int]]:
    """Each counter that applies, with its limit."""
    address = client_address(request)
    keys = _username_keys(username, address)
    if address:
        keys.append((f"{KEY_PREFIX}:address:{address}", settings.ADMIN_LOGIN_FAILURES_PER_ADDRESS))
    return keys


def is_locked_out(request, username: str) -> bool:
    keys = _keys(request, username)
    counts = {}
    with _uncounted_if_unreachable():
        counts = cache.get_many([key for key, _ in keys])
    return any(counts.get(key, 0) >= limit for key, limit in keys)


def record_failure(request, username: str) -> None:
    with _uncounted_if_unreachable():
        for key, _ in _keys(request, username):
            # The window opens at the first failure and is not moved by later ones.
            if not cache.add(key, 1, timeout=settings.ADMIN_LOGIN_LOCKOUT_SECONDS):
                try:
                    cache.incr(key)
                except ValueError:  # expired between the two calls
                    cache.add(key, 1, timeout=settings.ADMIN_LOGIN_LOCKOUT_SECONDS)


def forget_failures(request, username: str) -> None:
    with _uncounted_if_unreachable():
        cache.delete_many([key for key, _ in _username_keys(username, client_address(request))])
