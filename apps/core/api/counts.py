"""How many rows a list has, without reading a large table to say so.

`COUNT(*)` reads every matching row; on a table of millions that costs more
than the page itself. On PostgreSQL, lists of large tables report instead:

- unfiltered: the planner's estimate of the query's rows (`EXPLAIN`, from the
  statistics `ANALYZE` keeps: `pg_class.reltuples` and the column
  statistics), once the table holds at least `API_COUNT_ESTIMATE_THRESHOLD`
  rows; smaller tables (by `pg_class.reltuples`, read once a minute per
  process) are counted exactly;
- filtered: an exact count up to `API_COUNT_CAP` matches, read through a
  `LIMIT`ed subquery, and the cap itself beyond that.

Either way the result says whether it is exact. Elsewhere (SQLite) counts
are always exact.
"""

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import connections


@dataclass(frozen=True)
class RowCount:
    value: int
    is_estimate: bool


def count_rows(
    queryset,
    *,
    filtered: bool,
    known: int | None = None,
    exact=None,
    up_to=None,
    sent: tuple[str, Callable[[], int]] | None = None,
) -> RowCount:
    """The number of rows of `queryset`. `filtered` says whether the caller
    narrowed the list; `known` is the exact number when the caller already
    knows it (a first page that was not full). `exact()` and `up_to(limit)`,
    when given, are the caller's faster way to what `queryset.count()` and
    `count_up_to(queryset, limit)` answer. `sent` is `(how, answer)`: the
    count `counted_by` named as `how`, already sent by the caller (with its
    page), and a function that waits for its number."""
    exact = exact or queryset.count
    up_to = up_to or partial(count_up_to, queryset)

    def run(how, count, *args):
        return sent[1]() if sent is not None and sent[0] == how else count(*args)

    if known is not None:
        return RowCount(known, is_estimate=False)
    if connections[queryset.db].vendor != "postgresql":
        return RowCount(queryset.count() if filtered else exact(), is_estimate=False)
    counted = counted_by(queryset, filtered=filtered)
    if counted == "up_to":
        return _capped_count(run("up_to", up_to, capped_limit()), settings.API_COUNT_CAP)
    if counted == "exact":
        return RowCount(run("exact", exact), is_estimate=False)
    estimate = planner_estimate(queryset)
    if estimate >= settings.API_COUNT_ESTIMATE_THRESHOLD:
        return RowCount(estimate, is_estimate=True)
    return RowCount(run("exact", exact), is_estimate=False)


def counted_by(queryset, *, filtered: bool) -> str | None:
    """How `count_rows` counts a list on PostgreSQL whose count the page did
    not tell: "up_to" (`up_to(capped_limit())`), "exact" (`exact()`), or
    None (the planner's estimate first). Known before the page is read, so
    the count can be sent with it (`EntityViewSet.read_page`)."""
    if filtered:
        return "up_to"
    if _counted_in_full(queryset):
        return "exact"
    return None


def counted_with_page(queryset) -> bool:
    """Whether a filtered list's capped count is read in its page's own
    statement (`PreparedCountedPage`): on a table counted in full when not
    filtered (below `API_COUNT_ESTIMATE_THRESHOLD` rows), where numbering
    the first matches in list order never reads more than the table. On a
    larger one, page and count are two statements, each planned for what it
    reads: numbered, a term in 0.33 % of a million rows that the planner
    thought in 0.8 % was walked in list order for 1,001 matches, 348,340
    rows in 200 ms, where the page and the count took 13 ms."""
    return _counted_in_full(queryset)


def _counted_in_full(queryset) -> bool:
    """Whether the table is below `API_COUNT_ESTIMATE_THRESHOLD` rows, so
    an unfiltered list of it is counted exactly."""
    return 0 <= table_size(queryset) < settings.API_COUNT_ESTIMATE_THRESHOLD


def up_to_queryset(queryset, limit: int):
    """The rows of `queryset`, no more than `limit` of them, for counting.
    Unordered, so PostgreSQL may stop at the limit by whichever path is
    cheapest."""
    return queryset.order_by().values("pk")[:limit]


def count_up_to(queryset, limit: int) -> int:
    return up_to_queryset(queryset, limit).count()


def capped_limit() -> int:
    """How many matches a capped count reads: one past the cap, to tell
    "exactly the cap" from "more"."""
    return settings.API_COUNT_CAP + 1


def _capped_count(found: int, cap: int) -> RowCount:
    if found > cap:
        return RowCount(cap, is_estimate=True)
    return RowCount(found, is_estimate=False)


# How long a process trusts what it last read of a table's size.
TABLE_SIZE_TTL = 60.0
_table_sizes: dict[tuple[str, str, str], tuple[float, int]] = {}


def table_size(queryset) -> int:
    """PostgreSQL's row estimate for the whole table (`pg_class.reltuples`,
    kept by ANALYZE and autovacuum; -1 before the first), read at most once
    a minute per process: a table far below the estimate threshold is
    simply counted, without asking the planner first."""
    connection = connections[queryset.db]
    table = queryset.model._meta.db_table
    key = (connection.settings_dict["HOST"], connection.settings_dict["NAME"], table)
    now = time.monotonic()
    known = _table_sizes.get(key)
    if known is not None and now - known[0] < TABLE_SIZE_TTL:
        return known[1]
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        row = cursor.fetchone()
    size = int(row[0]) if row else -1
    _table_sizes[key] = (now, size)
    return size


def forget_table_sizes():
    """Read every table's size afresh on its next list (tests: "a minute later")."""
    _table_sizes.clear()


def planner_estimate(queryset) -> int:
    """PostgreSQL's estimate of the rows `queryset` returns; planning only,
    no row is read. Asked of the ids alone: the authors' joins and the tag
    array change no row count, but made the plan three times as dear."""
    plan = json.loads(queryset.order_by().values("pk").explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])
