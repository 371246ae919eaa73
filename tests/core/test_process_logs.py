"""Every process of the suite logs as the app does, one JSON object per
line on stderr (docs/deployment.md, "Logs"): gunicorn's own lines, a Celery
worker's and the beat's, each started for real for a few seconds. Redis's
database 9 is the broker; skipped when no Redis answers."""

import http.client
import json
import sys

import pytest

from tests.core.integrations.celery_brokers import celery_with_broker, empty_redis
from tests.core.processes import app_server, running, suite_environment

BROKER_URL = "redis://127.0.0.1:6379/9"
CELERY = [sys.executable, "-m", "celery", "-A", "suite", "--quiet"]
# As the compose file runs them. Celery warns of a worker run as root, before
# its logging is set up; the image's user is not root.
CELERY_ENV = {
    "CELERY_BROKER_URL": BROKER_URL,
    "PYTHONWARNINGS": "ignore:You're running the worker with superuser privileges",
}
FIELDS = ["time", "level", "logger", "message", "request_id"]

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def log_lines(output: str) -> list[dict]:
    """Each line of `output`, read as JSON (a line that is not fails the test)."""
    try:
        lines = [json.loads(line) for line in output.splitlines()]
    except json.JSONDecodeError as exc:
        raise AssertionError(f"A line that is no JSON ({exc}):\n{output}") from None
    assert all(list(line)[: len(FIELDS)] == FIELDS for line in lines)
    return lines


def messages(lines: list[dict], logger: str) -> list[str]:
    return [line["message"] for line in lines if line["logger"] == logger]


@pytest.fixture
def broker():
    with empty_redis(BROKER_URL):
        yield


def test_gunicorns_own_lines_are_json_beside_the_requests():
    with app_server("--workers", "1") as server:
        client = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        client.request("GET", "/api/v1/me/")
        assert client.getresponse().status == 200
        server.wait_for('"logger": "apps.core.access"')
    lines = log_lines(server.stderr)
    gunicorns = messages(lines, "gunicorn.error")
    assert gunicorns[0].startswith("Starting gunicorn")
    assert any(message.startswith("Booting worker with pid") for message in gunicorns)
    assert gunicorns[-1] == "Shutting down: Master"
    assert messages(lines, "apps.core.access") == ["GET /api/v1/me/ 200"]
    assert server.stdout == ""


def test_a_celery_workers_lines_are_json_a_tasks_included(broker):
    with running([*CELERY, "worker", "--pool", "solo"], suite_environment(**CELERY_ENV)) as worker:
        worker.wait_for("ready.")
        with celery_with_broker(BROKER_URL) as app:
            app.send_task("apps.core.tasks.clear_expired_sessions")
        worker.wait_for("succeeded")
    lines = log_lines(worker.stderr)
    tasks = messages(lines, "celery.worker.strategy") + messages(lines, "celery.app.trace")
    assert tasks[0].startswith("Task apps.core.tasks.clear_expired_sessions[")
    assert tasks[0].endswith("] received")
    assert "] succeeded in " in tasks[1]
    # Celery prints its notice of stopping to stdout, not as a log line.
    assert worker.stdout.strip() == "worker: Warm shutdown (MainProcess)"


def test_the_beats_lines_are_json_at_the_suites_log_level(broker, tmp_path):
    command = [*CELERY, "beat", "--schedule", str(tmp_path / "schedule")]
    with running(command, suite_environment(**CELERY_ENV, LOG_LEVEL="DEBUG")) as beat:
        # Its first tick's line, at DEBUG: started, and looking for due tasks.
        beat.wait_for("beat: Waking up in")
    beats = messages(log_lines(beat.stderr), "celery.beat")
    assert "beat: Starting..." in beats
    assert any(message.startswith("beat: Waking up in") for message in beats)
    assert beat.stdout == ""
