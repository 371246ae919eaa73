import logging

import psycopg
import pytest
from django.db import connection
from django.db.utils import OperationalError

from apps.core import health


@pytest.mark.django_db
def test_liveness_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "healthy"}


@pytest.mark.django_db
def test_readiness_is_ok_when_the_database_answers_and_is_migrated(client, monkeypatch):
    monkeypatch.setattr(health, "_migrations_complete", False)
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "cache": "ok"}


@pytest.mark.django_db
def test_readiness_fails_with_the_reason_when_a_migration_is_pending(client, monkeypatch):
    monkeypatch.setattr(health, "_migrations_complete", False)
    with connection.cursor() as cursor:  # forget one applied migration (rolled back after the test)
        cursor.execute("DELETE FROM django_migrations WHERE app = 'components'")
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert "components.0001_initial" in response.json()["reason"]


@pytest.mark.django_db
@pytest.mark.postgres
def test_readiness_fails_when_the_database_is_down_and_logs_why(client, monkeypatch, caplog):
    """The database's message (which database, what is wrong) is logged; the
    probe's answer names only the kind of error."""
    params = connection.get_connection_params() | {"dbname": "toolsuite_no_such_database"}
    try:
        connection.get_new_connection(params)
    except psycopg.OperationalError as cause:
        refused = OperationalError(str(cause))
        refused.__cause__ = cause

    def refuse():
        raise refused

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    with caplog.at_level(logging.WARNING, logger="apps.core.health"):
        response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "reason": "Database unavailable: OperationalError.",
    }
    [logged] = [r for r in caplog.records if r.name == "apps.core.health"]
    assert logged.levelname == "ERROR"
    assert 'database "toolsuite_no_such_database" does not exist' in logged.getMessage()


@pytest.mark.django_db
def test_readiness_logs_the_migrations_it_waits_for(client, monkeypatch, caplog):
    monkeypatch.setattr(health, "_migrations_complete", False)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'components'")
    with caplog.at_level(logging.WARNING, logger="apps.core.health"):
        assert client.get("/health/ready").status_code == 503
    [logged] = [r for r in caplog.records if r.name == "apps.core.health"]
    assert "components.0001_initial" in logged.getMessage()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/health", "/health/ready"])
@pytest.mark.parametrize("host", ["127.0.0.1:8000", "10.0.3.7", "probe.internal"])
def test_the_probes_answer_whatever_the_host_header(client, settings, monkeypatch, path, host):
    """The image's HEALTHCHECK asks 127.0.0.1, a load balancer the server's
    address: neither is one of ALLOWED_HOSTS, nor over HTTPS."""
    monkeypatch.setattr(health, "_migrations_complete", False)
    settings.ALLOWED_HOSTS = ["suite.example.com"]
    settings.SECURE_SSL_REDIRECT = True
    for method in (client.get, client.head):
        assert method(path, HTTP_HOST=host).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/"),
        ("get", "/healthz"),
        ("get", "/health/ready/extra"),
        ("get", "/api/v1/components/components/"),
        ("get", "/admin/"),
        ("post", "/health"),
    ],
)
def test_every_other_request_to_a_foreign_host_is_refused(client, settings, method, path):
    settings.ALLOWED_HOSTS = ["suite.example.com"]
    response = getattr(client, method)(path, HTTP_HOST="10.0.3.7")
    assert response.status_code == 400
    assert getattr(client, method)(path, HTTP_HOST="suite.example.com").status_code != 400
