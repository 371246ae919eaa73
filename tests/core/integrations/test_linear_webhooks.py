"""Linear's webhooks end to end: a record linked to a new issue through the
API (against the fake Linear), then Linear's signed deliveries at
`/api/v1/webhooks/linear/` bring the link up to date, as the user "Linear",
in the record's history."""

import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from webhook_senders import encoded, now_in_milliseconds, signature

from apps.components.models import Component
from apps.core.models import AuditEntry, LinearIssueLink, WebhookDelivery

pytestmark = pytest.mark.django_db

SIGNING_SECRET = "linear-signing-secret-for-tests"


@pytest.fixture
def link(api, record, linear, settings):
    """The record linked to ENG-42, and the suite holding Linear's signing secret."""
    settings.LINEAR_WEBHOOK_SECRET = SIGNING_SECRET
    response = api.post(
        f"/api/v1/components/components/{record.pk}/linear-issue/", {}, format="json"
    )
    assert response.status_code == 201, response.content
    return LinearIssueLink.objects.get()


def issue_event(link, action="update", sent_seconds_ago=0, **changed) -> dict:
    """Linear's body for the linked issue, with `changed` fields."""
    data = {
        "id": link.linear_id,
        "identifier": link.identifier,
        "title": link.title,
        "url": link.url,
        "state": {"name": link.state, "type": link.state_type},
        "updatedAt": "2026-12-06T10:00:00.000Z",
        **changed,
    }
    sent = now_in_milliseconds(-sent_seconds_ago)
    return {"action": action, "type": "Issue", "data": data, "webhookTimestamp": sent}


@pytest.fixture
def deliver(sender, django_capture_on_commit_callbacks):
    """POST a body as Linear does (signed in hex, with its delivery id and
    event); the delivery is processed as its transaction commits, inline."""

    def post(payload: dict, secret: str = SIGNING_SECRET):
        body = encoded(payload)
        headers = {
            "Linear-Signature": signature(body, secret),
            "Linear-Delivery": str(uuid.uuid4()),
            "Linear-Event": "Issue",
        }
        with django_capture_on_commit_callbacks(execute=True):
            return sender.post("linear", body, **headers)

    return post


def newest_entry(record) -> AuditEntry:
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Component), object_id=record.pk
    ).first()


def test_a_state_change_in_linear_reaches_the_link_and_the_records_history(deliver, link, record):
    done = {"name": "Done", "type": "completed"}
    response = deliver(issue_event(link, state=done))

    assert response.status_code == 202, response.content
    delivery = WebhookDelivery.objects.get()
    assert (delivery.source, delivery.event, delivery.status) == ("linear", "Issue", "PROCESSED")
    link.refresh_from_db()
    assert (link.state, link.state_type) == ("Done", "completed")
    entry = newest_entry(record)
    assert entry.changes == {"linear_issue_state": {"old": "Todo", "new": "Done"}}
    assert (entry.actor.username, entry.actor_label) == ("webhooks-linear", "Linear")
    assert entry.request_id == delivery.request_id


def test_a_delivery_replayed_under_another_delivery_id_is_not_applied_again(deliver, link, record):
    """`Linear-Delivery` is not signed: the same signed body, sent again
    within the minute under a new id, is the delivery Linear sent."""
    moved = issue_event(link, state={"name": "Done", "type": "completed"})
    first = deliver(moved)
    link.refresh_from_db()
    link.state, link.state_type = "Todo", "unstarted"  # moved back in the suite's copy
    link.save()

    again = deliver(moved)

    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json() == {"id": first.json()["id"], "status": "PROCESSED"}
    link.refresh_from_db()
    assert link.state == "Todo"
    assert WebhookDelivery.objects.count() == 1


def test_a_malformed_update_fails_saying_the_webhook_body_is_malformed(deliver, link):
    body = issue_event(link, state={"name": "Done", "type": "completed"})
    del body["data"]["url"]

    assert deliver(body).status_code == 202

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_error) == (
        "FAILED",
        "LinearError: Linear's webhook body was malformed: no url.",
    )
    link.refresh_from_db()
    assert link.state == "Todo"


def test_an_update_with_a_url_that_is_no_web_page_is_refused(api, deliver, link, record):
    """Served to the web app as the issue's link, a `javascript:` url would
    run in the reader's session."""
    response = deliver(issue_event(link, url="javascript:alert(document.cookie)"))

    assert response.status_code == 202
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_error) == (
        "FAILED",
        "LinearError: Linear's webhook body was malformed: url is no http(s) URL of at most "
        "2,048 characters.",
    )
    answer = api.get(f"/api/v1/components/components/{record.pk}/linear-issue/")
    assert answer.json()["url"] == "https://linear.app/acme/issue/ENG-42/"


def test_removing_the_issue_in_linear_unlinks_the_record(api, deliver, link, record):
    assert deliver(issue_event(link, action="remove")).status_code == 202

    answer = api.get(f"/api/v1/components/components/{record.pk}/linear-issue/")
    assert (answer.status_code, answer.json()["code"]) == (404, "not_linked")
    entry = newest_entry(record)
    assert entry.changes == {"linear_issue": {"old": "ENG-42", "new": None}}


def test_an_issue_no_record_is_linked_to_changes_nothing(deliver, link):
    other = issue_event(link, state={"name": "Done", "type": "completed"})
    other["data"]["id"] = str(uuid.uuid4())
    before = AuditEntry.objects.count()

    assert deliver(other).status_code == 202
    assert WebhookDelivery.objects.get().status == "PROCESSED"
    assert AuditEntry.objects.count() == before
    link.refresh_from_db()
    assert link.state == "Todo"


def test_a_delivery_signed_with_another_secret_is_refused_and_changes_nothing(deliver, link):
    response = deliver(issue_event(link, action="remove"), secret="an-old-secret")

    assert (response.status_code, response.json()["code"]) == (401, "invalid_signature")
    assert LinearIssueLink.objects.exists()
    assert not WebhookDelivery.objects.exists()


def test_a_delivery_sent_more_than_a_minute_ago_is_refused(deliver, link):
    response = deliver(issue_event(link, action="remove", sent_seconds_ago=120))

    assert (response.status_code, response.json()["code"]) == (400, "delivery_too_old")
    assert LinearIssueLink.objects.exists()


def test_without_the_signing_secret_linear_deliveries_are_refused(deliver, link, settings):
    settings.LINEAR_WEBHOOK_SECRET = ""
    response = deliver(issue_event(link, action="remove"))

    assert (response.status_code, response.json()["code"]) == (
        503,
        "webhook_secret_not_configured",
    )
    assert LinearIssueLink.objects.exists()
