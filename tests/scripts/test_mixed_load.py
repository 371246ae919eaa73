"""`scripts/mixed_load.py` end to end, for a few seconds on a few hundred rows:
it builds its database, starts the production server, sends every kind of
request, reports each and drops the database. Any 5xx fails it: a new
user's first requests racing each other once answered 500 for every write
(a user created by a refused write was remembered after its rollback)."""

import psycopg
import pytest

from tests.scripts import database_server, run_script

pytestmark = pytest.mark.postgres

KINDS = [
    "list",
    "search",
    "filter and order",
    "keyset page",
    "record",
    "history",
    "activity",
    "export",
    "create",
    "patch",
    "read, then PATCH with If-Match",
    "read history, then revert",
    "transition",
    "restore",
    "bulk patch 100",
    "bulk archive 100",
    "bulk create 50",
]


def test_a_mixed_load_answers_every_kind_of_request_without_a_server_error():
    printed = run_script(
        "mixed_load.py", "--rows", "300", "--seconds", "6", "--clients", "3", "--workers", "1"
    )
    rows = {
        line.split(" | ")[0].lstrip("| "): line
        for line in printed.splitlines()
        if line.startswith("| ") and not line.startswith("| request")
    }
    assert sorted(rows) == sorted(KINDS)
    assert "5xx" not in printed
    assert "server error" not in printed
    with psycopg.connect(f"{database_server()}/postgres") as connection:
        left = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = 'measure_mixed_load'"
        ).fetchall()
    assert not left
