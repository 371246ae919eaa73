"""`scripts/bench_api.py` end to end, at a few dozen rows: it builds both
databases, measures every operation, prints the table and drops them. A
change of the platform the benchmark relies on fails here, not on the next
engineer's million-row run."""

import os

import psycopg
import pytest

from tests.scripts import database_server, run_script

# Named for this process: two test runs on one server (two worktrees) never
# build, measure or drop each other's databases.
DATABASES = f"measure_bench_api_test_{os.getpid()}"

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


KEPT = (
    *("--small", "20", "--large", "40", "--iterations", "1", "--rounds", "1"),
    *("--only", "detail", "--databases", DATABASES),
)


@pytest.fixture
def kept():
    """Databases built with `--keep`; dropped after the test."""
    try:
        run_script("bench_api.py", *KEPT, "--keep")
        yield
    finally:
        with psycopg.connect(f"{database_server()}/postgres", autocommit=True) as connection:
            for name in _databases_left():
                connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_databases_kept_are_measured_again_and_left_in_place(kept):
    printed = run_script("bench_api.py", *KEPT, "--reuse")
    assert "| detail |" in printed
    assert _databases_left() == [DATABASES, f"{DATABASES}_small"]


def test_a_kept_database_something_else_wrote_to_is_not_measured_again(kept):
    with psycopg.connect(f"{database_server()}/{DATABASES}", autocommit=True) as connection:
        connection.execute("DELETE FROM components_component_tags WHERE component_id = 7")
        connection.execute("DELETE FROM components_component WHERE id = 7")
    printed = run_script("bench_api.py", *KEPT, "--reuse", fails=True)
    assert f"{DATABASES} holds 39 records over 40 ids, not the 40 built" in printed
    assert "| detail |" not in printed


def _databases_left() -> list[str]:
    with psycopg.connect(f"{database_server()}/postgres") as connection:
        rows = connection.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s ORDER BY datname",
            [f"{DATABASES}%"],
        ).fetchall()
    return [name for (name,) in rows]
