"""What the tests of `…/{id}/linear-issue/` share: its path, a POST to it,
the link a first one answers, and the record's audit entries it writes."""

from django.contrib.contenttypes.models import ContentType

from apps.components.models import Component
from apps.core.models import AuditEntry, LinearIssueLink


def url(record) -> str:
    return f"/api/v1/components/components/{record.pk}/linear-issue/"


def link_issue(api, record, **body):
    return api.post(url(record), body, format="json")


def first_link(response, user) -> dict:
    """The body of a 201 that linked CMP-0001 Sensor to the fake's first
    issue, ENG-42, by `user`: the one link stored."""
    link = LinearIssueLink.objects.get()
    body = response.json()
    return {
        "id": link.pk,
        "linear_id": link.linear_id,
        "identifier": "ENG-42",
        "title": "CMP-0001 Sensor",
        "url": "https://linear.app/acme/issue/ENG-42/",
        "state": "Todo",
        "state_type": "unstarted",
        "created_by": {"id": user.pk, "name": "Alice Tester", "is_active": True},
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }


def entries(record):
    """The record's audit entries since it was made."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Component), object_id=record.pk
    ).exclude(action="CREATE")


def nothing_written(record) -> bool:
    return not LinearIssueLink.objects.exists() and not entries(record).exists()
