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
    assert response.json() == {"status": "ready"}


@pytest.mark.django_db
def test_readiness_fails_with_the_reason_when_a_migration_is_pending(client, monkeypatch):
    monkeypatch.setattr(health, "_migrations_complete", False)
    with connection.cursor() as cursor:  # forget one applied migration (rolled back after the test)
        cursor.execute("DELETE FROM django_migrations WHERE app = 'components'")
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert "components.0001_initial" in response.json()["reason"]


@pytest.mark.django_db
def test_readiness_fails_when_the_database_is_down(client, monkeypatch):
    def refuse():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "reason": "Database unavailable: OperationalError.",
    }
