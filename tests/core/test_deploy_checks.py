"""`manage.py check --deploy`: what it says of a production configuration."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k3y-" + "0123456789abcdefghijklmnopqrstuvwxyz" * 2,
    "ALLOWED_HOSTS": "toolsuite.example.com",
    "DATABASE_URL": "postgresql://suite:secret@db.example.com:5432/suite",
    "CACHE_URL": "redis://cache.example.com:6379/0",
}


def deploy_check(**env) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {*PRODUCTION, "DEV_MODE"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env={**clean, **PRODUCTION, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_the_suites_own_csrf_middleware_is_not_reported_missing():
    assert "security.W003" not in deploy_check()


def test_a_shared_database_and_cache_are_not_reported():
    report = deploy_check()
    assert "core.W102" not in report
    assert "core.W103" not in report


def test_sqlite_with_debug_off_is_reported():
    report = deploy_check(DATABASE_URL="sqlite:////tmp/toolsuite-deploy-check.sqlite3")
    assert "(core.W102) The database is SQLite while DEBUG is off" in report
    assert "Set DATABASE_URL to PostgreSQL" in report


def test_the_local_memory_cache_with_debug_off_is_reported():
    report = deploy_check(CACHE_URL="locmemcache://")
    assert "(core.W103) The cache is each process's own memory while DEBUG is off" in report
    assert "Set CACHE_URL to a Redis" in report
