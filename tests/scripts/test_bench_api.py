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
    assert _databases_left() == []


def test_databases_kept_are_measured_again_and_left_in_place():
    sizes = ("--small", "20", "--large", "40", "--iterations", "1", "--rounds", "1")
    only = ("--only", "detail", "--databases", DATABASES)
    try:
        run_script("bench_api.py", *sizes, *only, "--keep")
        printed = run_script("bench_api.py", *sizes, *only, "--reuse")
        assert "| detail |" in printed
        assert _databases_left() == [DATABASES, f"{DATABASES}_small"]
    finally:
        with psycopg.connect(f"{database_server()}/postgres", autocommit=True) as connection:
            for name in _databases_left():
                connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def _databases_left() -> list[str]:
    with psycopg.connect(f"{database_server()}/postgres") as connection:
        rows = connection.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s ORDER BY datname",
            [f"{DATABASES}%"],
        ).fetchall()
    return [name for (name,) in rows]
