"""When the shared cache (Redis) cannot serve: the rate limit lets requests
through uncounted, a token that needs Auth0's keys is a 503 that says why,
and a Redis that stops answering costs a second, not the worker."""

import logging
import socket
import threading
import time

import pytest
from auth0_fakes import ME_URL, bearer

from apps.core.api import throttles

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rate_limited(monkeypatch):
    """A user rate limit, as production has; and a failure that makes this
    process count nothing for a while is not carried past the test."""
    monkeypatch.setitem(throttles.UserRateThrottle.THROTTLE_RATES, "user", "1000/min")
    monkeypatch.setattr(throttles, "_uncounted_until", 0.0)


@pytest.fixture
def redis_at(settings):
    """`redis_at(port, **options)` makes the default cache a Redis there,
    until the test ends (before the auth fixtures empty the cache)."""
    original = settings.CACHES

    def at(port: int, **options):
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
                "OPTIONS": options,
            }
        }

    yield at
    settings.CACHES = original


@pytest.fixture
def redis_down(redis_at):
    """A Redis whose port refuses connections."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    redis_at(port)


@pytest.fixture
def redis_hung(redis_at):
    """A Redis that accepts connections and never answers, its client's
    socket timeout a fifth of a second."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept)
    thread.start()
    redis_at(listener.getsockname()[1], socket_timeout=0.2)
    yield
    stop.set()
    thread.join(5)
    for connection in accepted:
        connection.close()
    listener.close()


def test_with_redis_down_the_rate_limit_lets_requests_through_and_says_so(api, redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="apps.core.api.throttles"):
        statuses = [api.get("/api/v1/components/components/").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    warnings = [r.getMessage() for r in caplog.records if r.name == "apps.core.api.throttles"]
    assert len(warnings) == 1  # then nothing is counted, or tried, for a while
    assert "requests go through uncounted for 5 s" in warnings[0]


def test_after_the_pause_the_rate_limit_tries_the_cache_again(api, redis_down, monkeypatch):
    calls = []
    real_count = throttles.CountingRateThrottle._count

    def count(self, key):
        calls.append(key)
        return real_count(self, key)

    monkeypatch.setattr(throttles.CountingRateThrottle, "_count", count)
    api.get("/api/v1/components/components/")
    api.get("/api/v1/components/components/")
    assert len(calls) == 1
    monkeypatch.setattr(throttles, "_uncounted_until", time.monotonic() - 1)
    api.get("/api/v1/components/components/")
    assert len(calls) == 2


def test_a_redis_that_stops_answering_costs_one_request_its_socket_timeout(api, redis_hung):
    started = time.monotonic()
    assert api.get("/api/v1/components/components/").status_code == 200
    first = time.monotonic() - started
    started = time.monotonic()
    for _ in range(5):
        assert api.get("/api/v1/components/components/").status_code == 200
    rest = time.monotonic() - started
    assert 0.2 <= first < 2
    assert rest < 0.2 * 5


def test_with_redis_down_a_token_needing_auth0s_keys_is_a_503_to_retry(
    client, make_token, redis_down
):
    response = client.get(ME_URL, headers=bearer(make_token()))
    assert response.status_code == 503
    assert response.json() == {
        "detail": "The shared cache (which holds Auth0's signing keys) is unavailable; "
        "retry shortly.",
        "code": "cache_unavailable",
        "errors": {},
    }
    assert response["Retry-After"] == "5"
