import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def database_server() -> str:
    """The URL of the test database's PostgreSQL server, without a database:
    where the measurement scripts under test make their own."""
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"


def run_script(script: str, *arguments: str, fails: bool = False) -> str:
    """What `scripts/<script>` printed, run against the test database's server;
    it must succeed, or fail if `fails` (and then its errors are printed too)."""
    done = subprocess.run(
        [sys.executable, f"scripts/{script}", *arguments],
        cwd=ROOT,
        env=os.environ | {"BENCH_DATABASE_URL": database_server()},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (done.returncode != 0) == fails, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout + done.stderr if fails else done.stdout
