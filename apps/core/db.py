"""Database connections: set up as Django opens them, limited in time in app
servers, statements sent together, and reads planned for their values; and
which values every database the suite runs on can take (`storable`).

Timestamps on PostgreSQL. Django reads every `timestamptz` through its own
psycopg loader, a subclass of psycopg's pure-Python one (psycopg's C loader
cannot be subclassed), which parses the server's text in about 3 µs; a list
page reads a hundred of them. In a UTC session — Django's with `USE_TZ` and
no database `TIME_ZONE` — the server writes `2026-11-26 13:16:25.354511+00`,
which `datetime.fromisoformat` reads to the same value in 0.2 µs. Whatever it
does not read as UTC (a date BC, `infinity`, a year past 9999) goes to
Django's loader, as before.
"""

import datetime
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import NotSupportedError, connections
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from psycopg import pq

# The largest 64-bit integer: what a database column or parameter takes.
# SQLite refuses any larger integer outright.
BIGINT_MAX = 2**63 - 1


def storable(value) -> bool:
    """Whether every database the suite runs on takes `value` as a
    parameter: text with no NUL and no lone surrogate, an integer within 64
    bits (SQLite refuses a larger one), an aware time whose UTC falls within
    Python's years 1 to 9999 (SQLite's backend converts it to UTC in Python,
    where year 1 at +14:00 has none). A value a client sent that fails this
    is a 400 naming where it came from, not a server error."""
    if isinstance(value, str):
        try:
            value.encode()
        except UnicodeEncodeError:
            return False
        return "\x00" not in value
    if isinstance(value, int) and not isinstance(value, bool):
        return -BIGINT_MAX - 1 <= value <= BIGINT_MAX
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        try:
            value.astimezone(datetime.UTC)
        except OverflowError:
            return False
    return True


def json_texts(value):
    """Every string of a JSON value, its objects' keys included."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


class UtcTimestamptzLoader(BaseTzLoader):
    timezone = datetime.UTC

    def load(self, data):
        try:
            value = datetime.datetime.fromisoformat(str(data, "ascii"))
        except ValueError:
            return super().load(data)
        return value if value.tzinfo is datetime.UTC else super().load(data)


@receiver(connection_created)
def read_utc_timestamps_fast(sender, connection, **kwargs):
    if (
        connection.vendor == "postgresql"
        and connection.timezone is datetime.UTC
        and connection.timezone_name == "UTC"
    ):
        connection.connection.adapters.register_loader("timestamptz", UtcTimestamptzLoader)


def limit_statement_time(seconds: float):
    """PostgreSQL cancels any statement of this process's connections that
    runs longer than `seconds` (0: no limit), from their next connection on.

    For app servers (`apps.core.startup`): a request's query that runs away
    — a search no index serves, a wait for a row another transaction holds —
    is stopped by the database, and the request answers a 503
    (`apps.core.api.exceptions`), before the app server's own timeout kills
    the worker and leaves the query running. Management commands and
    migrations, which may rightly take minutes, keep no limit."""
    for alias in connections:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        connection.settings_dict.setdefault("OPTIONS", {})["statement_timeout"] = seconds
        connection.close()


def run_pipelined(using: str, work):
    """`work(send)`, with the statements Django sends on `using` in one
    psycopg pipeline: each is sent without waiting for the answers to those
    before it, which are waited for only when read. `send(sql, params)`
    sends a statement and returns a function answering the first column of
    its first row: called within `work`, it waits for that statement alone
    (psycopg flushes the pipeline and reads the answers up to it); called
    after, it has the answer that leaving the pipeline read. So a caller
    can have the server run a statement while it works on the rows of
    another, or on anything else. Returns what `work` returns; errors are
    raised as Django raises them.

    A statement prepared before a migration changed its result's type fails
    ("cached plan must not change result type") only as its rows are read in
    a pipeline, past where the backend's cursor would run it again
    (`apps/core/backends/postgresql/base.py`). Outside a transaction, every
    prepared statement is then forgotten and `work` runs once more; in one,
    the error stands, and the rollback that follows makes psycopg forget."""
    connection = connections[using]
    # Settled before the pipeline: a failed health check replaces the connection.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    try:
        return _run_pipelined(connection, work)
    except NotSupportedError:
        if connection.connection.info.transaction_status != pq.TransactionStatus.IDLE:
            raise
        connection.connection.execute("DEALLOCATE ALL")  # psycopg forgets its own too
        return _run_pipelined(connection, work)


def _run_pipelined(connection, work):
    cursors, answers = [], []

    def send(sql, params):
        cursor, answer = connection.cursor(), []
        cursors.append(cursor)
        cursor.execute(sql, params)

        def read():
            if not answer:
                with connection.wrap_database_errors:
                    answer.append(cursor.fetchone()[0])
            return answer[0]

        answers.append(read)
        return read

    try:
        with connection.wrap_database_errors, connection.connection.pipeline():
            result = work(send)
        for read in answers:  # the pipeline has synced: the rows are here
            read()
        return result
    finally:
        for cursor in cursors:
            cursor.close()


# Set by `planned_for_values()`, read by the PostgreSQL backend's cursor.
_planning_for_values = ContextVar("planning_for_values", default=False)


@contextmanager
def planned_for_values(active: bool = True):
    """Within the block (if `active`), the PostgreSQL backend plans every
    statement for its values each time it runs, and prepares none
    (`apps/core/backends/postgresql/base.py`): for reads whose filters'
    values decide their best plan. Elsewhere nothing changes."""
    token = _planning_for_values.set(active or _planning_for_values.get())
    try:
        yield
    finally:
        _planning_for_values.reset(token)


def planning_for_values() -> bool:
    """Whether statements run now are planned for their values (`planned_for_values`)."""
    return _planning_for_values.get()
