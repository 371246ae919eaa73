"""The platform's prepared reads of entities: the queryset every response
reads (`entity_queryset`), one record by its id, locked for a write or not,
and the lists read with SQL compiled once per process (the whole list and a
search: `entity_list`), their pages and their counts; and when a page is
best read by its ids first (`reads_ids_first`). `EntityViewSet` reads
through them; a viewset that changes how a list is built reads as Django
does."""

from dataclasses import dataclass, replace
from functools import cache, partial

from django.db import connections
from django.db.models import F, OrderBy, OuterRef, Subquery
from django.db.models.expressions import Col
from django.db.models.lookups import Exact, IExact, In
from django.db.models.query import MAX_GET_RESULTS
from django.db.models.sql.where import AND, WhereNode

from apps.core.api.counts import up_to_queryset
from apps.core.models.ids import RECORD_ID_KINDS
from apps.core.models.indexes import (
    distinct_values,
    leading_index_fields,
    plain_index_fields,
)
from apps.core.models.users import User, summaries_only
from apps.core.prepared import (
    PreparedCount,
    PreparedCountedPage,
    PreparedQuery,
    order_of,
    records_in_order,
)


def entity_queryset(model):
    """Every relation a response shows, fetched in a constant number of queries
    (on PostgreSQL, the tags in the records' own query). A fresh copy of a
    queryset built once per model: building it anew cost each request more
    than copying it."""
    return shared_entity_queryset(model).all()


@cache
def shared_entity_queryset(model):
    """The entity queryset of `model`, built once per process and never read
    itself: a read copies it (`entity_queryset`), or asks it only for its
    database."""
    return (
        model.objects.select_related(
            *(f.name for f in model._meta.concrete_fields if f.many_to_one)
        )
        .prefetch_related(*(f.name for f in model._meta.many_to_many if f.name != "tags"))
        .with_tag_names()
        # Of the people a record names (its authors, a tool's links to users), a
        # response shows the id, the name and whether they are active. (The search column is read
        # although no response shows it: Django makes a record whose every
        # column came with it faster than one with a column left out, by more
        # than the column's bytes cost.)
        .defer(
            *(
                name
                for field in model._meta.concrete_fields
                if field.many_to_one and issubclass(field.related_model, User)
                for name in summaries_only(field.name)
            )
        )
    )


@cache
def entity_record_query(model, field: str) -> PreparedQuery:
    """One record of the entity queryset by its id (`pk`, an int) or its
    public id (a str), as `get()` reads it: compiled to SQL once."""
    return PreparedQuery(
        model,
        lambda value: (
            shared_entity_queryset(model).filter(**{field: value}).order_by()[:MAX_GET_RESULTS]
        ),
        RECORD_ID_KINDS[field],
    )


# What a locked record read carries beside its columns: its version as the
# statement's snapshot saw it (`entity_locked_record_query`).
SNAPSHOT_VERSION = "_snapshot_version"


@cache
def entity_locked_record_query(model, field: str) -> PreparedQuery:
    """`entity_record_query`'s record, its row locked: a write to a record
    reads and locks it in one statement. A lock that waited for another
    writer reads the record's own row as that writer left it, but its
    authors and tags as the statement's snapshot saw them, before the wait;
    so each record also carries its version as that snapshot saw it
    (`SNAPSHOT_VERSION`), and a record whose two versions differ is not
    current (`EntityViewSet.lock_record` reads it again)."""
    snapshot_version = Subquery(model._base_manager.filter(pk=OuterRef("pk")).values("version"))
    return PreparedQuery(
        model,
        lambda value: (
            shared_entity_queryset(model)
            .filter(**{field: value})
            .annotate(**{SNAPSHOT_VERSION: snapshot_version})
            .order_by()[:MAX_GET_RESULTS]
        ),
        RECORD_ID_KINDS[field],
        locked=True,
    )


@cache
def lockable(model) -> bool:
    """Whether the entity queryset's rows can be locked as they are read:
    PostgreSQL locks no row of a grouped or distinct query, which a model's
    own manager may make."""
    return _one_row_per_record(shared_entity_queryset(model).query)


def entity_list(model, shape: str):
    """The entity list of one of the shapes the platform reads prepared, as
    a function of one str: "all", every record whose status is not the
    value (the workflow's archived status); "search", the records not
    archived that `EntityQuerySet.search(value)` finds. Either in the
    model's order, as the filterset builds it from a request that asks for
    nothing else (`EntityViewSet.list_shape`)."""
    if shape == "all":
        records = partial(shared_entity_queryset, model)
        return lambda archived: _filtered_when_read(records()).exclude(status=archived)
    if shape == "search":
        return lambda term: _filtered_when_read(_unarchived_queryset(model)).search(term)
    raise ValueError(f"No list shape {shape!r}.")


@cache
def _unarchived_queryset(model):
    """The records a search looks in, built once per model (as
    `shared_entity_queryset`, never read itself: a search copies it)."""
    return shared_entity_queryset(model).exclude(status=model.workflow.archived)


def _filtered_when_read(queryset):
    """A copy of `queryset` whose next filter is built only when its query
    is first needed: to be read, counted, narrowed or compiled. A list read
    prepared asks its queryset for no more than its database, and building
    a search's filter (Django resolving its expressions) was 5 % of a
    search's CPU. Django defers its related managers' filters the same way
    (`_defer_next_filter`)."""
    queryset = queryset._chain()
    queryset._defer_next_filter = True
    return queryset


@cache
def entity_page_query(model, shape: str) -> PreparedQuery:
    """The pages of an `entity_list`, one SQL for all of them. A search's
    page is read by its records' ids first (`PreparedQuery`'s `ids_first`):
    PostgreSQL finds every match and sorts them, and would otherwise read
    each in full, authors and tags, before the sort."""
    ids_first = partial(shared_entity_queryset, model) if shape == "search" else None
    return PreparedQuery(model, entity_list(model, shape), str, sliced=True, ids_first=ids_first)


@cache
def entity_counted_page_query(model, shape: str) -> PreparedCountedPage:
    """The pages of an `entity_list` with its capped count, in one statement
    (on PostgreSQL, where a filtered list's count is capped, and on a table
    `counts.counted_with_page()`): a search finds its matches once, for both."""
    return PreparedCountedPage(
        model, entity_list(model, shape), str, records=partial(shared_entity_queryset, model)
    )


@cache
def entity_count_query(model, shape: str, limit: int | None = None) -> PreparedCount:
    """The count of an `entity_list`: exact, or up to `limit`
    (`counts.count_up_to`; `limit` is the count cap's, a setting)."""
    rows = entity_list(model, shape)
    if limit is None:
        return PreparedCount(model, rows, str)
    return PreparedCount(model, lambda value: up_to_queryset(rows(value), limit), str)


def reads_ids_first(queryset, *, filtered: bool) -> bool:
    """Whether a page of `queryset` (`filtered` or not) is best read by its
    ids first (`prepared.read_ids_first`), on PostgreSQL: when it is
    filtered, or sorted by a column no index leads with. Its ids alone can
    come from an index alone: a status filter's from `(status, -created_at,
    -id)`, where PostgreSQL, reading whole rows and costing that index's
    reads of the table as scattered, walked the list order past every newer
    record of another status (77 ms under 25,685 newer drafts at a million,
    7.5 ms by its ids); and a sort orders the ids and the sort key, not whole
    rows (`?ordering=-updated_at` 0.96 → 0.18 s at a million). Not for rows
    grouped or distinct, or sorted by anything but the model's columns."""
    if not _plain_on_postgresql(queryset):
        return False
    model = queryset.model
    order = [_ordered_column(term) for term in order_of(queryset)]
    columns = _column_names(model)
    if not order or not all(column in columns for column in order):
        return False
    return filtered or order[0] not in leading_index_fields(model)


# A list sorted by a column descending, or filtered by it in any case, is read
# one of its values at a time (`page_one_value_at_a_time`) when the column holds
# at most this many values the filters let through, for a page that ends at
# most this deep (its ids and those before it are read: deeper, PostgreSQL's
# sort skips them itself; a keyset page is never deep). The values a match in
# any case is looked for among are read up to the second limit.
MOST_VALUES_READ_ONE_AT_A_TIME = 20
MOST_VALUES_MATCHED_IN_ANY_CASE = 1_000
DEEPEST_PAGE_READ_ONE_VALUE_AT_A_TIME = 10_000


def page_one_value_at_a_time(queryset, records, bounds):
    """`queryset[slice(*bounds)]` as `records` (the same records, with what a
    response shows), its ids read one value of its first sort column at a
    time (`_page_ids_one_value_at_a_time`); None when that does not apply."""
    ids = _page_ids_one_value_at_a_time(queryset, bounds)
    if ids is None:
        return None
    return records_in_order(queryset, records, ids)


def _page_ids_one_value_at_a_time(queryset, bounds) -> list | None:
    """The ids of `queryset[slice(*bounds)]`, on PostgreSQL, when it is sorted
    by a column and then as an index that leads with the column goes on,
    read one value of the column at a time, in the page's order, each a walk
    of that index, until the page is full. The values come from the index
    too (`distinct_values`), less those the filters refuse. Two lists need it:

    - sorted by the column descending (`?ordering=-status`: `-status,
      -created_at, -id`, the index `(status, -created_at, -id)`): PostgreSQL
      reads such an index backwards only, each value's records oldest first,
      so it sorted every record of the first value it met (0.3 s at a
      million rows);
    - filtered by the column in any case (`?category=sensors&ordering=
      category`, either direction): no walk of the index can look for
      `UPPER(category)`, so PostgreSQL walked it from its first value, past
      every record of another category (2 s at a million rows); one value
      at a time, the walk starts at the values that match.

    None for any other list, when the column holds more than
    `MOST_VALUES_READ_ONE_AT_A_TIME` values the filters let through, or the
    page ends deeper than `DEEPEST_PAGE_READ_ONE_VALUE_AT_A_TIME`."""
    start, stop = bounds
    if stop > DEEPEST_PAGE_READ_ONE_VALUE_AT_A_TIME or not _plain_on_postgresql(queryset):
        return None
    terms = [_ordered_term(queryset.model, term) for term in order_of(queryset)]
    if len(terms) < 2 or None in terms:
        return None
    descending = terms[0].startswith("-")
    field = queryset.model._meta.get_field(terms[0].lstrip("-"))
    rest = terms[1:]
    if field.null or not any(
        index_fields == (field.name, *rest) for index_fields in plain_index_fields(queryset.model)
    ):
        return None
    tests = _ColumnTests.of(queryset.query.where, field.column)
    if tests is None or not (descending or tests.in_any_case):
        return None
    most = MOST_VALUES_MATCHED_IN_ANY_CASE if tests.in_any_case else MOST_VALUES_READ_ONE_AT_A_TIME
    values = distinct_values(queryset, field.column, limit=most + 1)
    if len(values) > most:
        return None
    values = tests.let_through(values, connections[queryset.db], field)
    if len(values) > MOST_VALUES_READ_ONE_AT_A_TIME:
        return None
    ids = []
    for value in reversed(values) if descending else values:
        if len(ids) >= stop:
            break
        of_value = queryset.filter(**{field.attname: value}).order_by(*rest)
        ids += of_value.values_list("pk", flat=True)[: stop - len(ids)]
    return ids[start:stop]


@dataclass(frozen=True)
class _ColumnTests:
    """What a list's filters ask of one column: a value equal to one of
    `allowed` (None: any), to none of `refused`, and equal in any case to
    each of `in_any_case`."""

    allowed: frozenset | None = None
    refused: frozenset = frozenset()
    in_any_case: tuple = ()

    @classmethod
    def of(cls, where, column: str):
        """The tests of `column` among the filters `where`: equal to, one of,
        not equal to, equal in any case (`?category=`). None when they test
        it any other way (a keyset page's bound): the list is then sorted as
        before, whose cost does not depend on the values refused."""
        tests = cls()
        for node in where.children if not where.negated and where.connector == AND else [where]:
            if not _mentions(node, column):
                continue
            negated = isinstance(node, WhereNode) and node.negated and len(node.children) == 1
            test = node.children[0] if negated else node
            if not (
                isinstance(test, (Exact, IExact, In))
                and isinstance(test.lhs, Col)
                and test.lhs.target.column == column
                and not hasattr(test.rhs, "resolve_expression")
                and not (negated and not isinstance(test, Exact))
            ):
                return None
            if isinstance(test, IExact):
                tests = replace(tests, in_any_case=(*tests.in_any_case, test.rhs))
            elif negated:
                tests = replace(tests, refused=tests.refused | {test.rhs})
            else:
                values = frozenset(test.rhs) if isinstance(test, In) else frozenset({test.rhs})
                allowed = values if tests.allowed is None else tests.allowed & values
                tests = replace(tests, allowed=allowed)
        return tests

    def let_through(self, values: list, connection, field) -> list:
        """Those of `values` (in their order) these tests let through. A
        value they refuse is not read at all: its walk would pass every
        record of it for none."""
        kept = [
            value
            for value in values
            if (self.allowed is None or value in self.allowed) and value not in self.refused
        ]
        if not (kept and self.in_any_case):
            return kept
        matching = _equal_in_any_case(connection, field, kept, self.in_any_case)
        return [value for value in kept if value in matching]


def _equal_in_any_case(connection, field, values: list, terms) -> set:
    """Of `values` of `field`, those the database finds equal in any case to
    each of `terms`, as `iexact` compares them: its `UPPER()` follows the
    database's collation, which Python's `str.upper()` does not know."""
    lhs = connection.ops.lookup_cast("iexact", field.get_internal_type()) % "value"
    test = f"{lhs} {connection.operators['iexact']}"
    rows = ", ".join(["(%s)"] * len(values))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT value FROM (VALUES {rows}) AS given (value) WHERE "
            + " AND ".join([test] * len(terms)),
            [*values, *map(connection.ops.prep_for_iexact_query, terms)],
        )
        return {value for (value,) in cursor.fetchall()}


def _mentions(node, column: str) -> bool:
    """Whether a filter (a lookup, a node of them, an expression) reads `column`."""
    if isinstance(node, Col):
        return node.target.column == column
    if isinstance(node, WhereNode):
        return any(_mentions(child, column) for child in node.children)
    if hasattr(node, "get_source_expressions"):
        return any(_mentions(e, column) for e in node.get_source_expressions() if e is not None)
    return True  # SQL of its own: it may


def _plain_on_postgresql(queryset) -> bool:
    """On PostgreSQL, and one row per record (`_one_row_per_record`)."""
    return connections[queryset.db].vendor == "postgresql" and _one_row_per_record(queryset.query)


def _one_row_per_record(query) -> bool:
    """Not grouped, distinct or combined: each row a record, which PostgreSQL
    can lock and whose ids stand for its rows."""
    return query.group_by is None and not query.distinct and not query.combinator


@cache
def _column_names(model) -> frozenset[str]:
    fields = model._meta.concrete_fields
    return frozenset({"pk", *(f.name for f in fields), *(f.attname for f in fields)})


def _ordered_term(model, term) -> str | None:
    """An ordering term as a model's index names its fields (`"-id"` for
    `"-pk"` or `F("id").desc()`); None for anything but a column."""
    column = _ordered_column(term)
    if column is None or column not in _column_names(model):
        return None
    name = model._meta.pk.name if column == "pk" else model._meta.get_field(column).name
    descending = term.startswith("-") if isinstance(term, str) else term.descending
    return f"-{name}" if descending else name


def _ordered_column(term) -> str | None:
    """The column an ordering term sorts by: `"name"`, `"-name"` or
    `F("name").desc()`; None for anything else."""
    if isinstance(term, str):
        return term.lstrip("-")
    if isinstance(term, OrderBy) and isinstance(term.expression, F):
        return term.expression.name
    return None
