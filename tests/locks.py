"""Helpers for PostgreSQL tests that race two connections."""

import time

from django.db import connection


def wait_for_a_lock_wait(timeout: float = 10.0, waiting_for: str = "a row lock"):
    """Return once another session of this database waits on a lock (the
    contender has reached the point the test wants it blocked at)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError(f"No session ever waited for {waiting_for}.")
