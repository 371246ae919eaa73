"""Rate limits: per user and per anonymous client, answered with 429 and Retry-After."""

import uuid

import pytest
from auth0_fakes import ME_URL, bearer

from apps.core.api.throttles import AnonRateThrottle, CountingRateThrottle, UserRateThrottle

pytestmark = pytest.mark.django_db


# Five seconds into a minute (and an hour): a test's requests share one window.
NOW = 1_800_000_000 - 1_800_000_000 % 3600 + 5


@pytest.fixture
def rates(monkeypatch):
    """DRF reads the rates into its throttle classes when they are imported,
    so a test sets them there. The clock stands still: windows are fixed, and
    a test's requests must not straddle two."""
    monkeypatch.setattr(CountingRateThrottle, "timer", staticmethod(lambda: NOW))

    def set_rates(**rates):
        for scope, rate in rates.items():
            monkeypatch.setitem(UserRateThrottle.THROTTLE_RATES, scope, rate)

    assert UserRateThrottle.THROTTLE_RATES is AnonRateThrottle.THROTTLE_RATES
    return set_rates


def test_a_user_over_the_limit_gets_429_with_retry_after(client, make_token, rates):
    rates(user="3/min")
    token = make_token({"sub": "auth0|busy"})

    statuses = [client.get(ME_URL, headers=bearer(token)).status_code for _ in range(4)]
    response = client.get(ME_URL, headers=bearer(token))

    assert statuses == [200, 200, 200, 429]
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert int(response.headers["Retry-After"]) == 55  # the rest of the minute


def test_the_user_limit_counts_each_user_separately(client, make_token, rates):
    rates(user="2/min")
    busy, calm = make_token({"sub": "auth0|busy"}), make_token({"sub": "auth0|calm"})
    for _ in range(2):
        client.get(ME_URL, headers=bearer(busy))

    assert client.get(ME_URL, headers=bearer(busy)).status_code == 429
    assert client.get(ME_URL, headers=bearer(calm)).status_code == 200


def test_anonymous_clients_have_their_own_limit(client, rates, settings):
    rates(anon="1/min")
    settings.API_DOCS_PUBLIC = True  # a page anyone may ask for

    first = client.get("/api/schema/")
    second = client.get("/api/schema/")

    assert first.status_code == 200
    assert second.status_code == 429
    assert int(second.headers["Retry-After"]) > 0


@pytest.fixture
def redis_cache(settings):
    """The production configuration: the default cache in Redis (database
    14), which the throttles reach through Django's `cache` as DRF's do. Its
    keys carry a prefix of this test's own, and only they are removed (never
    the whole database): test runs side by side on one machine share the
    server. The client and the prefix."""
    from django.core.cache import cache

    prefix, configured = f"test-{uuid.uuid4().hex}", settings.CACHES
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/14",
            "KEY_PREFIX": prefix,
        }
    }
    redis = cache._cache.get_client(write=True)
    try:
        redis.ping()
    except Exception as exc:
        pytest.skip(f"needs Redis at 127.0.0.1:6379 (.ci/run starts it): {exc}")
    yield redis, prefix
    for key in redis.keys(f"{prefix}:*"):
        redis.delete(key)
    settings.CACHES = configured  # before `auth0_settings` empties the cache


def redis_calls(redis, command: str) -> int:
    return redis.info("commandstats").get(f"cmdstat_{command}", {}).get("calls", 0)


def test_in_redis_each_user_is_counted_in_one_integer_that_expires(
    client, make_token, rates, redis_cache
):
    redis, prefix = redis_cache
    rates(user="3/min")
    token = make_token({"sub": "auth0|busy"})
    checks_before = redis_calls(redis, "exists")

    statuses = [client.get(ME_URL, headers=bearer(token)).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    [key] = redis.keys(f"{prefix}:*throttle_user_*")
    assert int(redis.get(key)) == 4
    assert 0 < redis.ttl(key) <= 61
    # Counted with INCR and EXPIRE in one round trip, not Django's EXISTS-then-INCRBY.
    assert redis_calls(redis, "exists") == checks_before


def test_a_forged_x_forwarded_for_does_not_reset_the_anonymous_limit(client, rates, settings):
    """Without proxies (the default) an anonymous caller is counted by the
    socket's address: a header any client writes changes nothing."""
    settings.API_DOCS_PUBLIC = True  # the schema, to anyone: an anonymous endpoint
    rates(anon="1/min")

    assert client.get("/api/schema/", headers={"x-forwarded-for": "10.0.0.1"}).status_code == 200
    forged = client.get("/api/schema/", headers={"x-forwarded-for": "10.0.0.2"})
    assert forged.status_code == 429


def test_behind_proxies_the_address_they_saw_is_counted(client, rates, settings):
    """With `NUM_PROXIES=1` the address the proxy appended is the caller's:
    what the caller wrote before it is not."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    settings.API_DOCS_PUBLIC = True  # the schema, to anyone: an anonymous endpoint
    rates(anon="1/min")

    def get(forwarded_for):
        return client.get("/api/schema/", headers={"x-forwarded-for": forwarded_for})

    assert get("10.0.0.1, 192.0.2.7").status_code == 200
    assert get("10.0.0.2, 192.0.2.7").status_code == 429  # the same caller, forging
    assert get("192.0.2.8").status_code == 200  # another caller
