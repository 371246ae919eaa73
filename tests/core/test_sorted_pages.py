"""A page that is filtered, or sorted by a column no index leads with, is
read by its ids first on PostgreSQL (`EntityViewSet.reads_ids_first`): the
same records in the same order as Django's own read of the list, with
PostgreSQL finding ids and sort keys rather than whole rows."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.components.models import Component
from apps.core.api import reads
from apps.core.testing.paging import planner_settings

LIST = "/api/v1/components/components/"

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def rows(db):
    """Ties in every sort key, archived records among them."""
    records = Component.objects.bulk_create(
        Component(
            name=f"Part {n % 7}",
            part_number=f"P-{n}",
            supplier="Mouser" if n % 3 else "Digikey",
            unit_cost=Decimal(n % 5),
            quantity_on_hand=n % 4,
            status="ARCHIVED" if n % 11 == 0 else "ACTIVE",
        )
        for n in range(60)
    )
    for record in records[::4]:  # updated later than the rest, in another order
        record.description = "Touched."
        record.save()
    return records


def page_of(api, **params):
    with CaptureQueriesContext(connection) as queries:
        response = api.get(LIST, params)
    assert response.status_code == 200, response.json()
    [page] = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "components_component"."id"')
    ]
    return [item["id"] for item in response.json()["results"]], page


@pytest.mark.parametrize(
    ("params", "order"),
    [
        ({"ordering": "-updated_at"}, ("-updated_at", "-created_at", "-id")),
        ({"ordering": "name"}, ("name", "-created_at", "-id")),
        (
            {"ordering": "-unit_cost,quantity_on_hand"},
            ("-unit_cost", "quantity_on_hand", "-created_at", "-id"),
        ),
        ({"ordering": "name", "offset": 20}, ("name", "-created_at", "-id")),
        (
            {"ordering": "-quantity_on_hand", "supplier": "Mouser"},
            ("-quantity_on_hand", "-created_at", "-id"),
        ),
        ({"supplier": "Mouser"}, ("-created_at", "-id")),
        (
            {"supplier": "Mouser", "ordering": "category", "offset": 5},
            ("category", "-created_at", "-id"),
        ),
    ],
)
def test_a_filtered_or_sorted_page_is_read_by_its_ids_first(api, rows, params, order):
    ids, sql = page_of(api, limit=15, **params)
    listed = Component.objects.exclude(status="ARCHIVED").order_by(*order)
    if "supplier" in params:
        listed = listed.filter(supplier=params["supplier"])
    offset = params.get("offset", 0)
    assert ids == list(listed.values_list("pk", flat=True)[offset : offset + 15])
    assert '"id" IN (SELECT' in sql


@pytest.mark.parametrize("params", [{}, {"ordering": "category"}, {"ordering": "public_id"}])
def test_an_unfiltered_page_in_an_indexed_order_is_read_as_it_is(api, rows, params):
    _, sql = page_of(api, limit=15, **params)
    assert '"id" IN (SELECT' not in sql


@pytest.mark.parametrize("params", [{"ordering": "name"}, {"status": "ACTIVE"}])
def test_keyset_pages_sorted_or_filtered_are_read_by_their_ids_first(api, rows, params):
    listed = Component.objects.exclude(status="ARCHIVED").order_by(
        *(("name", "-created_at", "-id") if "ordering" in params else ("-created_at", "-id"))
    )
    ids, url, statements = [], LIST, []
    query = {**params, "limit": 20, "cursor": ""}
    while url:
        with CaptureQueriesContext(connection) as queries:
            body = api.get(url, query).json()
        statements += [q["sql"] for q in queries.captured_queries]
        ids += [item["id"] for item in body["results"]]
        url, query = body["next"], None
    assert ids == list(listed.values_list("pk", flat=True))
    pages = [sql for sql in statements if sql.startswith('SELECT "components_component"."id"')]
    assert len(pages) == 3
    assert all('"id" IN (SELECT' in sql for sql in pages)


@pytest.mark.parametrize("field", ["status", "category"])
def test_ordering_by_status_or_category_breaks_ties_newest_first_from_its_index(api, rows, field):
    ids, _ = page_of(api, limit=15, ordering=field)
    listed = Component.objects.exclude(status="ARCHIVED").order_by(field, "-created_at", "-id")
    assert ids == list(listed.values_list("pk", flat=True)[:15])
    with planner_settings(enable_sort="off"):
        assert "Sort" not in listed[:16].explain()


@pytest.fixture
def kinds(db):
    """Records of three statuses (one no workflow knows, as after a change of
    workflow) and four categories, newest and oldest of each interleaved."""
    statuses, categories = (
        ["DRAFT", "ACTIVE", "LEGACY", "ARCHIVED"],
        ["", "Cables", "Relays", "Zeta"],
    )
    return Component.objects.bulk_create(
        Component(
            name=f"Part {n}",
            part_number=f"K-{n}",
            supplier="Mouser" if n % 2 else "Digikey",
            status=statuses[n % 4],
            category=categories[n * 7 % 4],
        )
        for n in range(48)
    )


def listed_in(order, **filters):
    rows = Component.objects.exclude(status="ARCHIVED").filter(**filters).order_by(*order)
    return list(rows.values_list("pk", flat=True))


@pytest.mark.parametrize("field", ["status", "category"])
@pytest.mark.parametrize(
    "params", [{}, {"offset": 11}, {"supplier": "Mouser"}, {"offset": 30}], ids=str
)
def test_a_page_sorted_by_an_indexed_column_descending_reads_one_value_at_a_time(
    api, kinds, field, params
):
    with CaptureQueriesContext(connection) as queries:
        body = api.get(LIST, {"ordering": f"-{field}", "limit": 10, **params}).json()
    filters = {"supplier": params["supplier"]} if "supplier" in params else {}
    offset = params.get("offset", 0)
    expected = listed_in((f"-{field}", "-created_at", "-id"), **filters)[offset : offset + 10]
    assert [item["id"] for item in body["results"]] == expected
    statements = [q["sql"] for q in queries.captured_queries]
    assert any(sql.startswith("WITH RECURSIVE found") for sql in statements)  # the values
    # Nothing sorts by the column but the read of the page's own records.
    sorted_by_it = [sql for sql in statements if f'"{field}" DESC' in sql]
    assert len(sorted_by_it) == 1
    assert '"components_component"."id" IN (' in sorted_by_it[0]


def test_keyset_pages_sorted_by_status_descending_read_one_value_at_a_time(api, kinds):
    ids, url, query = [], LIST, {"ordering": "-status", "limit": 7, "cursor": ""}
    while url:
        body = api.get(url, query).json()
        ids += [item["id"] for item in body["results"]]
        url, query = body["next"], None
    assert ids == listed_in(("-status", "-created_at", "-id"))


def test_a_page_deeper_than_the_limit_is_sorted_as_before(api, kinds, monkeypatch):
    monkeypatch.setattr(reads, "DEEPEST_PAGE_READ_ONE_VALUE_AT_A_TIME", 20)
    with CaptureQueriesContext(connection) as queries:
        body = api.get(LIST, {"ordering": "-status", "limit": 10, "offset": 15}).json()
    assert [item["id"] for item in body["results"]] == listed_in(("-status", "-created_at", "-id"))[
        15:25
    ]
    assert not any(q["sql"].startswith("WITH RECURSIVE") for q in queries.captured_queries)


def per_value_reads(queries, field: str) -> list[str]:
    """The statements that read the ids of one value of `field`."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "components_component"."id" AS "pk" FROM')
        and f'"{field}" = ' in q["sql"]
    ]


def test_a_value_the_filters_refuse_is_not_read(api, kinds):
    # The list leaves the archived out: its walk would pass every archived record.
    with CaptureQueriesContext(connection) as queries:
        body = api.get(LIST, {"ordering": "-status", "limit": 10, "offset": 30}).json()
    assert [item["id"] for item in body["results"]] == listed_in(("-status", "-created_at", "-id"))[
        30:40
    ]
    reads = per_value_reads(queries, "status")
    assert len(reads) == 3  # LEGACY, DRAFT, ACTIVE
    archived = '"components_component"."status" = \'ARCHIVED\''
    assert not [sql for sql in reads if f"AND {archived}" in sql]

    with CaptureQueriesContext(connection) as queries:
        body = api.get(LIST, {"ordering": "-status", "status": "DRAFT", "limit": 5}).json()
    assert [item["id"] for item in body["results"]] == listed_in(
        ("-status", "-created_at", "-id"), status="DRAFT"
    )[:5]
    assert len(per_value_reads(queries, "status")) == 1


@pytest.mark.parametrize("ordering", ["category", "-category"])
@pytest.mark.parametrize("params", [{}, {"offset": 4}, {"supplier": "Mouser"}], ids=str)
def test_a_page_filtered_by_the_column_in_any_case_reads_only_the_values_that_match(
    api, kinds, ordering, params
):
    """`?category=relays` matches `Relays` and `RELAYS`: each is walked
    through the index, in the page's order; no other category is."""
    shouted = Component.objects.filter(category="Relays")[:5]
    Component.objects.filter(pk__in=[record.pk for record in shouted]).update(category="RELAYS")
    with CaptureQueriesContext(connection) as queries:
        body = api.get(LIST, {"ordering": ordering, "category": "relays", "limit": 5, **params})
    filters = {"supplier": params["supplier"]} if "supplier" in params else {}
    offset = params.get("offset", 0)
    expected = listed_in((ordering, "-created_at", "-id"), category__iexact="relays", **filters)
    assert [item["id"] for item in body.json()["results"]] == expected[offset : offset + 5]
    walked = {sql.split('"category" = ')[1][:8] for sql in per_value_reads(queries, "category")}
    assert walked
    assert walked <= {"'RELAYS'", "'Relays'"}


def test_the_database_says_which_values_match_in_any_case(api, kinds):
    # Python upper-cases "ß" to "SS"; PostgreSQL leaves it as it is.
    Component.objects.filter(category="Zeta").update(category="Straße")
    with CaptureQueriesContext(connection) as queries:
        body = api.get(LIST, {"ordering": "category", "category": "STRASSE"}).json()
    assert body["results"] == []
    assert per_value_reads(queries, "category") == []
    body = api.get(LIST, {"ordering": "-category", "category": "straße"}).json()
    assert [item["id"] for item in body["results"]] == listed_in(
        ("-category", "-created_at", "-id"), category="Straße"
    )[:25]


def test_a_column_filtered_otherwise_is_sorted_as_before(api, kinds):
    """A keyset page after the first is bounded by the column, which says
    nothing of the values it refuses: each would be walked for none."""
    first = api.get(LIST, {"ordering": "-category", "limit": 5, "cursor": ""}).json()
    with CaptureQueriesContext(connection) as queries:
        body = api.get(first["next"]).json()
    assert [item["id"] for item in body["results"]] == listed_in(
        ("-category", "-created_at", "-id")
    )[5:10]
    assert not any(q["sql"].startswith("WITH RECURSIVE") for q in queries.captured_queries)
