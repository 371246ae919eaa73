"""A HEAD request is answered with the GET's headers and no body, by the
suite itself: gunicorn logs a warning for every body it has to drop."""

import io

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.http import StreamingHttpResponse
from django.test import RequestFactory

from apps.core.middleware import HeadWithoutBodyMiddleware


def served(path: str, method: str, **headers) -> tuple[str, dict, bytes]:
    """What a WSGI server gets from the suite (the test client drops a HEAD's
    body itself, as runserver does)."""
    environ = RequestFactory().generic(method, path, **headers).environ
    environ["wsgi.input"] = io.BytesIO(b"")
    started = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=status, headers=dict(headers))

    result = WSGIHandler()(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        result.close()
    return started["status"], started["headers"], body


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "path",
    ["/health", "/health/ready", "/", "/admin/login/", "/api/v1/no-such-tool/", "/nope/static"],
)
def test_a_head_response_has_the_gets_headers_and_no_body(path, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    get_status, get_headers, get_body = served(path, "GET")
    status, headers, body = served(path, "HEAD")
    assert get_body
    assert body == b""
    assert status == get_status
    assert headers.get("Content-Type") == get_headers.get("Content-Type")


@pytest.mark.django_db  # closing a response closes the old database connections
def test_a_head_of_a_streamed_response_sends_nothing_and_closes_it():
    closed = []

    class Rows:
        def __iter__(self):
            yield b"a,b\n"

        def close(self):
            closed.append(True)

    middleware = HeadWithoutBodyMiddleware(lambda request: StreamingHttpResponse(Rows()))
    response = middleware(RequestFactory().head("/api/v1/components/components/export.csv"))
    assert b"".join(response) == b""
    response.close()
    assert closed == [True]
