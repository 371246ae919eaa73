"""The number of queries of the standard API's hot paths, pinned: a change
that adds one (a lazy relation, a per-row query, a lost batch) fails here,
whatever the machine's speed. Each count is listed query by query; the
request runs inside the test's transaction, so its own transaction shows as
a savepoint."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.components.models import Component
from apps.core.api.counts import forget_table_sizes
from apps.core.context import acting_as
from apps.core.testing.samples import create_sample

LIST = "/api/v1/components/components/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(user):
    with acting_as(user):
        for n in range(60):
            record = create_sample(Component, n)
            if n % 2:
                record.set_tags(["even", f"tag-{n}"])
                record.save()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # as autovacuum would, for a table this size
            cursor.execute(f"ANALYZE {Component._meta.db_table}")
        forget_table_sizes()
    return list(Component.objects.order_by("pk"))


def queries_of(api, method, url, body=None):
    api.get(LIST)  # per-process reads (content types, the table's size) happen once
    with CaptureQueriesContext(connection) as captured:
        response = getattr(api, method)(url, body, format="json")
    assert response.status_code in (200, 201), response.json()
    return [q["sql"].split()[0].upper() for q in captured.captured_queries]


def on_postgresql(postgresql, other):
    return postgresql if connection.vendor == "postgresql" else other


def test_a_list_page_is_read_in_a_fixed_number_of_queries(api, rows):
    assert queries_of(api, "get", LIST + "?limit=50") == on_postgresql(
        ["SELECT", "SELECT"],  # the page with authors and tags, the count
        ["SELECT", "SELECT", "SELECT"],  # the page with authors, the count, the tags
    )
    # Filtered and searched: the same queries, however many rows match.
    assert len(queries_of(api, "get", LIST + "?limit=50&search=sample&status=DRAFT")) == (
        on_postgresql(2, 3)
    )
    # A search alone: on PostgreSQL its capped count is in its page's statement.
    assert queries_of(api, "get", LIST + "?limit=5&search=sample") == on_postgresql(
        ["WITH"],  # the matches numbered, the page with authors and tags, the count
        ["SELECT", "SELECT", "SELECT"],  # the page with authors, the count, the tags
    )


def test_a_record_is_read_in_one_query(api, rows):
    assert queries_of(api, "get", f"{LIST}{rows[7].pk}/") == on_postgresql(
        ["SELECT"],  # the record with its authors and tags
        ["SELECT", "SELECT"],  # the record with its authors, its tags
    )


def test_a_create_writes_in_a_fixed_number_of_queries(api, rows):
    body = {"name": "New part", "part_number": "P-NEW", "tags": ["even", "fresh"]}
    captured = queries_of(api, "post", LIST, body)
    assert captured[1:-1] == [
        # (part_number is unique: the insert checks it, no query before)
        "INSERT",  # the next public id (the per-prefix counter)
        "INSERT",  # the record
        "INSERT",  # its history row
        "SELECT",  # the tags by name
        "INSERT",  # the new tag
        "SELECT",  # the tags by name again, with the new one's id
        "INSERT",  # the record's tags
        "INSERT",  # the audit entry
    ]
    assert captured[0] == "SAVEPOINT"  # the request's transaction


def test_a_patch_writes_in_a_fixed_number_of_queries(api, rows):
    captured = queries_of(api, "patch", f"{LIST}{rows[3].pk}/", {"quantity_on_hand": 77})
    assert captured[1:-1] == on_postgresql(
        [
            "SELECT",  # the record with its authors and tags, its row locked (If-Match)
            "UPDATE",  # the record
            "INSERT",  # its history row
            "INSERT",  # the audit entry
        ],
        ["SELECT", "SELECT", "UPDATE", "INSERT", "INSERT", "SELECT"],  # tags apart
    )


def test_bulk_tagging_writes_in_a_fixed_number_of_queries(api, rows):
    body = {"ids": [r.pk for r in rows[:5]], "add": ["even", "fresh"], "remove": ["tag-1"]}
    captured = queries_of(api, "post", LIST + "bulk/tags/", body)
    assert captured[1:-1] == [
        # The records named, by id or public id, locked, with their tags: read once.
        *on_postgresql(["SELECT"], ["SELECT", "SELECT"]),
        "SELECT",  # the changed rows locked for the audited write, as they are
        "SELECT",  # their stored tags, to diff
        "SELECT",  # the tags by name
        "INSERT",  # the new tag
        "SELECT",  # the tags by name again, with the new one's id
        "DELETE",  # the records' old tag links
        "INSERT",  # their new ones
        "SELECT",  # the rows, to diff their fields (none changed)
        "UPDATE",  # version, time and author of the changed rows
        "SELECT",  # the changed rows, for their history
        "INSERT",  # their history rows
        "INSERT",  # their audit entries
    ]


def test_a_bulk_update_with_tag_changes_writes_in_a_fixed_number_of_queries(api, rows):
    body = [
        {"id": r.pk, "supplier": "Bulk", "add_tags": ["even", "fresh"], "remove_tags": ["tag-1"]}
        for r in rows[:5]
    ]
    captured = queries_of(api, "patch", LIST + "bulk/", body)
    assert captured[1:-1] == on_postgresql(
        [
            "SELECT",  # the records named, by id or public id
            "SELECT",  # locked, with their tags
            "SELECT",  # the rows locked for the audited write, as they are
            "SELECT",  # their stored tags, to diff
            "SELECT",  # the tags by name
            "INSERT",  # the new tag
            "SELECT",  # the tags by name again, with the new one's id
            "DELETE",  # the records' old tag links
            "INSERT",  # their new ones
            "UPDATE",  # the rows, their fields diffed in the statement
            "INSERT",  # their history rows
            "INSERT",  # their audit entries
            "SELECT",  # the records, read again for the response
        ],
        # the tags apart, and the fields diffed before the update
        ["SELECT"] * 6
        + ["INSERT", "SELECT", "DELETE", "INSERT", "UPDATE", "SELECT"]
        + ["UPDATE", "SELECT", "INSERT", "INSERT", "SELECT", "SELECT"],
    )
