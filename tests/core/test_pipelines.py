"""Statements sent together (`apps.core.db.run_pipelined`): a list's count
goes to PostgreSQL as soon as its page's rows are read, in the list's one
pipeline, and is waited for once the page is serialised, so the server
counts while the records are made and written. The answers are the ones the
statements give one after the other."""

import psycopg
import pytest
from django.db import DataError, connection, transaction
from django.test.utils import CaptureQueriesContext
from psycopg import pq

from apps.components.models import Component
from apps.core.api.counts import forget_table_sizes
from apps.core.api.serializers import EntitySerializer
from apps.core.db import run_pipelined

LIST = "/api/v1/components/components/"

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def rows(db, settings):
    settings.API_COUNT_ESTIMATE_THRESHOLD = 1000  # 40 rows: counted exactly
    Component.objects.bulk_create(
        Component(name=f"Part {n}", part_number=f"P-{n}") for n in range(40)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Component._meta.db_table}")
    forget_table_sizes()


def pipeline_status():
    return connection.connection.pgconn.pipeline_status


def test_what_is_sent_in_a_pipeline_is_answered_once_it_is_left(db):
    def work(send):
        answer = send("SELECT %s::int * 2", (21,))
        assert pipeline_status() == pq.PipelineStatus.ON
        with connection.cursor() as cursor:  # Django's own statements go in it too
            cursor.execute("SELECT %s::text", ["read in the pipeline"])
            assert cursor.fetchone() == ("read in the pipeline",)
        return answer

    answer = run_pipelined(connection.alias, work)
    assert pipeline_status() == pq.PipelineStatus.OFF
    assert answer() == 42


def test_an_answer_read_within_the_pipeline_waits_for_its_statement_alone(db):
    def work(send):
        first, second = send("SELECT %s::int", (1,)), send("SELECT %s::int", (2,))
        assert first() == 1
        assert pipeline_status() == pq.PipelineStatus.ON
        return first, second

    first, second = run_pipelined(connection.alias, work)
    assert (first(), second()) == (1, 2)


def test_a_server_side_cursor_asked_for_in_a_pipeline_reads_client_side(db):
    # psycopg has no server-side cursor in a pipeline: a serializer that reads
    # a relation with `iterator()` while a list's count is in flight.
    Component.objects.bulk_create(
        Component(name=f"Part {n}", part_number=f"P-{n}") for n in range(3)
    )

    def work(send):
        answer = send("SELECT %s::int", (7,))
        names = [c.name for c in Component.objects.order_by("id").iterator(chunk_size=2)]
        return names, answer()

    assert run_pipelined(connection.alias, work) == (["Part 0", "Part 1", "Part 2"], 7)


def test_an_error_in_a_pipeline_is_raised_as_django_raises_it(db):
    with pytest.raises(DataError), transaction.atomic():
        run_pipelined(connection.alias, lambda send: send("SELECT 1 / %s", (0,)))
    with connection.cursor() as cursor:  # the connection is as usable as before
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def sent_for(api, params):
    api.get(LIST, params)  # the first request of a process takes the SQL it keeps
    with CaptureQueriesContext(connection) as captured:
        response = api.get(LIST, params)
    assert response.status_code == 200, response.json()
    body = response.json()
    return (body["count"], body["count_is_estimate"]), [q["sql"] for q in captured]


def test_a_full_pages_count_is_sent_after_its_page(api, rows):
    count, [page, counted] = sent_for(api, {"limit": 5})
    assert count == (40, False)
    assert "COUNT(" not in page
    assert "LIMIT 6" in page
    assert "COUNT(" in counted


def test_a_lists_count_is_waited_for_once_its_page_is_serialised(api, rows, monkeypatch):
    seen = []
    to_representation = EntitySerializer.to_representation

    def serialise(serializer, instance):
        seen.append((pipeline_status(), any("COUNT(" in q["sql"] for q in captured)))
        return to_representation(serializer, instance)

    monkeypatch.setattr(EntitySerializer, "to_representation", serialise)
    api.get(LIST, {"limit": 5})  # the SQL kept
    with CaptureQueriesContext(connection) as captured:
        response = api.get(LIST, {"limit": 5})
    assert response.json()["count"] == 40
    # Every record was written with the count sent and not yet waited for.
    assert seen[-5:] == [(pq.PipelineStatus.ON, True)] * 5
    assert pipeline_status() == pq.PipelineStatus.OFF


def test_a_large_tables_search_sends_its_capped_count_after_its_page(api, rows, settings):
    # 40 rows over the threshold: page and count are planned each for itself
    # (`counts.counted_with_page`).
    settings.API_COUNT_ESTIMATE_THRESHOLD = 20
    settings.API_COUNT_CAP = 15
    count, [page, counted] = sent_for(api, {"search": "part", "limit": 5})
    assert count == (15, True)
    assert "COUNT(" not in page
    assert "LIMIT 16" in counted


def test_a_searchs_capped_count_is_read_in_its_pages_own_statement(api, rows, settings):
    # Not sent after it: one statement finds the matches once for both
    # (`PreparedCountedPage`).
    settings.API_COUNT_CAP = 15
    count, [page] = sent_for(api, {"search": "part", "limit": 5})
    assert count == (15, True)
    assert "COUNT(*)" in page
    assert "LIMIT 16)" in page  # the matches numbered: one past the cap


@pytest.mark.parametrize(
    "params",
    [{"limit": 50}, {"search": "part 1", "limit": 50}, {"offset": 38}],
    ids=["whole list", "search", "last page"],
)
def test_a_page_that_tells_the_count_sends_none(api, rows, params):
    (count, is_estimate), sent = sent_for(api, params)
    assert not is_estimate
    assert count == Component.objects.search(params.get("search", "")).count()
    assert len(sent) == 1  # the page


def test_an_empty_page_past_the_end_is_counted(api, rows):
    count, [_, counted] = sent_for(api, {"offset": 100})
    assert count == (40, False)
    assert "COUNT(" in counted


@pytest.fixture
def quantity_as_bigint(transactional_db):
    """The components' quantity migrated to bigint by another server (here:
    another connection) while this one holds a list page prepared."""

    def alter(type_):
        with psycopg.connect(**connection.get_connection_params() | {"autocommit": True}) as other:
            other.execute(f"ALTER TABLE components_component ALTER quantity_on_hand TYPE {type_}")

    yield lambda: alter("bigint")
    alter("integer")
    connection.connection.execute("DEALLOCATE ALL")  # what this test's connection prepared since


def test_a_page_prepared_before_a_migration_is_read_again_unprepared(api, rows, quantity_as_bigint):
    before = sent_for(api, {"limit": 5})
    for _ in range(connection.connection.prepare_threshold):
        api.get(LIST, {"limit": 5})
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        assert any(s.startswith('SELECT "components_component"') for (s,) in cursor.fetchall())
    quantity_as_bigint()
    assert sent_for(api, {"limit": 5})[0] == before[0]
