"""The indexes a write keeps up (docs/architecture.md, "Indexes a write
keeps up"): an entity's table, its history table and the audit table carry
no index that another one leads with, a history table only the four its
reads use, and the base fields of an entity one index each, the list-order
one holding each record's status; and the search index's pending list kept
small (apps/core/models/search.py)."""

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.db.migrations.state import ProjectState

from apps.components.models import Component
from apps.core.models import AuditEntry
from apps.core.models.search import (
    PENDING_LIST_LIMIT_KB,
    SetPendingListLimit,
    TrigramIndex,
    trigram_indexes,
)
from apps.core.testing.paging import planner_settings
from apps.core.tools import entity_models

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def indexes(table: str) -> dict[str, str]:
    """Each index of `table`: its name and its definition from `USING` on,
    as `btree (status)`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, regexp_replace(indexdef, '^.* USING ', '') "
            "FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s",
            [table],
        )
        return dict(cursor.fetchall())


def plain_btree_columns(table: str) -> list[tuple[str, bool, tuple[str, ...]]]:
    """(name, unique, columns) of each B-tree index of `table` on columns
    alone (no expression, no operator class of its own), in index order."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT index.relname, i.indisunique, pg_get_indexdef(i.indexrelid),
                   array(SELECT a.attname
                         FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
                         LEFT JOIN pg_attribute a
                           ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                         ORDER BY k.n)
            FROM pg_index i
            JOIN pg_class index ON index.oid = i.indexrelid
            JOIN pg_am am ON am.oid = index.relam
            WHERE i.indrelid = %s::regclass AND am.amname = 'btree'
            """,
            [table],
        )
        return [
            (name, unique, tuple(columns))
            for name, unique, definition, columns in cursor.fetchall()
            if None not in columns and "_ops" not in definition
        ]


def tables():
    for model in entity_models():
        yield model._meta.db_table
        yield model.history.model._meta.db_table
    yield AuditEntry._meta.db_table


@pytest.mark.parametrize("table", list(tables()))
def test_no_index_is_served_by_another(table):
    found = plain_btree_columns(table)
    redundant = [
        (name, other)
        for name, unique, columns in found
        if not unique
        for other, _, longer in found
        if other != name and longer[: len(columns)] == columns
    ]
    assert redundant == []


@pytest.mark.parametrize("model", entity_models(), ids=lambda model: model.__name__)
def test_a_history_table_is_indexed_for_a_record_a_date_and_a_user(model):
    history = model.history.model
    assert sorted(indexes(history._meta.db_table).values()) == [
        "btree (history_date)",
        "btree (history_id)",
        "btree (history_user_id)",
        "btree (id)",
    ]


@pytest.mark.parametrize("model", entity_models(), ids=lambda model: model.__name__)
def test_the_base_fields_of_an_entity_have_one_index_each(model):
    definitions = indexes(model._meta.db_table).values()
    for column in ("public_id", "status", "category"):
        assert not [d for d in definitions if f"({column} varchar_pattern_ops)" in d]
    assert "btree (public_id)" in definitions
    assert "btree (category, created_at DESC, id DESC)" in definitions
    assert "btree (status, created_at DESC, id DESC)" in definitions
    assert "btree (created_at DESC, id DESC, status)" in definitions
    assert "btree (created_at)" not in definitions


@pytest.mark.parametrize("model", entity_models(), ids=lambda model: model.__name__)
def test_a_list_walked_newest_first_leaves_archived_records_out_from_its_index(model):
    """Every list leaves the archived records out; walked in list order for
    a filter on another table (`?tag=`), it tests each record's status in
    the list-order index, not in the record's row (`?tag=passive` at a
    million records: 88-92 → 28 ms). Plans that read rows are turned off: only
    an index holding the status can answer."""
    off = {f"enable_{plan}": "off" for plan in ("seqscan", "bitmapscan", "indexscan", "sort")}
    with planner_settings(**off):
        plan = model.objects.exclude(status="ARCHIVED").values("pk")[:51].explain()
    [list_order] = [
        name
        for name, definition in indexes(model._meta.db_table).items()
        if definition.startswith("btree (created_at DESC, id DESC")
    ]
    assert f"Index Only Scan using {list_order}" in plan


@pytest.mark.parametrize("model", entity_models(), ids=lambda model: model.__name__)
def test_a_status_filter_reads_its_first_page_newest_first_from_its_index(model):
    """Not by passing over every newer record of another status, as the
    list-order index did for the first archived records at a million."""
    with planner_settings(enable_sort="off"):
        plan = model.objects.filter(status="ARCHIVED")[:51].explain()
    assert "Sort" not in plan
    assert "Index Cond: ((status)::text = 'ARCHIVED'::text)" in plan


def pending_list_limit(index: str) -> str | None:
    """The index's `gin_pending_list_limit` storage setting, if it has one."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT option_value FROM pg_class, pg_options_to_table(reloptions) "
            "WHERE oid = %s::regclass AND option_name = 'gin_pending_list_limit'",
            [index],
        )
        row = cursor.fetchone()
    return row and row[0]


def search_index(model) -> TrigramIndex:
    [index] = trigram_indexes(model)
    return index


@pytest.mark.parametrize("model", entity_models(), ids=lambda model: model.__name__)
def test_the_search_index_keeps_a_small_pending_list(model):
    assert pending_list_limit(search_index(model).name) == str(PENDING_LIST_LIMIT_KB)


def test_an_index_created_before_the_limit_gets_it_in_place_and_back():
    index = search_index(Component).name
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER INDEX "{index}" RESET (gin_pending_list_limit)')
    operation = SetPendingListLimit("component")
    state = ProjectState.from_apps(django_apps)
    with connection.schema_editor() as editor:
        operation.database_forwards("components", editor, state, state)
    assert pending_list_limit(index) == str(PENDING_LIST_LIMIT_KB)
    with connection.schema_editor() as editor:
        operation.database_backwards("components", editor, state, state)
    assert pending_list_limit(index) is None


def test_a_new_tool_creates_its_search_index_with_the_limit():
    index = search_index(Component)
    with connection.schema_editor(collect_sql=True) as editor:
        editor.add_index(Component, index)
    [create] = [sql for sql in editor.collected_sql if sql.startswith("CREATE INDEX")]
    assert f"WITH (gin_pending_list_limit = {PENDING_LIST_LIMIT_KB})" in create
    # The migration names no limit: it is the class's, like the statistics target.
    assert "gin_pending_list_limit" not in repr(index.deconstruct())
