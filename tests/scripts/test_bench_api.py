"""`scripts/bench_api.py` end to end, at a few dozen rows: it builds both
databases, measures every operation, prints the table and drops them. A
change of the platform the benchmark relies on fails here, not on the next
engineer's million-row run."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
DATABASES = "measure_bench_api_test"

pytestmark = pytest.mark.postgres


def server() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"


def test_the_benchmark_measures_every_operation_and_drops_its_databases():
    done = subprocess.run(
        [
            sys.executable,
            "scripts/bench_api.py",
            "--small",
            "30",
            "--large",
            "60",
            "--iterations",
            "2",
            "--rounds",
            "1",
            "--explain",
            "--databases",
            DATABASES,
        ],
        cwd=ROOT,
        env=os.environ | {"BENCH_DATABASE_URL": server()},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    table = done.stdout[done.stdout.index("| operation | p50 @ 30 |") :]
    for operation in ("list (first page)", "search (~0.3 % of rows)", "detail", "create"):
        assert f"| {operation} |" in table
    for plan in (
        "search, capped count",
        "search, common word",
        "search, common word, capped count",
    ):
        assert f"--- {plan} at 60 rows\n" in done.stdout  # --explain
    with psycopg.connect(f"{server()}/postgres") as connection:
        left = connection.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{DATABASES}%"]
        ).fetchall()
    assert left == []
