"""When the shared cache (Redis) cannot serve: the rate limit lets requests
through uncounted, tokens verify with the key set in the process's memory,
readiness says the suite is degraded, and a Redis that stops answering
costs a second, not the worker."""

import logging
import socket
import threading
import time

import pytest
from auth0_fakes import ME_URL, bearer

from apps.core.api import throttles
from apps.core.auth import jwks
from apps.core.auth.token_cache import verified_tokens

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


def a_closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down(redis_at):
    """A Redis whose port refuses connections."""
    redis_at(a_closed_port())


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


def a_new_token_checked(client, make_token, subject: str) -> int:
    """The status of a request with a token this process has not verified yet."""
    verified_tokens.clear()
    return client.get(ME_URL, headers=bearer(make_token({"sub": subject}))).status_code


def test_with_redis_down_tokens_verify_with_the_key_set_in_the_process_memory(
    client, make_token, auth0, redis_at, caplog
):
    assert a_new_token_checked(client, make_token, "auth0|before") == 200
    redis_at(a_closed_port())
    with caplog.at_level(logging.WARNING, logger="apps.core.auth.jwks"):
        statuses = [a_new_token_checked(client, make_token, f"auth0|{n}") for n in range(3)]
    assert statuses == [200, 200, 200]
    assert auth0.jwks_fetches == 1  # the process's copy, not Auth0 again
    [warning] = [r.getMessage() for r in caplog.records if r.name == "apps.core.auth.jwks"]
    assert "shared cache is unreachable" in warning  # then the cache is left alone for 5 s


def test_with_redis_down_an_old_copy_is_refreshed_as_the_cache_would_be(
    client, make_token, auth0, redis_at, settings
):
    """The copy is used for AUTH0_JWKS_CACHE_SECONDS, then refreshed by the
    process at most once per cooldown; kept when Auth0 fails too."""
    assert a_new_token_checked(client, make_token, "auth0|before") == 200
    redis_at(a_closed_port())
    settings.AUTH0_JWKS_CACHE_SECONDS = 0
    auth0.publish("tenant-key-1", "tenant-key-2")
    rotated = client.get(ME_URL, headers=bearer(make_token(key="tenant-key-2")))
    assert rotated.status_code == 200
    assert a_new_token_checked(client, make_token, "auth0|cooldown") == 200
    assert auth0.jwks_fetches == 2
    auth0.down = True
    jwks._store.memory.delete(jwks._CacheKeys(auth0.jwks_url).refetch_marker)
    assert a_new_token_checked(client, make_token, "auth0|auth0-down") == 200
    assert auth0.jwks_fetches == 3


def test_with_redis_down_a_process_with_no_copy_fetches_one_itself(
    client, make_token, auth0, redis_down
):
    assert a_new_token_checked(client, make_token, "auth0|fresh-process") == 200
    assert a_new_token_checked(client, make_token, "auth0|next") == 200
    assert auth0.jwks_fetches == 1


def test_with_redis_down_and_auth0_too_a_process_with_no_copy_answers_503(
    client, make_token, auth0, redis_down
):
    auth0.down = True
    response = client.get(ME_URL, headers=bearer(make_token()))
    assert response.status_code == 503
    assert response.json()["code"] == "auth_unavailable"


def test_with_redis_down_readiness_says_degraded_and_why(client, redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="apps.core.health"):
        response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "cache": "unavailable"}
    [warning] = [r.getMessage() for r in caplog.records if r.name == "apps.core.health"]
    assert "shared cache is unreachable: ConnectionError" in warning
