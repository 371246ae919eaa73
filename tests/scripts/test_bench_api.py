"""`scripts/bench_api.py` end to end, at a few dozen rows: it builds both
databases, measures every operation, prints the table and drops them. A
change of the platform the benchmark relies on fails here, not on the next
engineer's million-row run."""

import psycopg
import pytest

from tests.scripts import database_server, run_script

DATABASES = "measure_bench_api_test"

pytestmark = pytest.mark.postgres


def test_the_benchmark_measures_every_operation_and_drops_its_databases():
    printed = run_script(
        "bench_api.py",
        *("--small", "30", "--large", "60", "--iterations", "2", "--rounds", "1"),
        *("--explain", "--databases", DATABASES),
    )
    table = printed[printed.index("| operation | p50 @ 30 |") :]
    for operation in ("list (first page)", "search (~0.3 % of rows)", "detail", "create"):
        assert f"| {operation} |" in table
    for plan in (
        "search, capped count",
        "search, common word",
        "search, common word, capped count",
    ):
        assert f"--- {plan} at 60 rows\n" in printed  # --explain
    with psycopg.connect(f"{database_server()}/postgres") as connection:
        left = connection.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{DATABASES}%"]
        ).fetchall()
    assert left == []
