"""Django's PostgreSQL backend, with its statements' plans kept.

PostgreSQL plans every statement it is sent as text, each time: 0.11-0.15 ms
for a record read with its authors and tags, a fifth to three quarters of the
database's work for a detail, a list or a write (docs/performance.md). With
server-side binding and psycopg's `prepare_threshold` (settings:
`DATABASE_PREPARED_STATEMENTS`), a statement a connection has run that many
times is prepared, and PostgreSQL reuses its plan: a generic plan once its
estimated cost is no worse than the plans it made for the values so far.

What this backend adds to Django's:

- A statement with a `LIKE` is planned every time, never prepared. How common
  the pattern is decides its best plan (a rare term is read from the trigram
  index, a common one by walking the list order), which a generic plan cannot
  know: prepared, the benchmark's search ran five times slower.
- So is every statement run `planned_for_values()` (`apps/core/db.py`): a
  list narrowed by filters (`?tag=`, `?status=`, `?supplier=`…), the
  activity feed's page read in one statement (narrowed to the caller's
  tools), and the admin's lists of records and of the audit trail.
  How many records carry the value asked decides the plan there too; once
  PostgreSQL had made five plans for a statement's values it kept a generic
  one, made for a value as common as the average, and a tag's capped count
  at a million records took 299 ms on it, against 17 ms planned for the tag.
- How many statements a connection keeps prepared is a setting
  (`OPTIONS["prepared_max"]`, from `DATABASE_PREPARED_STATEMENTS_MAX`):
  psycopg's 100 hold about ten tools' statements, and a worker whose traffic
  spreads over many more prepares none (docs/deployment.md).
- The text of a one-row INSERT is written once per table and columns, not
  for every row (`compiler.py`): a record, its history row and its audit
  entry are three inserts per write.
- Bulk writes are batched within the protocol's 65,535 parameters per bound
  statement, as Django batches them on SQLite and Oracle. Client-side binding
  had no such limit, so Django sets none for PostgreSQL.
- The health check of a reused connection (`CONN_HEALTH_CHECKS`) sends
  nothing while the connection's socket is quiet. Django sends `SELECT 1`
  before each request's first statement: a round trip, about 0.1 ms of the
  worker's CPU and 0.15 ms of wall time, a tenth of a record's read. A
  server that ends a connection (a restart, `pg_terminate_backend`,
  `idle_session_timeout`, a killed backend) says so on its socket, with an
  error message, its end of the connection or both, so an idle connection
  with nothing to read is as open as `SELECT 1` would find it. When anything
  is waiting there, Django's `SELECT 1` decides, as before.
- A server-side cursor (`QuerySet.iterator()`) asked for within a psycopg
  pipeline, which has none, is a client-side one: a list whose count is in
  flight serialises its page in a pipeline (`apps/core/db.py`).
- `OPTIONS["statement_timeout"]`, when given, is how many seconds
  PostgreSQL lets each statement of the connection run before it cancels it
  (0: no limit). It is sent as the connection starts (libpq's `options`,
  after any the deployment gives), so it costs no round trip. App servers
  set it (`apps.core.db.limit_statement_time`); management commands and
  migrations run without it.
- A migration that changes the type of a column a prepared statement returns
  makes PostgreSQL refuse that statement on every connection that prepared it
  ("cached plan must not change result type"). psycopg forgets its prepared
  statements on a rollback, so a statement in a transaction fails once and
  the next works; outside one, the cursor forgets them itself and runs the
  statement again, unprepared, once.
"""

import select
from itertools import chain

from django.db.backends.postgresql import base, operations
from django.db.models import CompositePrimaryKey
from psycopg import errors, pq

from apps.core.db import planning_for_values

# The most parameters one statement takes with server-side binding (a 16-bit count).
MAX_QUERY_PARAMS = 2**16 - 1


def plan_depends_on_values(query) -> bool:
    """Whether the best plan of `query` depends on its values so much that
    each execution should be planned for them."""
    return planning_for_values() or (isinstance(query, str) and " LIKE " in query)


class PlanningCursor(base.ServerBindingCursor):
    """psycopg's server-side binding cursor, which prepares what it runs
    often, except statements whose plans depend on their values."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        if prepare is None and plan_depends_on_values(query):
            prepare = False
        try:
            return super().execute(query, params, prepare=prepare, binary=binary)
        except errors.FeatureNotSupported:
            # A prepared statement whose result type a migration changed. Outside
            # a transaction nothing else was undone: forget every prepared
            # statement (psycopg clears its own record on seeing DEALLOCATE ALL)
            # and try once more. In a transaction, the rollback that follows
            # the error makes psycopg forget them.
            if self.connection.info.transaction_status != pq.TransactionStatus.IDLE:
                raise
            self.connection.execute("DEALLOCATE ALL")
            return super().execute(query, params, prepare=False, binary=binary)


class DatabaseOperations(operations.DatabaseOperations):
    compiler_module = "apps.core.backends.postgresql.compiler"

    def bulk_batch_size(self, fields, objs):
        """Rows per statement: all of them with client-side binding; within
        the parameter limit with server-side binding. Counted at two
        parameters per field, as `bulk_update()` sends for each row and field
        (a CASE branch's id and value); an insert sends one."""
        if not self.connection.features.uses_server_side_binding:
            return super().bulk_batch_size(fields, objs)
        columns = list(
            chain.from_iterable(
                field.fields if isinstance(field, CompositePrimaryKey) else [field]
                for field in fields
            )
        )
        if not columns:
            return len(objs)
        return max(MAX_QUERY_PARAMS // (2 * len(columns)), 1)


def quietly_open(connection) -> bool:
    """Whether a psycopg connection is open, idle and has been sent nothing
    since its last statement's answer: then a server that had ended it would
    have said so on its socket. Checked without a round trip; False means
    "ask the server"."""
    if not hasattr(select, "poll"):  # not on Windows: a round trip there
        return False
    if connection.closed or connection.pgconn.status != pq.ConnStatus.OK:
        return False
    if connection.info.transaction_status != pq.TransactionStatus.IDLE:
        return False
    poller = select.poll()
    poller.register(connection.fileno(), select.POLLIN | select.POLLPRI)
    return not poller.poll(0)  # POLLERR and POLLHUP are reported whatever was asked


class DatabaseWrapper(base.DatabaseWrapper):
    """`OPTIONS["prepared_max"]`, when given, is how many prepared statements
    psycopg keeps per connection (its default: 100), least recently used
    evicted first; it also counts the runs of that many statements not yet
    prepared. `OPTIONS["statement_timeout"]`, in seconds, limits each
    statement's time (above)."""

    ops_class = DatabaseOperations

    def get_connection_params(self):
        params = super().get_connection_params()
        params.pop("prepared_max", None)  # not a libpq parameter: set on each connection
        timeout = params.pop("statement_timeout", None)
        if timeout is not None:
            given = params.get("options")
            setting = f"-c statement_timeout={round(timeout * 1000)}"
            params["options"] = f"{given} {setting}" if given else setting
        if params.get("cursor_factory") is base.ServerBindingCursor:
            params["cursor_factory"] = PlanningCursor
        return params

    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and quietly_open(self.connection)
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        prepared_max = self.settings_dict["OPTIONS"].get("prepared_max")
        if prepared_max is not None:
            connection.prepared_max = prepared_max
        return connection

    def create_cursor(self, name=None):
        """Django's cursor; a server-side one (`QuerySet.iterator()`) is
        client-side within a psycopg pipeline, which has none: a list whose
        count is in flight serialises its page in one (`run_pipelined`)."""
        if name and self.connection.pgconn.pipeline_status != pq.PipelineStatus.OFF:
            name = None
        return super().create_cursor(name)
