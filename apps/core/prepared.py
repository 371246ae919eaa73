"""Queries the platform runs on every request, compiled to SQL once.

Django compiles a queryset to SQL every time it runs one, and keeps nothing:
the record a detail, an update or a transition reads, and a page of a list
and its count, are compiled afresh on each request (0.4 to 0.9 ms for a
record, a fifth of a detail request; two author joins and the tag array make
it long). `PreparedQuery` builds such a queryset once per process and
database with two stand-in values, compiles both, and keeps the SQL only if
the two differ in nothing but the value's parameters (a query may use its
value more than once: a search uses its term three times). Later calls run
that SQL with the call's value through Django's own `ModelIterable`: the
records, their authors, annotations, prefetches and converted values are
made exactly as Django makes them from its own compile. A sliced query (a
page) keeps one SQL for every page: it is compiled with two slices too, and
kept only if they differ in nothing but the `LIMIT` / `OFFSET` that Django's
`limit_offset_sql()` writes, which each call then writes for its own page.

A page can be read `ids_first`: the ids of its rows found first, in a
subquery that reads nothing else, and only those rows read in full. A sort
then orders narrow rows, and what is read per record (its joined authors,
its tag array) is read for the page alone. Without it, PostgreSQL makes
every candidate row in full before it sorts: for a search matching 921 rows
it made 921 tag arrays for 50 records (it leaves an expensive column for
after the sort, but thinks a tag array cheap while the tags table is empty).

A `locked` query reads its rows with a row lock (`SELECT … FOR UPDATE OF`
the model's own table, not the rows its joins read), as
`select_for_update(of=("self",))` does: only inside a transaction, on the
database writes go to.

`PreparedCount` does the same for a queryset's `count()`, with the statement
Django itself sends for it (taken as Django runs it with each stand-in).

`PreparedCountedPage` reads a page and how many rows its list has, up to a
limit, in one statement: the list's first rows are found once, numbered in
its order, and both the page's records and the count are read from them.
PostgreSQL found a search's matches twice when its page and its capped count
were two statements, and planned each `LIKE` twice.

A query whose SQL depends on more than its value's place (a value Django
writes into the SQL itself, or one it turns into something else first) is
not kept: it, and any call whose value is not of the stand-ins' type, is
compiled by Django as usual.
"""

from dataclasses import dataclass, replace
from functools import cache

from django.db import connections, router, transaction
from django.db.models import BigIntegerField, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.db.models.query import ModelIterable, QuerySet
from django.db.transaction import TransactionManagementError

# Two stand-ins per type: the values a query is compiled with before any real
# one is known. Unusual, so that a constant of a query seldom equals them (one
# that does only makes the query not kept), and integers any integer column
# takes: Django compiles a value out of a column's range to no SQL at all.
STAND_INS = {
    int: (27_183, 31_416),
    str: ("\u2063prepared-query-stand-in-1\u2063", "\u2063prepared-query-stand-in-2\u2063"),
}
# The two slices a sliced query is compiled with: `[start:stop]`, one with no
# offset, as Django writes a first page.
STAND_IN_SLICES = ((3, 10), (0, 7))


@dataclass(frozen=True)
class _Compiled:
    sql: str  # of a sliced query, up to its LIMIT / OFFSET
    params: tuple
    slots: tuple[int, ...]  # the positions of the value in `params`
    compiler: object  # the compiler that made `sql`: its select, klass_info…
    prefetch: tuple
    tail: str = ""  # of a sliced query, what follows its LIMIT / OFFSET
    # Of a counted page: where its bounds go in `params` (they are parameters).
    bounds_at: int | None = None

    def compiler_for(self, connection, using, value, bounds, then):
        compiler = _prepared_class(type(self.compiler))(self.compiler.query, connection, using)
        compiler.then = then
        for name in ("select", "klass_info", "annotation_col_map", "col_count", "has_extra_select"):
            setattr(compiler, name, getattr(self.compiler, name))
        sql, params = self.sql, with_value(self.params, self.slots, value)
        if self.bounds_at is not None:
            at = self.bounds_at
            params = (*params[:at], *bounds, *params[at + len(bounds) :])
        elif bounds is not None:
            sql = f"{self.sql}{connection.ops.limit_offset_sql(*bounds)}{self.tail}"
        compiler.prepared = (sql, params)
        return compiler

    def read(self, model, using, value, bounds, then=None) -> list:
        """The records this SQL reads for `value` (and `bounds`), made by
        Django's own `ModelIterable`, with the queryset's prefetches."""
        query = _PreparedSQL(self, value, bounds, then)
        queryset = QuerySet(model, query=query, using=using)
        queryset._prefetch_related_lookups = self.prefetch
        return list(queryset)


@cache
def _prepared_class(compiler_class):
    class PreparedCompiler(compiler_class):
        then = None  # called with the number of rows read, before they are made records

        def as_sql(self, with_limits=True, with_col_aliases=False):
            return self.prepared

        def execute_sql(self, *args, **kwargs):
            chunks = super().execute_sql(*args, **kwargs)
            if self.then is not None:
                chunks = list(chunks)  # of rows; a list already unless read in chunks
                self.then(sum(map(len, chunks)))
            return chunks

    return PreparedCompiler


class _PreparedSQL:
    """What a `QuerySet` holds as its query: it hands `ModelIterable` a
    compiler that answers with the kept SQL. It supports nothing else, so a
    queryset made on it cannot be narrowed by mistake."""

    def __init__(self, compiled, value, bounds, then):
        self.compiled = compiled
        self.value = value
        self.bounds = bounds
        self.then = then

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        connection = connection or connections[using]
        return self.compiled.compiler_for(connection, using, self.value, self.bounds, self.then)


class _Prepared:
    """What both kinds share: a value's type, and per database alias what
    was kept for `build` (None for a query that is not)."""

    def __init__(self, model, build, kind: type):
        self.model = model
        self.build = build
        self.kind = kind
        self._kept = {}

    def _kept_for(self, using, value):
        """What is kept, or None: then the call is served as usual."""
        if type(value) is not self.kind:
            return None
        try:
            return self._kept[using]
        except KeyError:
            kept = self._kept[using] = self._prepare(using)
            return kept

    def _prepare(self, using):
        one, two = STAND_INS[self.kind]
        first, second = self._take(one, using), self._take(two, using)
        if first is None or second is None:
            return None
        slots = value_slots(first[:2], second[:2], (one, two))
        return None if slots is None else self._keep(*first, slots=slots)

    def _take(self, value, using):
        """`(sql, params, …)` of `build(value)`, or None."""
        raise NotImplementedError

    def _keep(self, sql, params, *taken, slots):
        raise NotImplementedError


def order_of(queryset) -> tuple:
    """The order `queryset` is read in: its own, else its model's."""
    return tuple(queryset.query.order_by or queryset.model._meta.ordering)


def records_in_order(queryset, records, ids):
    """The rows of `records` (the same records as `queryset`'s, with
    select_related and annotations, no filters) whose ids are `ids` (a list,
    or a subquery), in `queryset`'s order."""
    return records.filter(pk__in=ids).order_by(*order_of(queryset))


def read_ids_first(queryset, records, bounds):
    """`queryset[slice(*bounds)]` read by its ids first: the slice's ids in
    a subquery that reads nothing else, then the rows of `records` that have
    them (`records_in_order`). The ids alone can come from an index alone,
    where whole rows are read, and costed, one by one."""
    return records_in_order(queryset, records, queryset.values("pk")[slice(*bounds)])


class PreparedQuery(_Prepared):
    """`build(value)` returns a queryset of `model`'s records; `fetch(value)`
    and `get(value)` run it. `kind` is the value's type (`int` or `str`). A
    `sliced` query is read a slice at a time: `fetch(value, start, stop)`
    reads `build(value)[start:stop]`. Given `ids_first`, a function returning
    the queryset `build` filters (the same records, select_related and
    annotations, no filters), it reads the ids of that slice first, in a
    subquery, then the records of `ids_first()` that have them, in the order
    of `build(value)`: the same page.

    A `locked` query reads `build(value).select_for_update(of=("self",))`: in a
    transaction only (`TransactionManagementError` outside one, as Django
    answers), on the database for writes.

    The SQL is kept per database alias. Only querysets of records are kept
    (not `values()` or the like), with no known related objects, and with
    no row lock but the one `locked` adds."""

    def __init__(
        self,
        model,
        build,
        kind: type,
        *,
        sliced: bool = False,
        locked: bool = False,
        ids_first=None,
    ):
        super().__init__(model, build, kind)
        if ids_first is not None and not sliced:
            raise TypeError("Only a sliced query reads its ids first.")
        self.sliced = sliced
        self.locked = locked
        self.ids_first = ids_first

    def fetch(self, value, start: int | None = None, stop: int | None = None, *, then=None) -> list:
        """The records; `then(n)`, when given, is called with how many rows
        were read, before records are made of them (when the SQL is kept;
        otherwise once they are made)."""
        bounds = self._bounds(start, stop)
        using = self._database()
        compiled = self._kept_for(using, value)
        if compiled is None:
            records = list(self._queryset(value, bounds).using(using))
            if then is not None:
                then(len(records))
            return records
        return compiled.read(self.model, using, value, bounds, then)

    def get(self, value):
        """The one record, or `DoesNotExist` / `MultipleObjectsReturned`, as
        `QuerySet.get()` answers (`build` limits the rows it reads)."""
        records = self.fetch(value)
        if len(records) == 1:
            return records[0]
        name = self.model._meta.object_name
        if not records:
            raise self.model.DoesNotExist(f"{name} matching query does not exist.")
        raise self.model.MultipleObjectsReturned(f"More than one {name} matches.")

    def _database(self) -> str:
        """The alias the query runs on; for a lock, in the transaction Django
        insists on (it checks as it compiles, which the kept SQL skips)."""
        if not self.locked:
            return router.db_for_read(self.model)
        using = router.db_for_write(self.model)
        if connections[using].get_autocommit():
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        return using

    def _bounds(self, start, stop):
        if not self.sliced:
            if (start, stop) != (None, None):
                raise TypeError("Only a sliced query reads a slice.")
            return None
        return checked_slice(start, stop)

    def _queryset(self, value, bounds):
        return self._as_read(self.build(value), bounds)

    def _as_read(self, queryset, bounds):
        """`build`'s queryset as a call reads it: locked, sliced (its ids
        first, when asked)."""
        if self.locked:
            queryset = queryset.select_for_update(of=("self",))
        if bounds is None:
            return queryset
        if self.ids_first is None:
            return queryset[slice(*bounds)]
        return read_ids_first(queryset, self.ids_first(), bounds)

    def _prepare(self, using):
        compiled = super()._prepare(using)
        if compiled is None or not self.sliced:
            return compiled
        # One SQL for every page: the two slices' SQL must differ in the
        # LIMIT / OFFSET Django writes (once: at the end, or in the subquery
        # of the ids), and in nothing else.
        ops = connections[using].ops
        (first, second), value = STAND_IN_SLICES, STAND_INS[self.kind][0]
        other = self._take(value, using, second)
        limit = ops.limit_offset_sql(*first)
        head, _, tail = compiled.sql.partition(limit)
        if (
            other is None
            or compiled.sql.count(limit) != 1
            or other[0] != f"{head}{ops.limit_offset_sql(*second)}{tail}"
            or other[1] != with_value(compiled.params, compiled.slots, value)
        ):
            return None
        return replace(compiled, sql=head, tail=tail)

    def _take(self, value, using, bounds=STAND_IN_SLICES[0]):
        try:
            queryset = self.build(value)
            if (
                queryset.model is not self.model
                or queryset._iterable_class is not ModelIterable
                or queryset._known_related_objects
                # Slices of a slice are cut by both: no one SQL for every page.
                or (self.sliced and queryset.query.is_sliced)
                # A lock of the build's own: `_database()` checks only `locked`'s.
                or queryset.query.select_for_update
            ):
                return None
            queryset = self._as_read(queryset, bounds if self.sliced else None)
            compiler = queryset.query.get_compiler(using=using)
            sql, params = compiler.as_sql()
        except Exception:  # a stand-in the query refuses, or no SQL at all
            return None
        return sql, tuple(params), queryset, compiler

    def _keep(self, sql, params, queryset, compiler, *, slots):
        return _Compiled(sql, params, slots, compiler, queryset._prefetch_related_lookups)


# What a counted page's statement calls its list's first rows, numbered, and
# the page's rows of them; and the count, as its records carry it.
MATCHES, PAGE_ROWS, ROW_NUMBER, MATCHED = "page_matches", "page_rows", "_row_number", "_matched"


class PreparedCountedPage(_Prepared):
    """A page of `build(value)` (a queryset of `model`'s records) with how
    many rows it has, up to a limit, read in one statement (`AS MATERIALIZED`:
    PostgreSQL 12, SQLite 3.35 or later): `fetch(value, start, stop, up_to=n)`
    answers the records of `build(value)[start:stop]` and the number of rows
    of `build(value)`, counted up to `max(n, stop)`.

    The statement numbers the list's first `max(n, stop)` rows in its order,
    once (`WITH … AS MATERIALIZED`, their ids alone); the page's rows are
    the numbers `start + 1` to `stop`, read in full from `records()` (the
    queryset `build` filters: the same records, select_related and
    annotations), and every record carries the count of the numbered rows.

    The SQL is kept per database alias as `PreparedQuery` keeps it, with the
    bounds as parameters, so one SQL serves every page; a call whose value
    it does not take composes the statement afresh."""

    def __init__(self, model, build, kind: type, *, records):
        super().__init__(model, build, kind)
        self.records = records

    def fetch(self, value, start: int, stop: int, *, up_to: int) -> tuple[list, int | None]:
        """`(records, counted)`; `counted` is None when the page is empty
        (then it tells nothing of the count)."""
        start, stop = checked_slice(start, stop)
        using = router.db_for_read(self.model)
        compiled = self._kept_for(using, value) or self._compose(value, using)
        records = compiled.read(self.model, using, value, (max(up_to, stop), start, stop))
        counts = [record.__dict__.pop(MATCHED) for record in records]
        return records, (counts[0] if counts else None)

    def _take(self, value, using):
        try:
            compiled = self._compose(value, using)
        except Exception:  # a stand-in the query refuses
            return None
        return compiled.sql, compiled.params, compiled

    def _keep(self, sql, params, compiled, *, slots):
        return replace(compiled, slots=slots)

    def _compose(self, value, using) -> _Compiled:
        """The statement for `value`, composed of what Django compiles: the
        numbered ids of `build(value)`, then its page's records."""
        rows = self.build(value)
        if (
            rows.model is not self.model
            or rows._iterable_class is not ModelIterable
            or rows.query.is_sliced
            or rows.query.select_for_update
        ):
            raise TypeError("A counted page is of a list of records, not sliced nor locked.")
        order = order_of(rows)
        numbered = rows.annotate(**{ROW_NUMBER: Window(RowNumber(), order_by=order)})
        ids_sql, ids_params = (
            numbered.values_list("pk", ROW_NUMBER).query.get_compiler(using).as_sql()
        )
        quote = connections[using].ops.quote_name
        matches, page = quote(MATCHES), quote(PAGE_ROWS)
        records = (
            self.records()
            .filter(pk__in=RawSQL(f"SELECT {quote('id')} FROM {page}", ()))
            .annotate(**{MATCHED: RawSQL(f"SELECT COUNT(*) FROM {matches}", (), BigIntegerField())})
            .order_by(*order)
        )
        compiler = records.query.get_compiler(using)
        records_sql, records_params = compiler.as_sql()
        sql = (
            f"WITH {matches} ({quote('id')}, {quote('n')}) AS MATERIALIZED "
            f"({ids_sql} LIMIT %s), "
            f"{page} AS (SELECT {quote('id')} FROM {matches} "
            f"WHERE {quote('n')} > %s AND {quote('n')} <= %s) {records_sql}"
        )
        params = (*ids_params, None, None, None, *records_params)
        return _Compiled(
            sql,
            params,
            (),
            compiler,
            records._prefetch_related_lookups,
            bounds_at=len(ids_params),
        )


class PreparedCount(_Prepared):
    """`build(value)` returns a queryset; `count(value)` is its `count()`,
    run with the statement Django sends for it, taken once per database alias
    and kept as `PreparedQuery` keeps its SQL. Taking it runs the count once
    with each stand-in (a read, like the first request's other one-time reads
    in a process)."""

    def count(self, value) -> int:
        using = router.db_for_read(self.model)
        statement = self.statement(value, using)
        if statement is None:
            return self.build(value).using(using).count()
        with connections[using].cursor() as cursor:
            cursor.execute(*statement)
            return cursor.fetchone()[0]

    def statement(self, value, using: str) -> tuple[str, tuple] | None:
        """`(sql, params)` of the count of `build(value)` on `using`, its
        one column and row the count; None if it is not kept."""
        kept = self._kept_for(using, value)
        if kept is None:
            return None
        sql, params, slots = kept
        return sql, with_value(params, slots, value)

    def _take(self, value, using):
        """The one statement Django sends for the count."""
        statements = []

        def take(execute, sql, params, many, context):
            statements.append((sql, tuple(params or ())))
            return execute(sql, params, many, context)

        try:
            queryset = self.build(value).using(using)
            # In a savepoint: a stand-in the database refuses must not break
            # the request's transaction.
            with transaction.atomic(using=using), connections[using].execute_wrapper(take):
                queryset.count()
        except Exception:  # a stand-in the query refuses, or no SQL at all
            return None
        return statements[0] if len(statements) == 1 else None

    def _keep(self, sql, params, *, slots):
        return sql, params, slots


def checked_slice(start, stop) -> tuple[int, int]:
    """`(start, stop)` of a page, or `ValueError`."""
    if not (type(start) is int and type(stop) is int and 0 <= start < stop):
        raise ValueError(f"A slice needs 0 <= start < stop, not [{start}:{stop}].")
    return start, stop


def with_value(params: tuple, slots: tuple[int, ...], value) -> tuple:
    """`params` with `value` in each of the value's places."""
    return tuple(value if i in slots else param for i, param in enumerate(params))


def value_slots(first, second, stand_ins) -> tuple[int, ...] | None:
    """The positions of the value in the parameters of a statement compiled
    with each of two stand-ins, `first` and `second` being `(sql, params)`;
    None unless the two differ in those parameters alone, each holding the
    stand-in."""
    (sql, params), (other_sql, other_params) = first, second
    if sql != other_sql or len(params) != len(other_params):
        return None
    differing = [
        (i, (a, b)) for i, (a, b) in enumerate(zip(params, other_params, strict=True)) if a != b
    ]
    if not differing or any(pair != stand_ins for _, pair in differing):
        return None
    return tuple(i for i, _ in differing)
