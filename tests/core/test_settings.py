"""Settings come from the environment; bad combinations stop the process."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import environ
import pytest

ROOT = Path(__file__).resolve().parents[2]
PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST"),
    "health_checks": db["CONN_HEALTH_CHECKS"], "max_age": db["CONN_MAX_AGE"],
    "options": {k: v for k, v in db.get("OPTIONS", {}).items() if isinstance(v, (bool, int))},
    "cors": settings.CORS_ALLOWED_ORIGINS, "hosts": settings.ALLOWED_HOSTS,
}))
"""
PRINT_LOG_LEVEL = """
import django
django.setup()
from django.conf import settings
print(settings.LOGGING["root"]["level"])
"""


def run(code: str, **env) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DEBUG", "SECRET_KEY", "DEV_MODE"}
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "suite.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def settings_with(**env) -> dict:
    result = run(PRINT_SETTINGS, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_secret_key_is_required_when_debug_is_off():
    result = run(PRINT_SETTINGS, DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_the_default_database_is_the_sqlite_file_under_var():
    config = settings_with(DEBUG="true")
    assert config["engine"] == "django.db.backends.sqlite3"
    assert config["name"] == str(ROOT / "var" / "suite.sqlite3")


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_database_url_accepts_both_postgres_schemes(scheme):
    config = settings_with(SECRET_KEY="x", DATABASE_URL=f"{scheme}://u:p@db.example.com:5433/suite")
    assert config["engine"] == "apps.core.backends.postgresql"
    assert (config["name"], config["host"]) == ("suite", "db.example.com")
    assert config["health_checks"] is True
    assert config["max_age"] == 60
    assert config["options"] == {
        "server_side_binding": True,
        "prepare_threshold": 5,
        "prepared_max": 100,
    }


def test_a_deployment_of_many_tools_can_keep_more_statements_prepared():
    config = settings_with(
        SECRET_KEY="x",
        DATABASE_URL="postgres://u:p@db.example.com/suite",
        DATABASE_PREPARED_STATEMENTS_MAX="2000",
    )
    assert config["options"]["prepared_max"] == 2000


def test_prepared_statements_can_be_switched_off_for_a_pooler():
    config = settings_with(
        SECRET_KEY="x",
        DATABASE_URL="postgres://u:p@db.example.com/suite",
        DATABASE_PREPARED_STATEMENTS="false",
    )
    assert config["engine"] == "apps.core.backends.postgresql"
    assert config["options"] == {}


def test_database_url_accepts_sqlite(tmp_path):
    config = settings_with(SECRET_KEY="x", DATABASE_URL=f"sqlite:///{tmp_path}/other.sqlite3")
    assert config["name"] == f"{tmp_path}/other.sqlite3"


PRINT_CACHE_OPTIONS = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps(settings.CACHES["default"].get("OPTIONS", {})))
"""


def cache_options(**env) -> dict:
    result = run(PRINT_CACHE_OPTIONS, SECRET_KEY="x", **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_redis_cache_that_stops_answering_fails_its_call_within_a_second():
    assert cache_options(CACHE_URL="redis://cache.example.com:6379/0") == {
        "socket_connect_timeout": 1,
        "socket_timeout": 1,
    }
    assert cache_options(CACHE_URL="redis://cache.example.com:6379/0?socket_timeout=2.5") == {
        "socket_connect_timeout": 1,
        "socket_timeout": 2.5,
    }
    assert cache_options(CACHE_URL="locmemcache://") == {}


def test_cors_origins_come_from_frontend_url_or_the_explicit_list():
    assert settings_with(SECRET_KEY="x", FRONTEND_URL="https://tools.example.com")["cors"] == [
        "https://tools.example.com"
    ]
    explicit = settings_with(
        SECRET_KEY="x", CORS_ALLOWED_ORIGINS="https://a.example,https://b.example"
    )
    assert explicit["cors"] == ["https://a.example", "https://b.example"]


def test_dev_mode_with_debug_off_fails_the_system_checks():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "false", "DEV_MODE": "true", "SECRET_KEY": "x" * 60},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "core.E100" in result.stderr
    assert "DEV_MODE" in result.stderr


def test_dev_mode_with_debug_off_stops_the_app_server():
    result = run("import suite.wsgi", DEBUG="false", DEV_MODE="true", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "DEV_MODE is on while DEBUG is off" in result.stderr


def test_env_example_lists_every_variable_the_settings_read():
    settings_source = (ROOT / "suite" / "settings.py").read_text()
    names_read = set(re.findall(r'env\.\w+\(\s*"([A-Z0-9_]+)"', settings_source))
    assert "DATABASE_URL" in names_read
    documented = {
        line.split("=", 1)[0].strip()
        for line in (ROOT / ".env.example").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    }
    assert names_read - documented == set()


def test_env_example_copied_to_env_gives_each_variable_its_value_and_nothing_more(monkeypatch):
    """The file says "Copy to .env": the settings read .env with django-environ, which
    keeps a comment on a variable's line as part of its value (a SECRET_KEY of
    "# required when…"), so every comment has a line of its own."""
    read: dict[str, str] = {}
    monkeypatch.setattr(environ.Env, "ENVIRON", read)
    environ.Env.read_env(ROOT / ".env.example")
    written = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    )
    assert read == {name: value.strip() for name, value in written.items()}
    assert not [name for name, value in read.items() if "#" in value]


@pytest.mark.parametrize(
    ("name", "value", "form"),
    [
        ("DATABASE_CONN_MAX_AGE", "abc", "expected a whole number"),
        ("DATABASE_STATEMENT_TIMEOUT", "2O", "expected a number"),
        ("API_REQUIRE_IF_MATCH", "ture", "expected true or false"),
        ("LOG_LEVEL", "loud", "expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL"),
    ],
)
def test_a_value_of_the_wrong_form_names_the_variable_and_the_form_it_takes(name, value, form):
    result = run(PRINT_SETTINGS, DEBUG="true", **{name: value})
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {name} is {value!r}: {form}" in result.stderr
    assert "ValueError" not in result.stderr


PRINT_DAILY_TASKS_AT = """
import django
django.setup()
from suite.celery import app
schedule = app.conf.beat_schedule["purge-processed-webhooks"]["schedule"]
print(sorted(schedule.hour), sorted(schedule.minute))
"""


def test_the_daily_tasks_run_at_the_time_of_day_set():
    result = run(PRINT_DAILY_TASKS_AT, DEBUG="true", DAILY_TASKS_AT="04:30")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[4] [30]"


@pytest.mark.parametrize("value", ["25:00", "3", "03:00 UTC"])
def test_a_daily_time_not_of_the_form_hh_mm_names_the_variable(value):
    result = run(PRINT_DAILY_TASKS_AT, DEBUG="true", DAILY_TASKS_AT=value)
    assert result.returncode != 0
    assert f"DAILY_TASKS_AT is {value!r}: expected a time of day as HH:MM" in result.stderr


PRINT_PASSWORD_LOGIN = """
import django
django.setup()
from django.conf import settings
print(settings.ADMIN_PASSWORD_LOGIN)
"""


@pytest.mark.parametrize(
    ("env", "password_login"),
    [
        ({"DEBUG": "false", "SECRET_KEY": "x" * 60}, "False"),
        ({"DEBUG": "true"}, "True"),
        ({"DEBUG": "false", "SECRET_KEY": "x" * 60, "ADMIN_PASSWORD_LOGIN": "true"}, "True"),
    ],
)
def test_admin_password_sign_in_is_off_in_production_unless_turned_on(env, password_login):
    result = run(PRINT_PASSWORD_LOGIN, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == password_login


def test_the_old_per_username_sign_in_limit_stops_the_process_naming_its_successors():
    result = run(PRINT_SETTINGS, DEBUG="true", ADMIN_LOGIN_FAILURES_PER_USERNAME="5")
    assert result.returncode != 0
    assert "ADMIN_LOGIN_FAILURES_PER_USERNAME is no longer read" in result.stderr
    assert "ADMIN_LOGIN_FAILURES_PER_USERNAME_AND_ADDRESS" in result.stderr
    assert "ADMIN_LOGIN_FAILURES_PER_USERNAME_ANYWHERE" in result.stderr


def test_log_level_is_read_whatever_its_case():
    result = run(PRINT_LOG_LEVEL, DEBUG="true", LOG_LEVEL="debug")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["DEBUG"]
