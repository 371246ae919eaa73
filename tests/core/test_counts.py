"""List counts that do not read a large table: estimated when unfiltered,
capped when filtered (PostgreSQL), exact otherwise. A large table is
simulated by lowering the thresholds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.components.models import Component
from apps.core.api.counts import forget_table_sizes

LIST = "/api/v1/components/components/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(db):
    Component.objects.bulk_create(
        Component(name=f"Part {n}", part_number=f"P-{n}", category="Even" if n % 2 else "Odd")
        for n in range(40)
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Component._meta.db_table}")
    forget_table_sizes()  # as a minute later, when the process reads the size again


def list_page(api, **params):
    with CaptureQueriesContext(connection) as queries:
        response = api.get(LIST, params)
    assert response.status_code == 200, response.json()
    counted = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    return response.json(), counted


@pytest.mark.postgres
def test_an_unfiltered_list_of_a_large_table_reports_the_estimate(api, rows, settings):
    settings.API_COUNT_ESTIMATE_THRESHOLD = 10
    body, counted = list_page(api, limit=5)
    assert body["count_is_estimate"] is True
    assert 30 <= body["count"] <= 50  # the planner's estimate after ANALYZE: about 40
    assert counted == []


@pytest.mark.postgres
def test_an_unfiltered_list_below_the_threshold_is_counted_exactly(api, rows, settings):
    settings.API_COUNT_ESTIMATE_THRESHOLD = 1000
    body, _ = list_page(api, limit=5)
    assert (body["count"], body["count_is_estimate"]) == (40, False)


@pytest.mark.postgres
def test_a_small_table_is_counted_without_asking_the_planner(api, rows, settings):
    settings.API_COUNT_ESTIMATE_THRESHOLD = 1000
    list_page(api, limit=5)  # reads the table's size
    with CaptureQueriesContext(connection) as queries:
        assert api.get(LIST, {"limit": 5}).json()["count"] == 40
    sql = [q["sql"].upper() for q in queries.captured_queries]
    assert not any("EXPLAIN" in q or "PG_CLASS" in q for q in sql), sql
    assert sum("COUNT(" in q for q in sql) == 1


@pytest.mark.postgres
def test_a_filtered_list_is_counted_up_to_the_cap(api, rows, settings):
    settings.API_COUNT_CAP = 15
    body, counted = list_page(api, category="even", limit=5)
    assert (body["count"], body["count_is_estimate"]) == (15, True)
    [count_query] = counted
    assert "LIMIT 16" in count_query
    settings.API_COUNT_CAP = 25
    body, _ = list_page(api, category="even", limit=5)
    assert (body["count"], body["count_is_estimate"]) == (20, False)


@pytest.mark.postgres
def test_next_links_do_not_depend_on_an_estimated_count(api, rows, settings):
    settings.API_COUNT_CAP = 5
    body, _ = list_page(api, category="even", limit=5, offset=10)
    assert body["count_is_estimate"] is True
    assert body["next"] is not None
    assert "offset=15" in body["next"]


@pytest.mark.postgres
def test_a_short_page_gives_the_exact_count_without_counting(api, rows, settings):
    settings.API_COUNT_ESTIMATE_THRESHOLD = 10
    settings.API_COUNT_CAP = 5
    for params in ({"limit": 50}, {"category": "even", "limit": 50}, {"offset": 35}):
        body, counted = list_page(api, **params)
        assert body["count_is_estimate"] is False, params
        assert counted == [], params
    assert list_page(api, limit=50)[0]["count"] == 40
    assert list_page(api, offset=35)[0]["count"] == 40


def test_counts_stay_exact_off_postgresql(api, rows, settings):
    if connection.vendor == "postgresql":
        pytest.skip("the SQLite behaviour")
    settings.API_COUNT_ESTIMATE_THRESHOLD = 10
    settings.API_COUNT_CAP = 5
    assert list_page(api, limit=5)[0]["count"] == 40
    body, _ = list_page(api, category="even", limit=5)
    assert (body["count"], body["count_is_estimate"]) == (20, False)
