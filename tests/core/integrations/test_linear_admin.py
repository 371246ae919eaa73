"""The admin's list of Linear links: which record has which issue, the
record named by its public id and linking to it, in a bounded number of
queries whatever the page holds."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.components.models import Component
from apps.core.models import AuditAction, AuditEntry, LinearIssueLink

pytestmark = pytest.mark.django_db


def link(record, number: int) -> LinearIssueLink:
    return LinearIssueLink.objects.create(
        content_type=ContentType.objects.get_for_model(Component),
        object_id=record.pk,
        linear_id=f"issue-{number}",
        identifier=f"ENG-{number}",
        title=f"Issue {number}",
        url=f"https://linear.app/acme/issue/ENG-{number}/",
        state="Todo",
        state_type="unstarted",
    )


def test_each_link_names_its_record_and_links_to_it(admin_client):
    record = Component.objects.create(name="Sensor", part_number="S-1")
    link(record, 42)

    page = admin_client.get("/admin/core/linearissuelink/").content.decode()

    assert f'<a href="/admin/components/component/{record.pk}/change/">CMP-0001</a>' in page
    assert "ENG-42" in page


def test_a_record_gone_without_its_delete_is_named_by_its_type_and_id(admin_client):
    """Its row removed by SQL, say, so its link did not go with it (a delete
    through Django takes the link along: test_linear_api.py)."""
    record = Component.objects.create(name="Sensor", part_number="S-1")
    link(record, 42)
    pk = record.pk
    gone = Component.objects.filter(pk=pk)
    gone._raw_delete(gone.db)

    page = admin_client.get("/admin/core/linearissuelink/").content.decode()

    assert f"Components | component {pk} (gone)" in page


def test_the_records_are_read_in_one_query_not_one_per_link(admin_client):
    for number in range(1, 4):
        link(Component.objects.create(name=f"Part {number}", part_number=f"P-{number}"), number)
    admin_client.get("/admin/core/linearissuelink/")  # the session and content types, read once
    with CaptureQueriesContext(connection) as three:
        admin_client.get("/admin/core/linearissuelink/")
    for number in range(4, 9):
        link(Component.objects.create(name=f"Part {number}", part_number=f"P-{number}"), number)
    with CaptureQueriesContext(connection) as eight:
        admin_client.get("/admin/core/linearissuelink/")
    assert len(eight) == len(three)


def link_queries(captured) -> list[str]:
    table = LinearIssueLink._meta.db_table
    return [q["sql"].split()[0].upper() for q in captured if table in q["sql"]]


def delete_selected(admin_client, records):
    return admin_client.post(
        "/admin/components/component/",
        {"action": "delete_selected", "_selected_action": [r.pk for r in records], "post": "yes"},
    )


@pytest.mark.parametrize("count", [4, 40])
def test_deleting_selected_records_reads_and_removes_their_links_in_two_queries(
    admin_client, count
):
    """Django sends `pre_delete` once a record: each asked for its link (and
    deleted it) on its own. Every deleted record's last audit entry still
    says that its link went, and a record without one says nothing of it."""
    records = [Component.objects.create(name=f"P{n}", part_number=f"P-{n}") for n in range(count)]
    for number, record in enumerate(records[::2], start=1):
        link(record, number)

    with CaptureQueriesContext(connection) as captured:
        response = delete_selected(admin_client, records)

    assert response.status_code == 302
    assert not Component.objects.exists()
    assert not LinearIssueLink.objects.exists()
    assert link_queries(captured) == ["SELECT", "DELETE"]
    deletions = {
        entry.public_id: entry.changes
        for entry in AuditEntry.objects.filter(action=AuditAction.DELETE)
    }
    assert len(deletions) == count
    for n, record in enumerate(records):
        expected = {"old": f"ENG-{n // 2 + 1}", "new": None} if n % 2 == 0 else None
        assert deletions[record.public_id].get("linear_issue") == expected
        assert deletions[record.public_id]["name"] == {"old": f"P{n}", "new": None}


def test_deleting_one_record_in_the_admin_lets_go_of_its_link(admin_client):
    record = Component.objects.create(name="Relay", part_number="R-1")
    link(record, 42)
    response = admin_client.post(
        f"/admin/components/component/{record.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not LinearIssueLink.objects.exists()
    entry = AuditEntry.objects.get(public_id=record.public_id, action=AuditAction.DELETE)
    assert entry.changes["linear_issue"] == {"old": "ENG-42", "new": None}
