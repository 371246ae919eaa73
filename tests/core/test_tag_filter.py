"""`?tag=`: the records carrying a tag, found by the tag's id. The tags'
ids are looked up first, so the filter tests the links' `tag_id` against
values PostgreSQL can estimate, rather than joining the tags' names."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.components.models import Component
from apps.core.models import Tag

LIST = "/api/v1/components/components/"

pytestmark = pytest.mark.django_db


def page(api, **params):
    with CaptureQueriesContext(connection) as queries:
        response = api.get(LIST, params)
    assert response.status_code == 200, response.json()
    body = response.json()
    return [item["part_number"] for item in body["results"]], body["count"], queries


@pytest.fixture
def tagged(db):
    records = Component.objects.bulk_create(
        Component(name=f"Part {n}", part_number=f"P-{n}") for n in range(6)
    )
    tags = [["Rare"], ["common"], ["common", "rare"], [], ["RARE"], ["x"]]
    for record, names in zip(records, tags, strict=True):
        record.set_tags(names)
        record.save()
    return records


def test_one_tag_is_matched_in_any_case_by_its_id(api, tagged):
    parts, count, queries = page(api, tag="rare")
    assert parts == ["P-4", "P-2", "P-0"]  # one tag: "Rare", "rare" and "RARE" are one
    assert count == 3
    [rare] = Tag.objects.filter(name__iexact="rare")
    [listed] = [q["sql"] for q in queries.captured_queries if "LIMIT 51" in q["sql"]]
    assert f'"tag_id" IN ({rare.pk})' in listed
    assert not names_compared(queries)
    # The tags are found as their unique constraint compares them, through its index.
    found = 'SELECT "core_tag"."id" AS "pk" FROM "core_tag" WHERE LOWER("core_tag"."name") = '
    assert [q for q in queries.captured_queries if q["sql"].startswith(found)]


def names_compared(queries) -> list[str]:
    """The statements reading records that compare tags' names."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "components_component"' in q["sql"] and '"name"::text) = UPPER(' in q["sql"]
    ]


def test_several_tags_are_matched_by_their_ids(api, tagged):
    parts, count, queries = page(api, tag=["COMMON", "rare"])
    assert (parts, count) == (["P-2"], 1)
    assert not names_compared(queries)
    [listed] = [q["sql"] for q in queries.captured_queries if "LIMIT 51" in q["sql"]]
    assert '"tag_id" IN (' in listed


def test_a_tag_no_record_has_lists_nothing_without_reading_the_records(api, tagged):
    parts, count, queries = page(api, tag="nowhere")
    assert (parts, count) == ([], 0)
    assert not [q for q in queries.captured_queries if 'FROM "components_component"' in q["sql"]]
    assert page(api, tag=["rare", "nowhere"])[:2] == ([], 0)


def test_several_tags_count_each_records_links_once_not_distinct(api, tagged):
    # A (record, tag) link is unique, so a record's links to the tags asked
    # are its tags among them: counting them distinct sorted each record's links.
    parts, count, queries = page(api, tag=["common", "rare", "x"])
    assert (parts, count) == ([], 0)  # P-2 carries two of the three
    parts, count, queries = page(api, tag=["Common", "COMMON", "rare"])
    assert (parts, count) == (["P-2"], 1)  # two names, in any case
    [listed] = [q["sql"] for q in queries.captured_queries if "LIMIT 51" in q["sql"]]
    assert 'HAVING COUNT(U0."tag_id") = 2' in listed
    assert "DISTINCT" not in listed
