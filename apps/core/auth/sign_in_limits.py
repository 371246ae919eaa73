"""Failed admin password sign-ins, counted per username and per client
address in the shared cache: past `ADMIN_LOGIN_FAILURES_PER_USERNAME` (or
`…_PER_ADDRESS`) failures, that username (or address) may not sign in with a
password until `ADMIN_LOGIN_LOCKOUT_SECONDS` have passed since its first
failure. A sign-in that succeeds forgets its username's failures (not its
address's: one good account must not buy an address more guesses).

The address is the client's as the API's rate limits see it (DRF's
`get_ident`: X-Forwarded-For, else the peer's)."""

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

KEY_PREFIX = "admin-sign-in-failures"


def client_address(request) -> str:
    return BaseThrottle().get_ident(request) if request is not None else ""


def _keys(request, username: str) -> list[tuple[str, int]]:
    """Each counter that applies, with its limit."""
    keys = [
        (
            f"{KEY_PREFIX}:username:{username.strip().casefold()}",
            settings.ADMIN_LOGIN_FAILURES_PER_USERNAME,
        )
    ]
    if address := client_address(request):
        keys.append((f"{KEY_PREFIX}:address:{address}", settings.ADMIN_LOGIN_FAILURES_PER_ADDRESS))
    return keys


def is_locked_out(request, username: str) -> bool:
    keys = _keys(request, username)
    counts = cache.get_many([key for key, _ in keys])
    return any(counts.get(key, 0) >= limit for key, limit in keys)


def record_failure(request, username: str) -> None:
    for key, _ in _keys(request, username):
        # The window opens at the first failure and is not moved by later ones.
        if not cache.add(key, 1, timeout=settings.ADMIN_LOGIN_LOCKOUT_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between the two calls
                cache.add(key, 1, timeout=settings.ADMIN_LOGIN_LOCKOUT_SECONDS)


def forget_failures(username: str) -> None:
    cache.delete(_keys(None, username)[0][0])
