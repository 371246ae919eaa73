"""A stand-in for Linear's GraphQL API, served on 127.0.0.1 for tests (the
real Linear is never reached from one): it checks what the suite sends (the
key, the mutation, its variables) and answers as Linear does, or fails in
one of the ways Linear can.

    @pytest.fixture
    def linear(settings):
        with connected_fake_linear(settings) as fake:
            yield fake
"""

import json
import socket
import threading
import time
import uuid
from contextlib import contextmanager
from http.server import ThreadingHTTPServer

from apps.core.testing.http import JsonHandler

API_KEY = "lin_api_test_0123456789"
TEAM_ID = "team-7f3c"

# How the fake answers an `issueCreate`, by name (`FakeLinear.fails_with`).
FAILURES = {
    # GraphQL's errors, with HTTP 200 and with HTTP 400.
    "graphql_error": (200, {"errors": [{"message": "Entity not found: Team"}]}),
    "bad_request": (400, {"errors": [{"message": "Argument Validation Error"}]}),
    "server_error": (500, "<html>Internal Server Error</html>"),
    "unsuccessful": (200, {"data": {"issueCreate": {"success": False, "issue": None}}}),
    "not_json": (200, "<html>Linear</html>"),
    "no_issue": (200, {"data": {"issueCreate": {"success": True, "issue": {"id": "x"}}}}),
    "no_data": (200, {"data": None}),
    # An issue whose url a browser would run rather than open.
    "script_url": (
        200,
        {
            "data": {
                "issueCreate": {
                    "success": True,
                    "issue": {
                        "id": "2f1a0c4e-9b7d-4e55-8f0a-6c1d2b3a4e5f",
                        "identifier": "ENG-42",
                        "title": "CMP-0001 Sensor",
                        "url": "javascript:alert(document.cookie)",
                        "state": {"name": "Todo", "type": "unstarted"},
                    },
                }
            }
        },
    ),
}


class FakeLinear:
    def __init__(self):
        self.calls: list[dict] = []  # the variables of each issueCreate
        self.failure: str | None = None
        self.delay = 0.0
        # Cleared, holds each answer until set (`hold`).
        self.released = threading.Event()
        self.released.set()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/graphql"

    def fails_with(self, failure: str):
        self.failure = failure

    def answer(self, variables: dict) -> tuple[int, object]:
        if self.failure:
            return FAILURES[self.failure]
        fields = variables["input"]
        number = 41 + len(self.calls)  # the first is ENG-42
        issue = {
            "id": str(uuid.uuid4()),
            "identifier": f"ENG-{number}",
            "title": fields["title"],
            "url": f"https://linear.app/acme/issue/ENG-{number}/",
            "state": {"name": "Todo", "type": "unstarted"},
            "updatedAt": "2026-12-06T09:00:00.000Z",
        }
        return 200, {"data": {"issueCreate": {"success": True, "issue": issue}}}

    def _handler(self):
        fake = self

        class Handler(JsonHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if self.headers.get("Authorization") != API_KEY:
                    # Linear quotes the key it was given; the suite must not.
                    message = f"Invalid API key: {self.headers.get('Authorization')}"
                    return self.send_json(400, {"errors": [{"message": message}]})
                variables = body.get("variables") or {}
                fields = variables.get("input") or {}
                if "issueCreate(input: $input)" not in body.get("query", ""):
                    return self.send_json(400, {"errors": [{"message": "fake: not issueCreate"}]})
                if fields.get("teamId") != TEAM_ID or not fields.get("title"):
                    return self.send_json(400, {"errors": [{"message": "fake: bad input"}]})
                fake.calls.append(variables)
                fake.released.wait(10)
                time.sleep(fake.delay)
                self.send_json(*fake.answer(variables))

        return Handler

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.released.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens: connections are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/graphql"


@contextmanager
def connected_fake_linear(settings):
    """A `FakeLinear` the suite is connected to while the block runs
    (`settings`: pytest-django's fixture, which puts them back after)."""
    with FakeLinear() as fake:
        settings.LINEAR_API_KEY = API_KEY
        settings.LINEAR_TEAM_ID = TEAM_ID
        settings.LINEAR_PROJECT_ID = ""
        settings.LINEAR_API_URL = fake.url
        settings.LINEAR_TIMEOUT_SECONDS = 5
        yield fake
