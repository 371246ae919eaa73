"""When the database cannot serve a request: app servers limit each
statement's time, and a request the database gave up on — a statement past
its time, a lock it could not get, a database it could not reach — answers a
503 in the one error shape that says which, and changes nothing."""

import logging
import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import OperationalError, connection, connections

from apps.components.models import Component
from apps.core.api.exceptions import BUSY, TIMEOUT, UNAVAILABLE, database_trouble
from apps.core.backends.postgresql.base import DatabaseWrapper
from apps.core.context import acting_as
from apps.core.db import limit_statement_time
from apps.core.models import AuditEntry
from apps.core.testing.samples import create_sample
from tests.locks import holding, running

ROOT = Path(__file__).resolve().parents[2]
LIST = "/api/v1/components/components/"
LOCK_ROW = "SELECT 1 FROM components_component WHERE id = %s FOR UPDATE"


def wrapped(cause: Exception) -> OperationalError:
    """`cause` as Django raises it."""
    error = OperationalError(str(cause))
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    ("cause", "trouble"),
    [
        (psycopg.errors.QueryCanceled("canceling statement due to statement timeout"), TIMEOUT),
        (psycopg.errors.DeadlockDetected("deadlock detected"), BUSY),
        (psycopg.errors.SerializationFailure("could not serialize access"), BUSY),
        (psycopg.errors.LockNotAvailable("canceling statement due to lock timeout"), BUSY),
        (psycopg.errors.AdminShutdown("terminating connection"), UNAVAILABLE),
        (psycopg.errors.CannotConnectNow("the database system is starting up"), UNAVAILABLE),
        (psycopg.errors.TooManyConnections("too many clients already"), UNAVAILABLE),
        (psycopg.OperationalError("connection failed: Connection refused"), UNAVAILABLE),
        (sqlite3.OperationalError("database is locked"), BUSY),
    ],
)
def test_a_database_error_says_what_kept_the_database_from_serving(cause, trouble):
    assert database_trouble(wrapped(cause)) is trouble


@pytest.mark.parametrize(
    "cause",
    [
        psycopg.errors.ObjectInUse("database is being accessed by other users"),
        sqlite3.OperationalError("no such table: components_component"),
        sqlite3.OperationalError("near 'SELEC': syntax error"),
    ],
)
def test_an_error_of_the_request_itself_is_left_a_server_error(cause):
    assert database_trouble(wrapped(cause)) is None


def test_the_statement_timeout_is_sent_with_the_options_a_deployment_gives():
    def options(**given):
        settings = connection.settings_dict | {"NAME": "suite", "OPTIONS": given}
        return DatabaseWrapper(settings).get_connection_params().get("options")

    assert options() is None
    assert options(statement_timeout=1.5) == "-c statement_timeout=1500"
    assert options(statement_timeout=0) == "-c statement_timeout=0"
    assert (
        options(options="-c search_path=tools", statement_timeout=20)
        == "-c search_path=tools -c statement_timeout=20000"
    )


def statement_timeout_in(code_before: str, **env) -> str:
    """`SHOW statement_timeout` in a new process that first runs `code_before`,
    on the test database."""
    code = f"""{code_before}
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SHOW statement_timeout")
    print(cursor.fetchone()[0])
"""
    url = f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "suite.settings",
            "DEBUG": "false",
            "DEV_MODE": "false",
            "SECRET_KEY": "x" * 60,
            "DATABASE_URL": url,
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.postgres
@pytest.mark.django_db
def test_an_app_server_limits_each_statement_and_a_command_does_not():
    assert statement_timeout_in("import suite.wsgi") == "20s"
    assert statement_timeout_in("import suite.wsgi", DATABASE_STATEMENT_TIMEOUT="0.25") == "250ms"
    assert statement_timeout_in("import suite.wsgi", DATABASE_STATEMENT_TIMEOUT="0") == "0"
    assert statement_timeout_in("import django; django.setup()") == "0"


@pytest.fixture
def database_settings(transactional_db):
    """The default database's settings, as they were before the test."""
    settings = connection.settings_dict
    saved = {**settings, "OPTIONS": dict(settings.get("OPTIONS", {}))}
    yield settings
    settings.clear()
    settings.update(saved)
    connections.close_all()


@pytest.fixture
def record(user):
    with acting_as(user):
        return create_sample(Component, 1, name="Before")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_write_past_the_statement_timeout_is_a_503_that_changes_nothing(
    api, record, database_settings
):
    limit_statement_time(0.3)
    release = holding(running(LOCK_ROW, record.pk))
    try:
        response = api.patch(f"{LIST}{record.pk}/", {"name": "After"}, format="json")
    finally:
        release()
    assert response.status_code == 503
    assert response.json() == {"detail": TIMEOUT.detail, "code": "database_timeout", "errors": {}}
    assert "Retry-After" not in response
    record.refresh_from_db()
    assert (record.name, record.version) == ("Before", 1)
    actions = AuditEntry.objects.filter(object_id=record.pk).values_list("action", flat=True)
    assert list(actions) == ["CREATE"]
    # The connection serves the next request.
    assert api.patch(f"{LIST}{record.pk}/", {"name": "After"}, format="json").status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_list_past_the_statement_timeout_is_a_503_and_the_next_is_served(
    api, record, database_settings
):
    """A list reads its page and count in one pipeline (apps/core/db.py)."""
    limit_statement_time(0.3)
    release = holding(running("LOCK TABLE components_component IN ACCESS EXCLUSIVE MODE"))
    try:
        response = api.get(LIST)
    finally:
        release()
    assert response.status_code == 503
    assert response.json()["code"] == "database_timeout"
    listed = api.get(LIST)
    assert listed.status_code == 200
    assert [item["name"] for item in listed.json()["results"]] == ["Before"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_lock_the_database_gave_up_waiting_for_is_a_503_to_retry(api, record, database_settings):
    """A deployment may set its own `lock_timeout` (libpq `options`, or on the
    database role): a write that waits past it was rolled back, and may be
    retried at once."""
    database_settings["OPTIONS"]["options"] = "-c lock_timeout=200"
    connection.close()
    release = holding(running(LOCK_ROW, record.pk))
    try:
        response = api.delete(f"{LIST}{record.pk}/")
    finally:
        release()
    assert response.status_code == 503
    assert response.json() == {"detail": BUSY.detail, "code": "database_busy", "errors": {}}
    assert response["Retry-After"] == "1"
    record.refresh_from_db()
    assert (record.archived_at, record.version) == (None, 1)


def a_closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_database_that_cannot_be_reached_is_a_503_to_retry_shortly(
    api, record, database_settings
):
    database_settings.update(HOST="127.0.0.1", PORT=str(a_closed_port()))
    connection.close()
    response = api.get(f"{LIST}{record.pk}/")
    assert response.status_code == 503
    assert response.json() == {
        "detail": UNAVAILABLE.detail,
        "code": "database_unavailable",
        "errors": {},
    }
    assert response["Retry-After"] == "5"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/admin/", "/admin/components/component/"])
def test_a_page_whose_database_cannot_be_reached_is_the_same_503(
    admin_client, database_settings, caplog, path
):
    """The admin's pages answer as the API does: 503 with Retry-After, one
    warning line naming the error, no traceback."""
    admin_client.raise_request_exception = False
    database_settings.update(HOST="127.0.0.1", PORT=str(a_closed_port()))
    connection.close()
    with caplog.at_level(logging.WARNING):
        response = admin_client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/html")
    assert UNAVAILABLE.detail in response.content.decode()
    [logged] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert logged.levelname == "WARNING"
    assert f"GET {path}: database_unavailable" in logged.getMessage()
    assert "Connection refused" in logged.getMessage()
    assert logged.exc_info is None
