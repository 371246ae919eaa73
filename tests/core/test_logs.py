"""The log lines, as the configured handler writes them (settings.LOGGING):
one JSON object per line, each with its time, level, logger and request id;
one line per request with its user, method, full path, status and duration;
a traceback inside its line; no line of Django's per 4xx."""

import io
import json
import logging
import uuid

import pytest
from django.test import Client
from rest_framework.exceptions import NotFound

from apps.core.api import viewsets
from apps.core.logs import JsonFormatter

pytestmark = pytest.mark.django_db

LIST = "/api/v1/components/components/"


@pytest.fixture
def log_lines():
    """`log_lines()`: the lines the suite's console handler wrote so far, parsed."""
    [handler] = [h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter)]
    written = io.StringIO()
    stream = handler.setStream(written)

    def lines():
        text = written.getvalue()
        assert text.endswith("\n")
        return [json.loads(line) for line in text.splitlines()]

    yield lines
    handler.setStream(stream)


def test_a_request_has_one_line_saying_who_asked_what_and_how_it_went(api, user, log_lines):
    response = api.get(f"{LIST}?search=hall&ordering=-name")
    assert response.status_code == 200
    [line] = log_lines()
    assert line.pop("time").endswith("Z")
    assert line.pop("duration_ms") >= 0
    assert line == {
        "level": "INFO",
        "logger": "apps.core.access",
        "message": f"GET {LIST}?search=hall&ordering=-name 200",
        "request_id": response["X-Request-ID"],
        "user": user.username,
        "method": "GET",
        "path": f"{LIST}?search=hall&ordering=-name",
        "status": 200,
    }


def test_a_request_id_the_client_sent_is_logged_beside_the_one_taken(api, log_lines):
    """So support can find a client's request by the id it sent, which the
    suite does not take (`TRUST_REQUEST_ID_HEADER`, docs/deployment.md)."""
    response = api.get(LIST, HTTP_X_REQUEST_ID="client-42")
    [line] = log_lines()
    assert (line["request_id"], line["client_request_id"]) == (
        response["X-Request-ID"],
        "client-42",
    )


def test_a_trusted_proxys_request_id_is_the_lines_request_id_alone(api, log_lines, settings):
    settings.TRUST_REQUEST_ID_HEADER = True
    given = str(uuid.uuid4())
    assert api.get(LIST, HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given
    [line] = log_lines()
    assert line["request_id"] == given
    assert "client_request_id" not in line


@pytest.mark.parametrize(
    ("path", "status"), [(LIST, 401), ("/api/v1/no-such-tool/", 404), ("/auth/nope/", 404)]
)
def test_a_refused_request_has_its_own_line_only(client, log_lines, path, status):
    """Not Django's "Unauthorized: /path" or "Not Found: /path" besides."""
    response = client.get(path)
    assert response.status_code == status
    [line] = log_lines()
    assert (line["logger"], line["status"], line["user"]) == ("apps.core.access", status, None)


def test_a_server_error_is_one_line_with_its_traceback_and_the_body_names_the_request(
    api, log_lines, monkeypatch
):
    def fail(*args, **kwargs):
        raise RuntimeError("the cause, in the log")

    monkeypatch.setattr(viewsets.EntityViewSet, "list", fail)
    response = api.get(LIST)
    request_id = response["X-Request-ID"]
    assert response.status_code == 500
    assert request_id in response.json()["detail"]
    assert "the cause" not in response.content.decode()
    error, access = log_lines()
    assert (error["level"], error["logger"], error["request_id"]) == (
        "ERROR",
        "django.request",
        request_id,
    )
    assert error["message"] == f"Internal Server Error: {LIST}"
    assert error["exc"].startswith("Traceback (most recent call last):")
    assert error["exc"].endswith("RuntimeError: the cause, in the log")
    assert (access["status"], access["request_id"]) == (500, request_id)


def test_a_page_that_fails_names_its_request_id(admin_client, log_lines, monkeypatch):
    from django.contrib.admin import AdminSite

    def fail(*args, **kwargs):
        raise RuntimeError("the cause, in the log")

    monkeypatch.setattr(AdminSite, "each_context", fail)
    admin_client.raise_request_exception = False
    response = admin_client.get("/admin/")
    assert response.status_code == 500
    assert response["X-Request-ID"] in response.content.decode()
    assert "the cause" not in response.content.decode()
    error, access = log_lines()
    assert error["request_id"] == access["request_id"] == response["X-Request-ID"]
    assert error["exc"].endswith("RuntimeError: the cause, in the log")


def test_a_line_logged_while_a_request_runs_carries_its_id(api, log_lines, monkeypatch):
    def note(*args, **kwargs):
        logging.getLogger("apps.core.somewhere").warning("a note\nof two lines")
        raise NotFound()

    monkeypatch.setattr(viewsets.EntityViewSet, "list", note)
    Client().get("/health")  # a probe: no line of its own
    response = api.get(LIST)
    note_line, access = log_lines()
    assert note_line["message"] == "a note\nof two lines"  # still one line of the log
    assert note_line["request_id"] == access["request_id"] == response["X-Request-ID"]
