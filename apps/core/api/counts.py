"""How many rows a list has, without reading a large table to say so.

`COUNT(*)` reads every matching row; on a table of millions that costs more
than the page itself. On PostgreSQL, lists of large tables report instead:

- unfiltered: the planner's estimate of the query's rows (`EXPLAIN`, from the
  statistics `ANALYZE` keeps: `pg_class.reltuples` and the column
  statistics), once the table holds at least `API_COUNT_ESTIMATE_THRESHOLD`
  rows; smaller tables are counted exactly;
- filtered: an exact count up to `API_COUNT_CAP` matches, read through a
  `LIMIT`ed subquery, and the cap itself beyond that.

Either way the result says whether it is exact. Elsewhere (SQLite) counts
are always exact.
"""

import json
from dataclasses import dataclass

from django.conf import settings
from django.db import connections


@dataclass(frozen=True)
class RowCount:
    value: int
    is_estimate: bool


def count_rows(queryset, *, filtered: bool, known: int | None = None) -> RowCount:
    """The number of rows of `queryset`. `filtered` says whether the caller
    narrowed the list; `known` is the exact number when the caller already
    knows it (a first page that was not full)."""
    if known is not None:
        return RowCount(known, is_estimate=False)
    if connections[queryset.db].vendor != "postgresql":
        return RowCount(queryset.count(), is_estimate=False)
    if filtered:
        return _capped_count(queryset, settings.API_COUNT_CAP)
    estimate = planner_estimate(queryset)
    if estimate >= settings.API_COUNT_ESTIMATE_THRESHOLD:
        return RowCount(estimate, is_estimate=True)
    return RowCount(queryset.count(), is_estimate=False)


def _capped_count(queryset, cap: int) -> RowCount:
    # Unordered, so PostgreSQL may stop at the cap by whichever path is cheapest.
    found = queryset.order_by().values("pk")[: cap + 1].count()
    if found > cap:
        return RowCount(cap, is_estimate=True)
    return RowCount(found, is_estimate=False)


def planner_estimate(queryset) -> int:
    """PostgreSQL's estimate of the rows `queryset` returns; planning only,
    no row is read."""
    plan = json.loads(queryset.order_by().explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])
