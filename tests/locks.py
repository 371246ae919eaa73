"""Helpers for PostgreSQL tests that race two connections."""

import threading
import time

from django.db import connection, connections, transaction


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


def holding(work):
    """A thread that runs `work()` in a transaction and holds what it locked
    until `release()`; started, and holding, when returned."""
    held, done = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                work()
                held.set()
                done.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=hold)
    thread.start()
    assert held.wait(5)

    def release():
        done.set()
        thread.join(10)

    return release


def running(statement: str, *params):
    """`work` for `holding`: one SQL statement."""

    def run():
        with connection.cursor() as cursor:
            cursor.execute(statement, params)

    return run
