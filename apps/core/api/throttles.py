"""Rate limits: DRF's per-user and anonymous throttles, counted in O(1).

DRF's own throttles keep, per caller, the list of every request time in the
window and write it back to the cache on each request: at 1,000 requests a
minute that is a list of 1,000 floats read, trimmed and pickled per request.
These count instead — one integer per caller and window, in the shared cache
(one round trip to Redis) — with the same rates (`API_THROTTLE_USER` /
`API_THROTTLE_ANON`), per the same callers, and the same 429 with
`Retry-After`. An anonymous caller is an address: the connection's, or behind
`NUM_PROXIES` proxies the one they report (DRF's `get_ident`), never an
`X-Forwarded-For` a client wrote itself (docs/deployment.md).

Windows are fixed (a minute starts on the minute): a caller may spend the
end of one window and the start of the next back to back, at most twice the
rate in one window's length — the usual trade of counting limiters.

When the shared cache cannot be reached, requests go through uncounted (as
rate limiters usually fail open): a Redis outage must not take the API down
with it. After a failure a process counts nothing for `UNCOUNTED_SECONDS`
before it tries again, so a Redis that stops answering costs one request its
socket timeout, not every request; each failure is logged.
"""

import logging
import time
from weakref import WeakKeyDictionary

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache import cache as default_cache
from django.core.cache.backends.redis import RedisCache
from rest_framework import throttling

from apps.core.shared_cache import CACHE_UNREACHABLE

logger = logging.getLogger(__name__)
# Seconds a process lets requests through uncounted after the cache failed.
UNCOUNTED_SECONDS = 5


class CountingRateThrottle(throttling.SimpleRateThrottle):
    """A `SimpleRateThrottle` (same rates, scopes and cache keys) that counts."""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        now = int(self.timer())
        window_start = now - now % self.duration
        self.wait_seconds = window_start + self.duration - now
        if time.monotonic() < _uncounted_until:
            return True
        try:
            count = self._count(f"{key}:{window_start}")
        except CACHE_UNREACHABLE as exc:
            _count_nothing_for_a_while(exc)
            return True
        return count <= self.num_requests

    def _count(self, key: str) -> int:
        """This request's number in its window."""
        cache = self._cache_backend()
        if isinstance(cache, RedisCache):
            return self._count_in_redis(cache, key)
        try:
            return cache.incr(key)
        except ValueError:  # the window's first request, or a race to be it
            if cache.add(key, 1, self.duration + 1):
                return 1
            return cache.incr(key)

    def _cache_backend(self):
        """DRF's `cache` is Django's `cache`, a proxy to this thread's default
        backend: the backend itself says whether it is Redis."""
        if self.cache is default_cache:
            return caches[DEFAULT_CACHE_ALIAS]
        return self.cache

    def _count_in_redis(self, cache: RedisCache, key: str) -> int:
        """One round trip: INCR, and the window's expiry set by its first request.
        (Django's own `incr` asks EXISTS first, and `add` is a third call.)"""
        key = cache.make_and_validate_key(key)
        pipeline = _redis_client(cache).pipeline(transaction=False)
        pipeline.incr(key)
        pipeline.expire(key, self.duration + 1, nx=True)
        count, _ = pipeline.execute()
        return count

    def wait(self):
        return max(self.wait_seconds, 1)


_uncounted_until = 0.0  # time.monotonic()


def _count_nothing_for_a_while(exc: Exception):
    global _uncounted_until
    _uncounted_until = time.monotonic() + UNCOUNTED_SECONDS
    logger.warning(
        "The shared cache is unreachable (%s): requests go through uncounted for %d s.",
        exc,
        UNCOUNTED_SECONDS,
    )


# One redis-py client per cache backend (a client is thread-safe; its pool is the
# backend's): Django's `get_client()` makes a new one on every call, copying some
# 170 reply handlers into a new dict each time: 83 of a check's 162 µs of CPU.
_redis_clients: WeakKeyDictionary = WeakKeyDictionary()


def _redis_client(cache: RedisCache):
    client = _redis_clients.get(cache)
    if client is None:
        client = _redis_clients[cache] = cache._cache.get_client(write=True)
    return client


class RefusedDeliveryThrottle(CountingRateThrottle):
    """Refused webhook deliveries, per sending address (scope
    `webhook_refusals`, `WEBHOOK_REFUSALS_THROTTLE`). Asked only once a
    delivery is refused, so it counts refusals alone: a delivery signed with
    the source's secret is never held back, whoever else sends garbage."""

    scope = "webhook_refusals"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserRateThrottle(CountingRateThrottle, throttling.UserRateThrottle):
    """Per user (per address for anonymous callers), scope `user`."""


class AnonRateThrottle(CountingRateThrottle, throttling.AnonRateThrottle):
    """Per address, for anonymous callers only, scope `anon`."""
