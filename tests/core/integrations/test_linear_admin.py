"""The admin's list of Linear links: which record has which issue, the
record named by its public id and linking to it, in a bounded number of
queries whatever the page holds."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.components.models import Component
from apps.core.models import LinearIssueLink

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
