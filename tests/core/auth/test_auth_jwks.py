"""Auth0's key set: fetched once, shared through the cache, refreshed on
rotation, rationed against floods, and kept through outages."""

import threading
import time
import uuid

import pytest
from auth0_fakes import ME_URL, bearer

from apps.core.auth import jwks
from apps.core.auth.jwks import clear_parsed_keys
from apps.core.auth.token_cache import verified_tokens

pytestmark = pytest.mark.django_db


def get_me(client, token):
    return client.get(ME_URL, headers=bearer(token))


def another_worker():
    """What a fresh process sees: the shared cache, but none of this one's memory."""
    verified_tokens.clear()
    clear_parsed_keys()


def test_the_key_set_is_fetched_once_and_shared(client, make_token, auth0):
    assert get_me(client, make_token({"sub": "auth0|a"})).status_code == 200
    another_worker()
    assert get_me(client, make_token({"sub": "auth0|b"})).status_code == 200

    assert auth0.jwks_fetches == 1


def test_an_unknown_kid_refetches_once_then_waits_for_the_cooldown(client, make_token, auth0):
    assert get_me(client, make_token()).status_code == 200

    first = get_me(client, make_token(key="stranger-key", kid="not-published"))
    second = get_me(client, make_token(key="stranger-key", kid="not-published"))

    assert first.status_code == second.status_code == 401
    assert first.json()["code"] == "unknown_signing_key"
    assert auth0.jwks_fetches == 2  # the first fetch, and one re-fetch for the unknown kid


def test_a_flood_of_random_kids_costs_one_fetch(client, make_token, auth0):
    assert get_me(client, make_token()).status_code == 200

    statuses = {
        get_me(client, make_token(key="stranger-key", kid=uuid.uuid4().hex)).status_code
        for _ in range(25)
    }

    assert statuses == {401}
    assert auth0.jwks_fetches == 2


def test_the_cooldown_is_shared_across_workers(client, make_token, auth0):
    assert get_me(client, make_token()).status_code == 200
    assert get_me(client, make_token(kid="random-1", key="stranger-key")).status_code == 401
    another_worker()
    assert get_me(client, make_token(kid="random-2", key="stranger-key")).status_code == 401

    assert auth0.jwks_fetches == 2


def test_a_rotated_key_is_picked_up_without_a_restart(client, make_token, auth0):
    assert get_me(client, make_token(key="tenant-key-1")).status_code == 200

    auth0.publish("tenant-key-1", "tenant-key-2")
    rotated = get_me(client, make_token({"sub": "auth0|rotated"}, key="tenant-key-2"))

    assert rotated.status_code == 200
    assert auth0.jwks_fetches == 2
    # Tokens signed with the old key stay valid while it is still published.
    assert get_me(client, make_token({"sub": "auth0|old"}, key="tenant-key-1")).status_code == 200
    assert auth0.jwks_fetches == 2


def test_an_expired_key_set_is_refreshed_and_a_retired_key_stops_working(
    client, make_token, auth0, settings
):
    assert get_me(client, make_token(key="tenant-key-1")).status_code == 200
    auth0.publish("tenant-key-2")
    settings.AUTH0_JWKS_CACHE_SECONDS = 0
    another_worker()

    response = get_me(client, make_token({"sub": "auth0|late"}, key="tenant-key-1"))

    assert response.status_code == 401
    assert response.json()["code"] == "unknown_signing_key"
    assert auth0.jwks_fetches == 2


def test_with_auth0_down_the_cached_key_set_keeps_working(client, make_token, auth0, settings):
    assert get_me(client, make_token()).status_code == 200
    auth0.down = True
    settings.AUTH0_JWKS_CACHE_SECONDS = 0  # due for a refresh, which fails
    another_worker()

    response = get_me(client, make_token({"sub": "auth0|during-outage"}))

    assert response.status_code == 200
    assert auth0.jwks_fetches == 2


def test_with_auth0_down_and_no_key_set_the_api_answers_503(client, make_token, auth0):
    auth0.down = True

    response = get_me(client, make_token())

    assert response.status_code == 503
    assert response.json()["code"] == "auth_unavailable"
    assert response.headers["Retry-After"] == "30"
    assert "WWW-Authenticate" not in response.headers


def test_with_no_key_set_failed_fetches_are_retried_only_after_a_pause(
    client, make_token, auth0, settings
):
    settings.AUTH0_JWKS_RETRY_SECONDS = 1
    auth0.down = True
    assert get_me(client, make_token()).status_code == 503
    assert get_me(client, make_token()).status_code == 503
    assert auth0.jwks_fetches == 1

    auth0.down = False
    assert get_me(client, make_token()).status_code == 503  # still pausing
    time.sleep(1.1)
    assert get_me(client, make_token()).status_code == 200
    assert auth0.jwks_fetches == 2


def test_a_slow_key_set_times_out_into_503(client, make_token, auth0, settings):
    settings.AUTH0_JWKS_FETCH_TIMEOUT_SECONDS = 0.3
    auth0.delay = 1.0

    response = get_me(client, make_token())

    assert response.status_code == 503


def test_an_unreachable_key_set_url_answers_503(client, make_token, settings):
    settings.AUTH0_JWKS_URL = "http://127.0.0.1:9/.well-known/jwks.json"

    assert get_me(client, make_token()).status_code == 503


def test_concurrent_first_requests_share_one_fetch(auth0):
    """Workers of a fresh deployment: one fetches, the others wait for it."""
    auth0.delay = 0.3
    start = threading.Barrier(5)
    results = []

    def first_request():
        start.wait(5)
        try:
            results.append(jwks.signing_key("tenant-key-1").key_id)
        except jwks.KeySetUnavailable as exc:
            results.append(exc)

    threads = [threading.Thread(target=first_request) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert results == ["tenant-key-1"] * 5
    assert auth0.jwks_fetches == 1
