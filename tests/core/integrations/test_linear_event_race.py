"""Linear sends its first events of a new issue while the request that made
it still waits for Linear's answer, before the link is committed. Such an
event waits for that request (PostgreSQL), then applies to the link it
made, rather than finding no link and being dropped; a request that stores
no link lets the event go on to find none."""

import threading
import time
import uuid

import pytest
from django.db import connections
from webhook_senders import encoded, now_in_milliseconds, signature

from apps.core.models import AuditEntry, LinearIssueLink, WebhookDelivery
from apps.core.testing.api import client_for
from tests.locks import wait_for_a_lock_wait

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SIGNING_SECRET = "linear-signing-secret-for-tests"


def started(work) -> tuple[threading.Thread, list]:
    answers = []

    def run():
        try:
            answers.append(work())
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, answers


def in_progress_event(issue_id: str) -> dict:
    data = {
        "id": issue_id,
        "identifier": "ENG-42",
        "title": "CMP-0001 Sensor",
        "url": "https://linear.app/acme/issue/ENG-42/",
        "state": {"name": "In Progress", "type": "started"},
        "updatedAt": "2026-12-06T09:05:00.000Z",
    }
    return {
        "action": "update",
        "type": "Issue",
        "data": data,
        "webhookTimestamp": now_in_milliseconds(),
    }


def deliver(client, payload):
    body = encoded(payload)
    return client.post(
        "/api/v1/webhooks/linear/",
        body,
        content_type="application/json",
        headers={
            "Linear-Signature": signature(body, SIGNING_SECRET),
            "Linear-Delivery": str(uuid.uuid4()),
            "Linear-Event": "Issue",
        },
    )


@pytest.fixture
def race(user, record, linear, settings, client):
    """A request linking `record` to a new issue, Linear holding its answer,
    and Linear's event of that issue delivered meanwhile: once the event
    waits, Linear answers (or fails, with `failure`). The two responses."""
    settings.LINEAR_WEBHOOK_SECRET = SIGNING_SECRET

    def run(issue_id: str, failure: str | None = None):
        url = f"/api/v1/components/components/{record.pk}/linear-issue/"
        client_linking = client_for(user, "components:read", "components:write")
        linear.released.clear()
        linking, linked = started(lambda: client_linking.post(url, {"id": issue_id}, format="json"))
        deadline = time.monotonic() + 10
        while not linear.calls and time.monotonic() < deadline:
            time.sleep(0.01)
        assert linear.calls
        if failure:
            linear.fails_with(failure)
        event, delivered = started(lambda: deliver(client, in_progress_event(issue_id)))
        wait_for_a_lock_wait(waiting_for="the link being made for the event's issue")
        linear.released.set()
        linking.join(10)
        event.join(10)
        return linked[0], delivered[0]

    return run


def test_an_event_sent_before_the_link_commits_waits_for_it_and_is_applied(race, record):
    issue_id = str(uuid.uuid4())
    linked, delivered = race(issue_id)

    assert linked.status_code == 201
    assert delivered.status_code == 202
    assert delivered.json()["status"] == "PROCESSED"
    link = LinearIssueLink.objects.get()
    assert (link.linear_id, link.state) == (issue_id, "In Progress")
    assert AuditEntry.objects.filter(
        public_id=record.public_id, changes__linear_issue_state__new="In Progress"
    ).exists()


def test_an_event_of_an_issue_whose_link_was_not_stored_finds_none(race):
    linked, delivered = race(str(uuid.uuid4()), failure="server_error")

    assert linked.status_code == 502
    assert delivered.json()["status"] == "PROCESSED"
    assert not LinearIssueLink.objects.exists()
    assert WebhookDelivery.objects.get().status == "PROCESSED"
