"""A stand-in for Linear's GraphQL API, served on 127.0.0.1 for tests (the
real Linear is never reached from one): it checks what the suite sends (the
key, the mutation, its variables) and answers as Linear does, or fails in
one of the ways Linear can, the loss of an answer included.

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
    """Linear as far as the suite uses it: `issueCreate` (with the id the
    suite makes, refused when an issue has it already) and `issue(id:)`,
    over the issues it holds (`issues`)."""

    def __init__(self):
        self.calls: list[dict] = []  # the variables of each issueCreate
        self.lookups: list[str] = []  # the id of each issue(id:) asked for
        self.issues: dict[str, dict] = {}  # what Linear holds, by id, each with its team
        self.failure: str | None = None
        self.lookup_failure: str | None = None
        # How the next issueCreate's answer is lost, its issue made (`loses_the_answer`).
        self.lost_answer: str | None = None
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
        """Each issueCreate answers `FAILURES[failure]`, making nothing."""
        self.failure = failure

    def loses_the_answer(self, how: str = "reset"):
        """The next issueCreate makes its issue, then its answer never
        arrives: the connection is dropped (`reset`), or held until after the
        client has given up (`timeout`: a second; the client's timeout must
        be shorter) and then dropped."""
        assert how in ("reset", "timeout")
        self.lost_answer = how

    def lookup_fails_with(self, failure: str):
        """Each issue(id:) answers `FAILURES[failure]`, or drops the
        connection (`reset`)."""
        self.lookup_failure = failure

    def add_issue(self, *, team_id: str = TEAM_ID, title: str = "Made in Linear") -> dict:
        """An issue Linear holds already, made by anyone."""
        return self._make(str(uuid.uuid4()), team_id, title)

    def _make(self, issue_id: str, team_id: str, title: str) -> dict:
        number = 42 + len(self.issues)  # the first is ENG-42
        issue = {
            "id": issue_id,
            "identifier": f"ENG-{number}",
            "title": title,
            "url": f"https://linear.app/acme/issue/ENG-{number}/",
            "state": {"name": "Todo", "type": "unstarted"},
            "updatedAt": "2026-12-06T09:00:00.000Z",
            "team": {"id": team_id},
        }
        self.issues[issue_id] = issue
        return issue

    def create(self, fields: dict) -> tuple[int, object]:
        """issueCreate's answer; None when it is lost."""
        if self.failure:
            return FAILURES[self.failure]
        issue_id = fields.get("id") or str(uuid.uuid4())
        if issue_id in self.issues:
            # Linear's refusal of an id taken.
            return 400, {"errors": [{"message": "Entity already exists: Issue"}], "data": None}
        issue = self._make(issue_id, fields["teamId"], fields["title"])
        if self.lost_answer:
            how, self.lost_answer = self.lost_answer, None
            if how == "timeout":
                time.sleep(1)
            return None
        answered = {key: value for key, value in issue.items() if key != "team"}
        return 200, {"data": {"issueCreate": {"success": True, "issue": answered}}}

    def find(self, issue_id: str) -> tuple[int, object] | None:
        """issue(id:)'s answer; None when it is lost."""
        if self.lookup_failure == "reset":
            return None
        if self.lookup_failure:
            return FAILURES[self.lookup_failure]
        issue = self.issues.get(issue_id)
        if issue is None:
            return 400, {"errors": [{"message": "Entity not found: Issue"}], "data": None}
        return 200, {"data": {"issue": issue}}

    def _handler(self):
        fake = self

        class Handler(JsonHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if self.headers.get("Authorization") != API_KEY:
                    # Linear quotes the key it was given; the suite must not.
                    message = f"Invalid API key: {self.headers.get('Authorization')}"
                    return self.send_json(400, {"errors": [{"message": message}]})
                query = body.get("query", "")
                variables = body.get("variables") or {}
                if "issue(id: $id)" in query:
                    fake.lookups.append(variables.get("id"))
                    return self.answer(fake.find(variables.get("id")))
                fields = variables.get("input") or {}
                if "issueCreate(input: $input)" not in query:
                    return self.send_json(400, {"errors": [{"message": "fake: not issueCreate"}]})
                if (
                    fields.get("teamId") != TEAM_ID
                    or not fields.get("title")
                    or not _is_uuid4(fields.get("id", str(uuid.uuid4())))
                ):
                    return self.send_json(400, {"errors": [{"message": "fake: bad input"}]})
                fake.calls.append(variables)
                fake.released.wait(10)
                time.sleep(fake.delay)
                self.answer(fake.create(fields))

            def answer(self, answer):
                if answer is None:  # lost: the connection closes, nothing said
                    self.close_connection = True
                    return
                self.send_json(*answer)

        return Handler

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.released.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def _is_uuid4(value) -> bool:
    try:
        return uuid.UUID(value).version == 4 and str(uuid.UUID(value)) == value
    except (TypeError, ValueError, AttributeError):
        return False


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
