"""`POST /api/v1/webhooks/<source>/`: what a sender is answered, and what is stored."""

import hashlib
import logging
import threading

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client
from webhook_senders import PART, TRACKER_SECRET, encoded, now_in_milliseconds, signature

from apps.components.models import Component
from apps.core.api.throttles import CountingRateThrottle, RefusedDeliveryThrottle
from apps.core.models import WebhookDelivery
from tests.locks import holding, wait_for_a_lock_wait

pytestmark = pytest.mark.django_db


def assert_refused(response, status: int, code: str):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert body["detail"]
    assert body["errors"] == {}
    assert not WebhookDelivery.objects.exists()


def test_a_new_delivery_is_stored_and_accepted(sender):
    response = sender.part(PART, delivery="d-1", **{"X-Webhook-Event": "part.created"})

    assert response.status_code == 202
    delivery = WebhookDelivery.objects.get()
    assert response.json() == {"id": delivery.pk, "status": "RECEIVED"}
    assert (delivery.source, delivery.delivery_id, delivery.event) == (
        "parts",
        "d-1",
        "part.created",
    )
    assert delivery.payload == PART
    assert delivery.attempts == 0
    assert str(delivery.request_id) == response["X-Request-ID"]


def test_a_delivery_is_processed_once_it_is_committed(sender, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = sender.part(PART, delivery="d-1")

    assert response.status_code == 202
    assert WebhookDelivery.objects.get().status == "PROCESSED"  # inline: no broker in the tests
    assert Component.objects.get().part_number == "SNS-2001"


@pytest.mark.parametrize(
    "again_as",
    [
        pytest.param("d-1", id="the same id"),
        # The delivery-id header is not signed: a replay may change it, or drop it.
        pytest.param("d-2", id="the same body under another id"),
        pytest.param(None, id="the same body under no id"),
    ],
)
def test_the_same_delivery_again_answers_its_status_and_is_not_processed_twice(
    sender, django_capture_on_commit_callbacks, again_as
):
    with django_capture_on_commit_callbacks(execute=True):
        first = sender.part(PART, delivery="d-1")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = sender.part(PART, delivery=again_as)

    assert again.status_code == 200
    assert again.json() == {"id": first.json()["id"], "status": "PROCESSED"}
    assert callbacks == []
    delivery = WebhookDelivery.objects.get()
    assert (delivery.delivery_id, delivery.attempts) == ("d-1", 1)
    assert delivery.body_sha256 == digest(PART)
    assert Component.objects.count() == 1


def sent_while_the_first_is_uncommitted(sender, first_fields: dict, delivery: str):
    """The answer to a `parts` delivery of PART posted while another
    transaction holds the first delivery's row (`first_fields`) uncommitted,
    and that row."""
    first = []
    release = holding(
        lambda: first.append(
            WebhookDelivery.objects.create(source="parts", payload=PART, **first_fields)
        )
    )
    responses = []

    def send_again():
        try:
            responses.append(sender.part(PART, delivery=delivery))
        finally:
            connections.close_all()

    again = threading.Thread(target=send_again)
    again.start()
    wait_for_a_lock_wait(waiting_for="the first delivery's insert")
    release()
    again.join(10)
    return responses[0], first[0]


@pytest.mark.postgres
def test_the_same_delivery_sent_twice_at_once_is_stored_once(sender, transactional_db):
    """The first request's row is not committed when the second looks: the
    unique constraint makes the second wait for it, then answer with it."""
    response, first = sent_while_the_first_is_uncommitted(
        sender, {"delivery_id": "d-1"}, delivery="d-1"
    )

    assert response.status_code == 200
    assert response.json() == {"id": first.pk, "status": "RECEIVED"}
    assert WebhookDelivery.objects.count() == 1


@pytest.mark.postgres
def test_the_same_body_sent_twice_at_once_under_two_ids_is_stored_once(sender, transactional_db):
    """As for the delivery id: the unique constraint on the body's digest
    makes the second insert wait for the first, then answer with it."""
    response, first = sent_while_the_first_is_uncommitted(
        sender, {"delivery_id": "d-1", "body_sha256": digest(PART)}, delivery="d-2"
    )

    assert response.status_code == 200
    assert response.json() == {"id": first.pk, "status": "RECEIVED"}
    assert WebhookDelivery.objects.count() == 1


def digest(payload) -> str:
    return hashlib.sha256(encoded(payload)).hexdigest()


def test_a_timed_sources_body_replayed_under_another_id_is_the_same_delivery(sender):
    payload = {"webhookTimestamp": now_in_milliseconds(), "action": "update"}
    first = sender.tracker(payload, delivery="b1f0c9d2-0001")
    again = sender.tracker(payload, delivery="b1f0c9d2-0002")

    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json()["id"] == first.json()["id"]
    assert WebhookDelivery.objects.count() == 1


def test_the_same_body_from_another_source_is_another_delivery(sender):
    body = encoded({"webhookTimestamp": now_in_milliseconds()})
    parts = sender.post("parts", body, **{"X-Webhook-Signature": signature(body)})
    tracker = sender.post("tracker", body, **{"Tracker-Signature": signature(body, TRACKER_SECRET)})
    assert (parts.status_code, tracker.status_code) == (202, 202)


def test_without_a_delivery_id_the_same_body_is_the_same_delivery(sender):
    first = sender.part(PART)
    again = sender.part(PART)
    other = sender.part({**PART, "part_number": "SNS-2002"})

    assert (first.status_code, again.status_code, other.status_code) == (202, 200, 202)
    assert again.json()["id"] == first.json()["id"]
    assert WebhookDelivery.objects.count() == 2


def test_the_same_delivery_id_from_another_source_is_another_delivery(sender):
    assert sender.part(PART, delivery="b1f0c9d2").status_code == 202
    tracker = sender.tracker({"webhookTimestamp": now_in_milliseconds()}, delivery="b1f0c9d2")
    assert tracker.status_code == 202


def test_an_unknown_source_is_not_found(sender):
    body = encoded(PART)
    response = sender.post("nobody", body, **{"X-Webhook-Signature": signature(body)})
    assert_refused(response, 404, "not_found")


def test_a_source_whose_secret_is_not_set_refuses_every_delivery(sender, settings):
    settings.WEBHOOK_SECRET = ""
    response = sender.part(PART)
    assert_refused(response, 503, "webhook_secret_not_configured")
    assert "WEBHOOK_SECRET" in response.json()["detail"]


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(None, id="absent"),
        pytest.param("", id="empty"),
        pytest.param("sha256=" + "0" * 64, id="wrong"),
        pytest.param(signature(encoded(PART), TRACKER_SECRET), id="another source's secret"),
        pytest.param(signature(encoded({**PART, "name": "Other"})), id="another body's"),
        pytest.param("sha256=é" + "0" * 63, id="not hex"),
    ],
)
def test_a_delivery_not_signed_with_the_source_secret_is_unauthorised(sender, header):
    body = encoded(PART)
    headers = {} if header is None else {"X-Webhook-Signature": header}
    response = sender.post("parts", body, **headers)
    assert_refused(response, 401, "invalid_signature")
    assert "X-Webhook-Signature" in response.json()["detail"]


def test_a_signature_is_taken_with_or_without_its_prefix_in_any_case(sender):
    body = encoded(PART)
    assert sender.post("parts", body, **{"X-Webhook-Signature": signature(body)}).status_code == 202
    other = encoded({**PART, "part_number": "SNS-2002"})
    upper = f"sha256={signature(other).upper()}"
    assert sender.post("parts", other, **{"X-Webhook-Signature": upper}).status_code == 202


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[1, 2]", b'"text"', b"", b"\xff\xfe", b'{"a": NaN}'],
    ids=["not json", "a list", "a string", "empty", "not utf-8", "NaN"],
)
def test_a_body_that_is_not_a_json_object_is_refused(sender, body):
    response = sender.post("parts", body, **{"X-Webhook-Signature": signature(body)})
    assert_refused(response, 400, "invalid_payload")


@pytest.mark.parametrize("number", [b"1e400", b"-1e400"])
def test_a_number_beyond_a_float_is_refused(sender, number):
    """Python reads `1e400` as infinity, which JSON has no word for."""
    body = b'{"name": "Hall sensor", "part_number": "SNS-2001", "x": ' + number + b"}"
    response = sender.post("parts", body, **{"X-Webhook-Signature": signature(body)})
    assert_refused(response, 400, "invalid_payload")
    assert "not finite" in response.json()["detail"]


def test_a_body_nested_too_deeply_to_read_is_refused(sender):
    body = b"[" * 1000 + b"]" * 1000
    response = sender.post("parts", body, **{"X-Webhook-Signature": signature(body)})
    assert_refused(response, 400, "invalid_payload")
    assert "nested too deeply" in response.json()["detail"]


@pytest.mark.postgres
@pytest.mark.parametrize(
    "constraint",
    [
        "ADD COLUMN released_on date NOT NULL",
        "ADD CONSTRAINT test_no_poison CHECK (NOT payload ? 'poison')",
    ],
    ids=["a NOT NULL column the code does not fill", "a CHECK the code does not know"],
)
def test_only_the_uniqueness_of_the_delivery_makes_it_the_same_delivery(sender, constraint):
    """Any other constraint the row breaks is the server's fault: a 500 the
    sender retries, not a 400 that tells it to give up and shows the
    database's message."""
    with connections["default"].cursor() as cursor:
        cursor.execute(f"ALTER TABLE core_webhookdelivery {constraint}")
    response = sender.part({**PART, "poison": True}, delivery="d-1")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    assert "released_on" not in response.content.decode()
    assert not WebhookDelivery.objects.exists()


@pytest.mark.parametrize(
    "text", ["nul\u0000byte", "lone \ud800 surrogate"], ids=["nul", "lone surrogate"]
)
@pytest.mark.parametrize("where", ["value", "key"])
def test_a_body_holding_text_no_database_stores_is_refused_in_the_suites_words(sender, text, where):
    payload = {**PART, "name": text} if where == "value" else {**PART, text: 1}
    response = sender.part(payload)
    assert_refused(response, 400, "invalid_payload")
    assert response.json()["detail"] == (
        "The body cannot be stored: a text in it holds a NUL character (\\u0000) or an "
        "unpaired surrogate (\\ud800 alone), which the suite stores in no text."
    )


def test_a_body_larger_than_the_server_takes_is_refused(sender, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = sender.part({**PART, "description": "x" * 1000})
    assert_refused(response, 413, "request_too_large")


def test_a_delivery_id_too_long_to_keep_is_refused(sender):
    response = sender.part(PART, delivery="d" * 256)
    assert_refused(response, 400, "invalid_delivery")


def test_a_fresh_delivery_of_a_timed_source_is_accepted(sender):
    response = sender.tracker({"webhookTimestamp": now_in_milliseconds(-50), "action": "update"})

    assert response.status_code == 202
    delivery = WebhookDelivery.objects.get()
    assert (delivery.source, delivery.event) == ("tracker", "Issue")
    assert delivery.delivery_id == "b1f0c9d2-1111-4c3e-9a55-0d7e5c1c0001"


def test_a_delivery_older_than_the_replay_window_is_refused(sender):
    response = sender.tracker({"webhookTimestamp": now_in_milliseconds(-61)})
    assert_refused(response, 400, "delivery_too_old")
    assert "60 seconds" in response.json()["detail"]


def test_a_delivery_from_beyond_the_window_ahead_is_refused(sender):
    response = sender.tracker({"webhookTimestamp": now_in_milliseconds(+61)})
    assert_refused(response, 400, "delivery_from_the_future")


@pytest.mark.parametrize("timestamp", [None, "yesterday", True, 10**20], ids=str)
def test_a_timed_source_refuses_a_delivery_without_a_readable_time(sender, timestamp):
    payload = {} if timestamp is None else {"webhookTimestamp": timestamp}
    assert_refused(sender.tracker(payload), 400, "missing_timestamp")


def test_the_endpoint_takes_no_token_and_no_csrf_token():
    strict = Client(enforce_csrf_checks=True)
    body = encoded(PART)
    response = strict.post(
        "/api/v1/webhooks/parts/",
        body,
        content_type="application/json",
        headers={"X-Webhook-Signature": signature(body), "Authorization": "Bearer not-a-token"},
    )
    assert response.status_code == 202


def test_a_refused_delivery_is_logged_for_operators(sender, caplog):
    with caplog.at_level(logging.WARNING, "apps.core.api.webhooks"):
        sender.part(PART, **{"X-Webhook-Signature": "sha256=" + "0" * 64})

    [record] = [r for r in caplog.records if r.name == "apps.core.api.webhooks"]
    assert (
        record.getMessage() == "A delivery to webhook source 'parts' was refused: invalid_signature"
    )


# --- Refused deliveries, limited per address -----------------------------------------------

# Five seconds into a minute: a test's deliveries share one window.
NOW = 1_800_000_000 - 1_800_000_000 % 60 + 5
UNSIGNED = {"X-Webhook-Signature": "sha256=" + "0" * 64}


@pytest.fixture
def refusals_limited_to(monkeypatch):
    """`refusals_limited_to("3/min")`: the limit, on a clock that stands still
    and with no refusal counted before the test."""
    monkeypatch.setattr(CountingRateThrottle, "timer", staticmethod(lambda: NOW))
    cache.clear()

    def limit(rate):
        monkeypatch.setitem(RefusedDeliveryThrottle.THROTTLE_RATES, "webhook_refusals", rate)

    yield limit
    cache.clear()


def from_address(sender, address: str, payload=PART, **headers):
    body = encoded(payload)
    headers = {"X-Webhook-Signature": f"sha256={signature(body)}", **headers}
    return sender.client.post(
        "/api/v1/webhooks/parts/",
        body,
        content_type="application/json",
        headers=headers,
        REMOTE_ADDR=address,
    )


def test_an_address_past_its_refusals_is_answered_429_and_no_longer_logged(
    sender, refusals_limited_to, caplog
):
    refusals_limited_to("3/min")
    with caplog.at_level(logging.WARNING, "apps.core.api.webhooks"):
        answers = [from_address(sender, "203.0.113.9", **UNSIGNED) for _ in range(5)]

    assert [a.status_code for a in answers] == [401, 401, 401, 429, 429]
    assert answers[-1].json()["code"] == "throttled"
    assert int(answers[-1]["Retry-After"]) == 55  # the rest of the minute
    assert len([r for r in caplog.records if r.name == "apps.core.api.webhooks"]) == 3
    assert not WebhookDelivery.objects.exists()


def test_a_signed_delivery_is_taken_whatever_was_refused_before(sender, refusals_limited_to):
    """Neither from the address that sent the garbage, nor from another."""
    refusals_limited_to("1/min")
    for _ in range(2):
        from_address(sender, "203.0.113.9", **UNSIGNED)

    assert from_address(sender, "203.0.113.9").status_code == 202
    other = {"name": "Relay", "part_number": "RLY-1"}
    assert from_address(sender, "198.51.100.4", other).status_code == 202
    assert WebhookDelivery.objects.count() == 2


def test_each_address_has_its_own_count_of_refusals(sender, refusals_limited_to):
    refusals_limited_to("1/min")
    from_address(sender, "203.0.113.9", **UNSIGNED)

    assert from_address(sender, "203.0.113.9", **UNSIGNED).status_code == 429
    assert from_address(sender, "198.51.100.4", **UNSIGNED).status_code == 401
