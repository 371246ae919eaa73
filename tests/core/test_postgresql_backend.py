"""The PostgreSQL backend (apps/core/backends/postgresql): statements a
connection runs often are prepared, so PostgreSQL plans them once; a
statement with a LIKE, every statement of a filtered list and the activity
feed's page read in one statement are planned for their values every time;
a one-row INSERT's text is kept, not written anew; bulk writes fit the
protocol's parameter limit; a reused connection's health check sends
nothing unless its socket has something to say."""

import datetime
import select
from unittest import mock

import psycopg
import pytest
from django.db import NotSupportedError, connection, transaction
from django.db.backends.postgresql.compiler import SQLInsertCompiler as DjangoInsertCompiler
from django.db.models import Value, sql
from django.test.utils import CaptureQueriesContext

from apps.components.models import Component
from apps.core.backends.postgresql.base import DatabaseWrapper
from apps.core.backends.postgresql.compiler import SQLInsertCompiler
from apps.core.context import acting_as
from apps.core.models import AuditEntry, IdCounter
from apps.core.testing.api import client_for
from apps.core.testing.samples import create_sample

LIST = "/api/v1/components/components/"

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def record(user):
    with acting_as(user):
        return create_sample(Component, 1)


def prepared_statements() -> list[str]:
    """What this session holds prepared (psycopg names them; PostgreSQL
    lists them per session)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def runs_before_prepared() -> int:
    threshold = connection.connection.prepare_threshold
    assert threshold is not None, "prepared statements are off (DATABASE_PREPARED_STATEMENTS)"
    return threshold


def test_a_record_read_often_is_planned_once(api, record):
    for _ in range(runs_before_prepared() + 1):
        assert api.get(f"{LIST}{record.pk}/").status_code == 200
    reads = [s for s in prepared_statements() if s.startswith('SELECT "components_component"')]
    assert reads, prepared_statements()


def test_a_write_often_repeated_is_planned_once(api, record):
    for n in range(runs_before_prepared() + 1):
        # A value the record never held: each PATCH writes its row, history and audit.
        response = api.patch(f"{LIST}{record.pk}/", {"quantity_on_hand": 5000 + n}, format="json")
        assert response.status_code == 200
    statements = prepared_statements()
    assert any(s.startswith('UPDATE "components_component"') for s in statements), statements
    assert any(s.startswith('INSERT INTO "core_auditentry"') for s in statements), statements


def test_a_search_is_planned_for_its_term_every_time(api, record):
    # How common the term is decides the best plan; a generic plan cannot know.
    for _ in range(2 * runs_before_prepared()):
        assert api.get(f"{LIST}?search=sample").status_code == 200
        assert api.get(f"{LIST}{record.pk}/").status_code == 200
    statements = prepared_statements()
    assert any(s.startswith('SELECT "components_component"') for s in statements), statements
    assert not [s for s in statements if " LIKE " in s]


def test_an_unfiltered_list_read_often_is_planned_once(api, record):
    for _ in range(2 * runs_before_prepared()):
        assert api.get(LIST).status_code == 200
    statements = prepared_statements()
    assert any(s.startswith('SELECT "components_component"') for s in statements), statements


def test_a_filtered_list_is_planned_for_its_values_every_time(api, record):
    # How many records carry the tag or status asked decides the best plan;
    # a plan kept for the statement is made for an average value.
    for n in range(2 * runs_before_prepared()):
        tag, status = ("even", "ACTIVE") if n % 2 else ("odd", "DRAFT")
        assert api.get(LIST, {"tag": tag}).status_code == 200
        assert api.get(LIST, {"status": status, "ordering": "name"}).status_code == 200
        assert api.get(f"{LIST}{record.pk}/").status_code == 200
    statements = prepared_statements()
    assert any(s.startswith('SELECT "components_component"') for s in statements), statements
    tested = ('"tag_id" IN', '"status" = $', 'LOWER("core_tag"."name")')
    assert [s for s in statements if any(test in s for test in tested)] == []


def test_the_activity_feed_in_one_statement_is_planned_for_its_values_every_time(api, record):
    # Filtered or not, a feed is narrowed to the entity types its caller may
    # read: a plan kept for callers of busy tools walks the whole trail for a
    # caller of quiet ones. Whether the page's records still exist is read by
    # id, with any plan. (`api` may read every tool: one statement.)
    request_id = "6c1e2a3b-0b7d-4d7e-9a51-3f0c4a1f2b9e"
    for _ in range(2 * runs_before_prepared()):
        assert api.get("/api/v1/activity/").status_code == 200
        assert api.get("/api/v1/activity/", {"request_id": request_id}).status_code == 200
    statements = prepared_statements()
    assert not [s for s in statements if "core_auditentry" in s]
    assert any('FROM "components_component" WHERE' in s for s in statements), statements


def test_the_activity_feed_read_by_type_is_planned_once(user, record):
    # Each type's entries from the index on type and time (or on actor, type
    # and time): no value changes the plan, nor how many types the caller
    # reads (their ids are one array).
    callers = [("components:read",), ("testing:read",)] * 2 * runs_before_prepared()
    for permissions in callers:
        for params in [{}, {"actor": user.pk}, {"actor": user.pk + 1}]:
            feed = client_for(user, *permissions).get("/api/v1/activity/", params)
            assert feed.status_code == 200
    statements = [s for s in prepared_statements() if "core_auditentry" in s]
    assert len(statements) == 2, statements  # with an actor and without
    assert all(" LATERAL " in statement for statement in statements)
    # And each runs on the plan PostgreSQL keeps once it has made five, not
    # planned on every call.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE '%%LATERAL%%'"
        )
        for generic, custom in cursor.fetchall():
            assert generic > custom, (generic, custom)


def test_the_admins_lists_are_planned_for_their_values_every_time(admin_client, record):
    for _ in range(2 * runs_before_prepared()):
        response = admin_client.get("/admin/components/component/", {"status__exact": "ACTIVE"})
        assert response.status_code == 200
        response = admin_client.get("/admin/core/auditentry/", {"action__exact": "CREATE"})
        assert response.status_code == 200
    tables = ("components_component", "core_auditentry")
    assert not [s for s in prepared_statements() if any(table in s for table in tables)]


def test_a_connection_keeps_at_most_the_configured_number_prepared():
    # DATABASE_PREPARED_STATEMENTS_MAX: the least recently used goes first.
    options = connection.settings_dict["OPTIONS"] | {"prepared_max": 2}
    other = DatabaseWrapper(connection.settings_dict | {"OPTIONS": options}, connection.alias)
    try:
        other.ensure_connection()  # refused by libpq if the option reached it
        assert other.connection.prepared_max == 2
        with other.cursor() as cursor:
            for number in (1, 2, 3):
                for _ in range(runs_before_prepared() + 1):
                    cursor.execute(f"SELECT {number} + %s", [1])
            # psycopg evicts as it next meets a new statement (this one) and
            # closes the evicted one on the server before the statement after.
            for _ in range(2):
                cursor.execute("SELECT statement FROM pg_prepared_statements ORDER BY 1")
            assert [row[0] for row in cursor.fetchall()] == ["SELECT 2 + $1", "SELECT 3 + $1"]
    finally:
        other.close()


def compiled_both_ways(obj):
    """The one-row INSERT that saving `obj` sends, as this backend writes it
    and as Django writes it, at one frozen moment (auto_now takes the time)."""
    model = type(obj)
    meta = model._meta
    query = sql.InsertQuery(model)
    query.insert_values(
        [f for f in meta.local_concrete_fields if not f.generated and f is not meta.auto_field],
        [obj],
    )
    compiler = query.get_compiler(connection=connection)
    assert isinstance(compiler, SQLInsertCompiler)
    compiler.returning_fields = meta.db_returning_fields
    moment = datetime.datetime(2026, 12, 4, 15, 0, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        ours, django = compiler.as_sql(), DjangoInsertCompiler.as_sql(compiler)
    # psycopg's JSON wrappers compare by identity: compare what they wrap.
    return [
        [(text, [getattr(value, "obj", value) for value in params]) for text, params in statements]
        for statements in (ours, django)
    ]


def test_a_one_row_insert_is_written_as_django_writes_it(record):
    entry = AuditEntry.objects.filter(object_id=record.pk).first()
    new_record = Component(
        **{
            f.attname: getattr(record, f.attname)
            for f in Component._meta.concrete_fields
            if not f.primary_key and not f.generated
        }
    )
    for obj in (new_record, record.history.first(), entry):
        obj.pk = None
        ours, django = compiled_both_ways(obj)
        assert ours == django
        ((text, _),) = ours
        assert text.startswith(f'INSERT INTO "{type(obj)._meta.db_table}"')
        assert "RETURNING" in text


def test_a_kept_insert_writes_each_row_its_own_values(api, record):
    for n in range(3):
        response = api.post(LIST, {"name": f"Kept {n}", "part_number": f"K-{n}"}, format="json")
        assert response.status_code == 201, response.json()
    rows = Component.objects.filter(part_number__startswith="K-").order_by("part_number")
    expected = [(f"Kept {n}", f"K-{n}") for n in range(3)]
    assert [(row.name, row.part_number) for row in rows] == expected
    assert len({row.public_id for row in rows}) == 3
    assert AuditEntry.objects.filter(object_id__in=[row.pk for row in rows]).count() == 3


def test_an_expression_as_a_value_is_inserted_by_django():
    IdCounter.objects.create(prefix="EXPR", last_number=Value(41) + 1)
    assert IdCounter.objects.get(prefix="EXPR").last_number == 42


def test_many_rows_are_inserted_as_django_inserts_them(record):
    entry = AuditEntry.objects.filter(object_id=record.pk).first()
    copies = []
    for n in range(3):
        copy = AuditEntry.objects.get(pk=entry.pk)
        copy.pk, copy.comment = None, f"copy {n}"
        copies.append(copy)
    with CaptureQueriesContext(connection) as captured:
        AuditEntry.objects.bulk_create(copies)
    assert ["UNNEST" in q["sql"] for q in captured.captured_queries] == [True]
    assert all(copy.pk for copy in copies)


def test_a_bulk_update_past_the_parameter_limit_is_split_to_fit(record):
    # One bound statement takes at most 65,535 parameters; bulk_update() sends
    # an id and a value per row and field (and each id again): 1,600 history
    # rows of 21 fields would need about 68,800 in one UPDATE.
    first = record.history.first()
    history = type(first)
    fields = [f.name for f in history._meta.concrete_fields if not f.primary_key]
    rows = history.objects.bulk_create(
        [history(**{name: getattr(first, name) for name in fields}) for _ in range(1_600)]
    )
    for row in rows:
        row.history_change_reason = "batched"
    history.objects.bulk_update(rows, fields)
    assert history.objects.filter(history_change_reason="batched").count() == 1_600


def test_bulk_batches_count_two_parameters_per_field():
    # bulk_update() sends an id and a value per row and field.
    fields = [Component._meta.get_field(name) for name in ("name", "status", "category")]
    assert connection.ops.bulk_batch_size(fields, range(100_000)) == 65_535 // 6
    assert connection.ops.bulk_batch_size([], range(7)) == 7


@pytest.fixture
def migrated_under_a_prepared_read(transactional_db):
    """A read this connection holds prepared, whose result's column another
    server (here: another connection) then migrates to another type."""
    query = "SELECT id, quantity FROM core_test_prepared WHERE id = %s"
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE core_test_prepared (id int, quantity int)")
        cursor.execute("INSERT INTO core_test_prepared VALUES (1, 2)")
    try:
        for _ in range(runs_before_prepared() + 1):
            with connection.cursor() as cursor:
                cursor.execute(query, [1])
        assert any("core_test_prepared" in s for s in prepared_statements())
        with psycopg.connect(**connection.get_connection_params() | {"autocommit": True}) as other:
            other.execute("ALTER TABLE core_test_prepared ALTER COLUMN quantity TYPE bigint")
        yield query
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE core_test_prepared")


def test_outside_a_transaction_a_migrated_read_runs_again_unprepared(
    migrated_under_a_prepared_read,
):
    with connection.cursor() as cursor:
        cursor.execute(migrated_under_a_prepared_read, [1])
        assert cursor.fetchall() == [(1, 2)]


def test_in_a_transaction_a_migrated_read_fails_once_and_then_works(
    migrated_under_a_prepared_read,
):
    # PostgreSQL aborts the transaction; its rollback makes psycopg forget.
    with pytest.raises(NotSupportedError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(migrated_under_a_prepared_read, [1])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(migrated_under_a_prepared_read, [1])
        assert cursor.fetchall() == [(1, 2)]


@pytest.fixture
def idle_connection():
    """A second connection to the test database, idle between two requests
    (outside the test's transaction, as an app server's connection is)."""
    other = DatabaseWrapper(connection.settings_dict.copy(), connection.alias)
    assert other.settings_dict["CONN_HEALTH_CHECKS"]
    with other.cursor() as cursor:
        cursor.execute("SELECT 'the last request'")
    other.close_if_unusable_or_obsolete()  # as Django ends a request: check it again next time
    yield other
    other.close()


def backend_pid(wrapper) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def last_statement(pid: int) -> str:
    """What the server last ran for that connection, as it reports it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0]


def until_readable(wrapper, seconds=5.0):
    poller = select.poll()
    poller.register(wrapper.connection.fileno(), select.POLLIN)
    assert poller.poll(seconds * 1000), "the server sent nothing"


def test_a_quiet_reused_connection_is_checked_without_a_round_trip(idle_connection):
    pid = idle_connection.connection.info.backend_pid
    idle_connection.close_if_health_check_failed()
    assert idle_connection.health_check_done
    assert last_statement(pid) == "SELECT 'the last request'"  # no SELECT 1 was sent
    assert backend_pid(idle_connection) == pid  # the same connection serves the request


def test_a_connection_the_server_ended_is_replaced_before_the_request_uses_it(idle_connection):
    pid = idle_connection.connection.info.backend_pid
    with connection.cursor() as cursor:  # as a restart or idle_session_timeout would
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    until_readable(idle_connection)
    assert backend_pid(idle_connection) != pid  # a new connection, and no error


def test_a_connection_with_something_to_read_is_asked_with_a_round_trip(idle_connection):
    with idle_connection.cursor() as cursor:
        cursor.execute("LISTEN core_health_check_test")
    idle_connection.close_if_unusable_or_obsolete()
    pid = idle_connection.connection.info.backend_pid
    # From a connection of its own: the test's transaction would hold it back.
    with psycopg.connect(**connection.get_connection_params() | {"autocommit": True}) as other:
        other.execute("NOTIFY core_health_check_test")
    until_readable(idle_connection)
    idle_connection.close_if_health_check_failed()
    assert last_statement(pid) == "SELECT 1"  # Django's own check decided
    assert backend_pid(idle_connection) == pid  # and kept the connection
