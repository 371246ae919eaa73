"""`apply_issue_event`: Linear's webhook events brought to a record's link,
called directly as the webhook framework calls it (in its transaction and
`acting_as` context)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from apps.components.models import Component
from apps.core.context import acting_as
from apps.core.integrations.linear import LinearError
from apps.core.integrations.linear_links import apply_issue_event
from apps.core.models import AuditEntry, LinearIssueLink

pytestmark = pytest.mark.django_db

LINEAR_ID = "2f1a0c4e-9b7d-4e55-8f0a-6c1d2b3a4e5f"


@pytest.fixture
def link(record):
    return LinearIssueLink.objects.create(
        content_type=ContentType.objects.get_for_model(Component),
        object_id=record.pk,
        linear_id=LINEAR_ID,
        identifier="ENG-42",
        title="CMP-0001 Sensor",
        url="https://linear.app/acme/issue/ENG-42/",
        state="Todo",
        state_type="unstarted",
        issue_updated_at=datetime.datetime(2026, 12, 6, 9, tzinfo=datetime.UTC),
    )


def event(action="update", type_="Issue", **changed) -> dict:
    """Linear's webhook body for the linked issue, with `changed` fields."""
    data = {
        "id": LINEAR_ID,
        "identifier": "ENG-42",
        "title": "CMP-0001 Sensor",
        "url": "https://linear.app/acme/issue/ENG-42/",
        "state": {"id": "s-1", "name": "Todo", "type": "unstarted", "color": "#e2e2e2"},
        "priority": 2,
        "updatedAt": "2026-12-06T09:05:00.000Z",
        **changed,
    }
    return {
        "action": action,
        "type": type_,
        "data": data,
        "updatedFrom": {},
        "webhookTimestamp": 1_765_000_000_000,
    }


def applied(payload, user=None) -> bool:
    """As the webhook framework calls it: in a transaction, acting as `user`."""
    with transaction.atomic(), acting_as(user):
        return apply_issue_event(payload)


def entries(record):
    return AuditEntry.objects.filter(object_id=record.pk).exclude(action="CREATE")


def test_an_update_brings_the_link_up_to_date(link, record):
    payload = event(title="Recalibrate the sensor", url="https://linear.app/acme/issue/ENG-42/r")
    assert applied(payload) is True
    link.refresh_from_db()
    assert (link.title, link.url) == ("Recalibrate the sensor", payload["data"]["url"])
    assert not entries(record).exists()  # the title is Linear's, not the record's


def test_a_state_change_is_audited_on_the_record(link, record, user):
    done = {"id": "s-9", "name": "Done", "type": "completed"}
    assert applied(event(state=done), user) is True
    link.refresh_from_db()
    assert (link.state, link.state_type) == ("Done", "completed")
    [entry] = entries(record)
    assert entry.changes == {"linear_issue_state": {"old": "Todo", "new": "Done"}}
    assert (entry.action, entry.actor, entry.content_type.model_class()) == (
        "UPDATE",
        user,
        Component,
    )
    assert entry.request_id is not None


def test_a_new_identifier_is_audited_with_the_state_in_one_entry(link, record):
    moved = {"name": "Backlog", "type": "backlog"}
    applied(event(identifier="OPS-7", state=moved))
    [entry] = entries(record)
    assert entry.changes == {
        "linear_issue": {"old": "ENG-42", "new": "OPS-7"},
        "linear_issue_state": {"old": "Todo", "new": "Backlog"},
    }


def test_an_event_older_than_the_links_last_change_is_not_applied(link, record):
    """Delivered late (a retry): the issue as it was before the change the
    link already has."""
    applied(event(state={"name": "Done", "type": "completed"}, updatedAt="2026-12-06T10:00:00Z"))
    late = event(state={"name": "In Progress", "type": "started"}, updatedAt="2026-12-06T09:30Z")
    assert applied(late) is True
    link.refresh_from_db()
    assert (link.state, link.issue_updated_at.hour) == ("Done", 10)
    assert entries(record).count() == 1


def test_an_event_older_than_the_last_event_is_not_applied_though_that_changed_nothing(
    link, record
):
    """An edit of what the link does not keep (the description) at 09:20,
    then a state change of 09:10 delivered late: Linear's latest is Todo."""
    assert applied(event(description="More detail", updatedAt="2026-12-06T09:20:00Z")) is True
    late = event(state={"name": "In Progress", "type": "started"}, updatedAt="2026-12-06T09:10Z")
    assert applied(late) is True
    link.refresh_from_db()
    assert (link.state, link.issue_updated_at.minute) == ("Todo", 20)
    assert not entries(record).exists()


def test_an_event_without_its_time_is_applied(link):
    payload = event(title="Renamed")
    del payload["data"]["updatedAt"]
    applied(payload)
    link.refresh_from_db()
    assert (link.title, link.issue_updated_at.hour) == ("Renamed", 9)


def test_a_create_event_of_a_linked_issue_is_an_update(link):
    assert applied(event("create", title="Renamed")) is True
    link.refresh_from_db()
    assert link.title == "Renamed"


def test_a_remove_deletes_the_link_and_audits_it(link, record, user):
    assert applied(event("remove"), user) is True
    assert not LinearIssueLink.objects.exists()
    [entry] = entries(record)
    assert entry.changes == {"linear_issue": {"old": "ENG-42", "new": None}}
    assert entry.actor == user


def test_an_event_that_changes_nothing_writes_nothing(link, record):
    updated_at = link.updated_at
    assert applied(event(updatedAt="2026-12-06T09:00:00Z")) is True
    link.refresh_from_db()
    assert link.updated_at == updated_at
    assert not entries(record).exists()


def test_a_newer_event_that_changes_nothing_shown_moves_only_the_issues_time(link, record):
    assert applied(event()) is True  # 09:05, the link's issue as it was at 09:00
    link.refresh_from_db()
    assert (link.state, link.title, link.issue_updated_at.minute) == ("Todo", "CMP-0001 Sensor", 5)
    assert not entries(record).exists()


@pytest.mark.parametrize(
    "payload",
    [
        event(id="9d1e0000-0000-4000-8000-000000000000", title="Someone else's"),
        event(type_="Comment", title="A comment"),
        {"action": "update", "type": "Issue", "data": None},
        {"action": "update", "type": "Issue", "data": {"id": 42}},
        [],
    ],
    ids=["unknown issue", "another type", "no data", "an id that is no text", "no object"],
)
def test_an_event_of_no_linked_issue_writes_nothing(link, record, payload):
    assert applied(payload) is False
    link.refresh_from_db()
    assert link.title == "CMP-0001 Sensor"
    assert not entries(record).exists()


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        ({"state": None}, "no state.name, state.type"),
        ({"url": 42}, "no url"),
        ({"url": "javascript:alert(document.cookie)"}, r"url is no http\(s\) URL"),
        ({"url": "JavaScript://linear.app/%0aalert(1)"}, r"url is no http\(s\) URL"),
        ({"url": "data:text/html,<script>alert(1)</script>"}, r"url is no http\(s\) URL"),
        ({"url": "/relative/path"}, r"url is no http\(s\) URL"),
        ({"updatedAt": "yesterday"}, "updatedAt is no time"),
        ({"updatedAt": "2026-12-06T09:00:00"}, "updatedAt is no time"),  # no time zone
    ],
)
def test_an_update_describing_the_issue_wrongly_is_an_error(link, changed, message):
    with pytest.raises(LinearError, match=f"malformed: {message}"):
        applied(event(title="Renamed", **changed))
    link.refresh_from_db()
    assert (link.title, link.state) == ("CMP-0001 Sensor", "Todo")


def test_the_link_of_a_record_gone_without_its_delete_is_kept_without_audit(link, record):
    """Its row removed by SQL, say: there is no record to audit."""
    gone = Component.objects.filter(pk=record.pk)
    gone._raw_delete(gone.db)
    count = AuditEntry.objects.count()
    assert applied(event(state={"name": "Done", "type": "completed"})) is True
    link.refresh_from_db()
    assert link.state == "Done"
    assert AuditEntry.objects.count() == count


def test_a_state_change_entry_cannot_be_reverted(api, link, record):
    applied(event(state={"name": "Done", "type": "completed"}))
    [entry] = entries(record)
    response = api.post(
        f"/api/v1/components/components/{record.pk}/revert/", {"audit_id": entry.pk}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "not_revertible"
