"""What the tests' stand-ins for services outside the suite (Auth0, Linear),
served on 127.0.0.1, have in common."""

import json
from http.server import BaseHTTPRequestHandler


class JsonHandler(BaseHTTPRequestHandler):
    """A request handler that answers JSON and writes no line per request."""

    def send_json(self, status: int, body) -> None:
        """`body` as JSON; a string is sent as it is (a malformed answer)."""
        data = (body if isinstance(body, str) else json.dumps(body)).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass
