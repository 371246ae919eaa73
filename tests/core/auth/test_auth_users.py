"""A token's `sub` is one Django user: created on first sight, race-safe,
kept up to date from the claims, and cheap to find again."""

import threading
import time

import pytest
from auth0_fakes import COMPONENTS_URL, ME_URL, bearer
from django.db import connection

from tests.locks import holding, wait_for_a_lock_wait

pytestmark = pytest.mark.django_db


def get_me(client, token):
    return client.get(ME_URL, headers=bearer(token))


def test_the_first_request_creates_the_user_from_the_claims(client, make_token, django_user_model):
    token = make_token(
        {
            "sub": "auth0|6543",
            "email": "ada@example.com",
            "given_name": "Ada",
            "family_name": "Lovelace",
        }
    )

    response = get_me(client, token)

    user = django_user_model.objects.get(external_id="auth0|6543")
    assert response.json()["id"] == user.pk
    assert (user.username, user.email, user.first_name, user.last_name) == (
        "auth0.6543",
        "ada@example.com",
        "Ada",
        "Lovelace",
    )
    assert not user.has_usable_password()
    assert not user.is_staff


def test_later_requests_find_the_same_user(client, make_token, django_user_model):
    first = get_me(client, make_token({"sub": "auth0|same"}))
    second = get_me(client, make_token({"sub": "auth0|same", "exp": int(time.time()) + 999}))

    assert first.json()["id"] == second.json()["id"]
    assert django_user_model.objects.filter(external_id="auth0|same").count() == 1


def test_a_changed_email_or_name_is_updated(client, make_token, django_user_model):
    get_me(client, make_token({"sub": "auth0|c", "email": "old@example.com", "name": "Old Name"}))
    get_me(client, make_token({"sub": "auth0|c", "email": "new@example.com", "name": "New Name"}))

    user = django_user_model.objects.get(external_id="auth0|c")
    assert (user.email, user.get_full_name()) == ("new@example.com", "New Name")


def test_absent_profile_claims_leave_the_profile_alone(client, make_token, django_user_model):
    get_me(client, make_token({"sub": "auth0|k", "email": "kept@example.com", "name": "Kept"}))
    get_me(client, make_token({"sub": "auth0|k", "exp": int(time.time()) + 999}))

    user = django_user_model.objects.get(external_id="auth0|k")
    assert (user.email, user.first_name) == ("kept@example.com", "Kept")


def test_email_never_finds_a_user(client, make_token, django_user_model):
    local = django_user_model.objects.create(username="carol", email="carol@example.com")

    response = get_me(client, make_token({"sub": "auth0|carol", "email": "carol@example.com"}))

    assert response.json()["id"] != local.pk
    assert django_user_model.objects.filter(email="carol@example.com").count() == 2


def test_a_username_taken_by_a_local_user_gets_a_unique_one(client, make_token, django_user_model):
    django_user_model.objects.create(username="auth0.dave")

    response = get_me(client, make_token({"sub": "auth0|dave"}))

    assert response.status_code == 200
    assert response.json()["username"].startswith("auth0.dave-")


def test_a_repeated_token_costs_no_query(
    client, make_token, django_assert_num_queries, django_capture_on_commit_callbacks
):
    token = make_token({"sub": "auth0|fast"})
    # The user this request creates is remembered once its row commits: here,
    # where the test's transaction holds every request, when the block ends.
    with django_capture_on_commit_callbacks(execute=True):
        assert get_me(client, token).status_code == 200

    with django_assert_num_queries(0):
        assert get_me(client, token).status_code == 200


def test_a_new_token_of_a_known_user_costs_one_read_and_no_write(
    client, make_token, django_assert_num_queries
):
    assert get_me(client, make_token({"sub": "auth0|known", "email": "k@example.com"})).status_code
    token = make_token(
        {"sub": "auth0|known", "email": "k@example.com", "exp": int(time.time()) + 9}
    )

    with django_assert_num_queries(1) as queries:
        assert get_me(client, token).status_code == 200
    assert queries.captured_queries[0]["sql"].lstrip().upper().startswith("SELECT")


def test_with_the_token_cache_off_every_request_verifies(
    client, make_token, settings, django_assert_num_queries
):
    settings.AUTH_TOKEN_CACHE_SECONDS = 0
    token = make_token({"sub": "auth0|uncached"})
    assert get_me(client, token).status_code == 200

    with django_assert_num_queries(1):
        assert get_me(client, token).status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_first_request_racing_another_insert_of_the_same_sub_finds_its_user(
    client, make_token, django_user_model
):
    """Deterministic race: another transaction has inserted the user but not
    committed when the request arrives; the request's insert waits on the
    unique index, fails, and the request then finds the committed row."""
    sub = "auth0|racer"
    rival = {}
    commit_rival = holding(
        lambda: rival.update(
            user=django_user_model.objects.create(username="rival", external_id=sub)
        )
    )
    outcome = {}
    request = threading.Thread(
        target=lambda: outcome.update(response=get_me(client, make_token({"sub": sub})))
    )
    request.start()
    wait_for_a_lock_wait(waiting_for="the rival's insert")
    commit_rival()
    request.join(10)

    assert outcome["response"].status_code == 200
    assert outcome["response"].json()["id"] == rival["user"].pk
    assert django_user_model.objects.filter(external_id=sub).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_first_requests_for_one_sub_make_one_user(make_token, django_user_model):
    from django.test import Client

    sub = "auth0|twins"
    tokens = [make_token({"sub": sub, "exp": int(time.time()) + 3600 + n}) for n in range(2)]
    start = threading.Barrier(2)
    responses = []

    def first_request(token):
        try:
            start.wait(10)
            responses.append(Client().get(ME_URL, headers=bearer(token)))
        finally:
            connection.close()

    threads = [threading.Thread(target=first_request, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)

    assert [r.status_code for r in responses] == [200, 200]
    assert len({r.json()["id"] for r in responses}) == 1
    assert django_user_model.objects.filter(external_id=sub).count() == 1
    assert django_user_model.objects.filter(username__startswith="auth0.twins").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_new_users_refused_first_write_leaves_no_user_behind_to_break_the_next(
    client, make_token, django_user_model
):
    """The user a write request creates is rolled back with it when the write
    is refused; the next request must make the user again, never go on with
    one whose row is gone (its writes failed at commit, a 500 each)."""
    permissions = ["components:read", "components:write"]
    token = make_token({"sub": "auth0|newcomer", "permissions": permissions})
    refused = client.post(
        COMPONENTS_URL, {"name": ""}, headers=bearer(token), content_type="application/json"
    )
    assert refused.status_code == 400
    assert not django_user_model.objects.filter(external_id="auth0|newcomer").exists()

    body = {"name": "First part", "part_number": "NEW-1"}
    created = client.post(
        COMPONENTS_URL, body, headers=bearer(token), content_type="application/json"
    )
    assert created.status_code == 201, created.content
    user = django_user_model.objects.get(external_id="auth0|newcomer")
    assert created.json()["created_by"]["id"] == user.pk
    again = client.patch(
        f"{COMPONENTS_URL}{created.json()['id']}/",
        {"description": "Checked"},
        headers=bearer(token),
        content_type="application/json",
    )
    assert again.status_code == 200, again.content


@pytest.mark.parametrize("value", ["a\x00b", "\ud800"], ids=["nul", "surrogate"])
def test_profile_claims_no_database_stores_leave_the_profile_alone(
    client, make_token, django_user_model, value
):
    get_me(client, make_token({"sub": "auth0|m", "email": "kept@example.com", "name": "Kept"}))
    claims = {"sub": "auth0|m", "email": value, "given_name": value, "family_name": value}
    get_me(client, make_token({**claims, "name": value, "exp": int(time.time()) + 999}))

    user = django_user_model.objects.get(external_id="auth0|m")
    assert (user.email, user.first_name) == ("kept@example.com", "Kept")
