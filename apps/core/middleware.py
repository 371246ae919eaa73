import logging
import time
import uuid

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import ValidationError
from django.db import DataError, ProgrammingError
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject, empty
from django.utils.log import log_response
from django.views.defaults import bad_request
from social_django.middleware import SocialAuthExceptionMiddleware

from apps.core import context, health
from apps.core.api.exceptions import api_server_error, is_api_path

logger = logging.getLogger("django.request")
access_logger = logging.getLogger("apps.core.access")

REQUEST_ID_HEADER = "X-Request-ID"


def for_pages_only(middleware_class):
    """`middleware_class`, skipped for the API's paths (`/api/`). The admin
    and the sign-in pages need a session, CSRF checks, the signed-in user,
    messages and social-auth's error pages; an API request carries its own
    token (`Auth0JWTAuthentication` never looks at a cookie), DRF's views
    are exempt from CSRF, and DRF sets `request.user` once the token is
    checked. Run for the API, the five cost each request 0.06-0.1 ms of
    CPU. A subclass, so Django's checks (the admin's) still find the class
    they ask for; its `process_view` and `process_exception` are skipped
    for the API too."""
    hooks = {"__call__": _skipped_for_api(middleware_class.__call__, skipped=_pass_on)}
    for name in ("process_view", "process_exception"):
        if hasattr(middleware_class, name):
            hooks[name] = _skipped_for_api(getattr(middleware_class, name), skipped=_no_answer)
    if hasattr(middleware_class, "process_template_response"):
        raise TypeError(f"{middleware_class.__name__}: a template response hook is not skipped.")
    return type(f"Page{middleware_class.__name__}", (middleware_class,), hooks)


def _skipped_for_api(method, *, skipped):
    def hook(self, request, *args, **kwargs):
        if is_api_path(request):
            return skipped(self, request)
        return method(self, request, *args, **kwargs)

    return hook


def _pass_on(middleware, request):
    return middleware.get_response(request)


def _no_answer(middleware, request):
    return None


PageSessionMiddleware = for_pages_only(SessionMiddleware)
PageCsrfViewMiddleware = for_pages_only(CsrfViewMiddleware)
PageAuthenticationMiddleware = for_pages_only(AuthenticationMiddleware)
PageMessageMiddleware = for_pages_only(MessageMiddleware)
PageSocialAuthExceptionMiddleware = for_pages_only(SocialAuthExceptionMiddleware)


# How much of a client's own X-Request-ID its request's log line keeps.
CLIENT_REQUEST_ID_LOGGED = 100


def _request_id(request) -> uuid.UUID:
    """The request's id: a valid incoming X-Request-ID only when the proxy
    in front sets it (`TRUST_REQUEST_ID_HEADER`), else a new one — a
    client's own would file its audit entries under another request's id."""
    if settings.TRUST_REQUEST_ID_HEADER:
        try:
            return uuid.UUID(request.headers.get(REQUEST_ID_HEADER, ""))
        except ValueError:
            pass
    return uuid.uuid4()


def _client_request_id(request) -> str | None:
    """The X-Request-ID a client sent and the suite did not take, for its
    request's log line, so that support can find the request by it."""
    if settings.TRUST_REQUEST_ID_HEADER:
        return None
    return request.headers.get(REQUEST_ID_HEADER, "")[:CLIENT_REQUEST_ID_LOGGED] or None


class HeadWithoutBodyMiddleware:
    """A HEAD response carries the headers of the GET, and no body. Django's
    views (and WhiteNoise's files) answer HEAD as GET, leaving the body to
    the server to drop: runserver and the test client do, gunicorn drops it
    with a warning per request. Outermost in MIDDLEWARE, so every response
    passes here; the headers, Content-Length included, stay the GET's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "HEAD":
            if response.streaming:
                response.streaming_content = []  # a file's closed with the response
            else:
                response.content = b""
        return response


class HealthProbeMiddleware:
    """`GET /health` and `/health/ready` (and HEAD) answered whatever the
    Host header: a container's HEALTHCHECK asks 127.0.0.1, a load balancer
    the server's address, neither of them one of ALLOWED_HOSTS. First in
    MIDDLEWARE, so no later middleware reads the host (CommonMiddleware,
    SecurityMiddleware's HTTPS redirect); every other path and method still
    passes Django's host check. A probe has no request id and no log line,
    and is never kept by a cache: it says how the server is now."""

    PROBES = {"/health": health.live, "/health/ready": health.ready}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = self.PROBES.get(request.path_info)
        if probe is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        response = probe(request)
        response["Cache-Control"] = "no-store"
        return response


class RequestContextMiddleware:
    """Give every request an id (an incoming X-Request-ID only from a trusted
    proxy: `_request_id`), return it in the response, and bind it with the request's user for the
    audit entries and the log lines written while the request runs; then log
    the request's own line (apps/core/logs.py): who asked what, the answer's
    status and the time it took (a streamed response's first byte, not its
    last)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = _request_id(request)
        started = time.monotonic()
        with context.bind(lambda: getattr(request, "user", None), request.id):
            response = self.get_response(request)
            _log_request(request, response, time.monotonic() - started)
        response[REQUEST_ID_HEADER] = str(request.id)
        return response


def _log_request(request, response, seconds: float) -> None:
    path = request.get_full_path()
    user = getattr(request, "user", None)
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        user = None  # a page's user never read: not read for the log (a query, maybe failing)
    access_logger.info(
        "%s %s %s",
        request.method,
        path,
        response.status_code,
        extra={
            "user": user.get_username() if getattr(user, "is_authenticated", False) else None,
            "method": request.method,
            "path": path,
            "status": response.status_code,
            "duration_ms": round(seconds * 1000, 1),
            **({"client_request_id": sent} if (sent := _client_request_id(request)) else {}),
        },
    )


class ApiCacheControlMiddleware:
    """An API response is read with the caller's token: no shared cache may
    keep it, and a browser asks again before reusing it (`private,
    no-cache`: a record's or a list's ETag makes that a 304), and `Vary:
    Authorization` says the token decides it. A response that says how it
    may be kept keeps its own (the manifest's minute, an export's
    `no-store`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_api_path(request):
            if not response.has_header("Cache-Control"):
                response["Cache-Control"] = "private, no-cache"
            patch_vary_headers(response, ("Authorization",))
        return response


class ApiErrorMiddleware:
    """An unhandled exception on an /api/ path answers the JSON error shape,
    in every mode; elsewhere Django's own handling applies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_api_path(request):
            return None
        response = api_server_error(request)
        log_response(
            "%s: %s",
            response.reason_phrase,
            request.path,
            response=response,
            request=request,
            exception=exception,
        )
        return response


# What a value from an admin page's query, path or form raises when Django's
# admin hands it on to the database or to a conversion it does not fit.
BAD_ADMIN_INPUT = (DataError, ValueError, OverflowError, ValidationError)


class AdminBadInputMiddleware:
    """Django's admin passes a list's filter values, a history page's id, an
    action's selection or an autocomplete's term on as they came (found by
    fuzzing it): a regular expression or a NUL PostgreSQL refuses, a year
    past 9999, a text where an id goes, was a 500. On an admin page such an
    error is a 400 page; it is logged as a warning, in case one is a bug. A
    list's lookup the database cannot run (`?name__range=1,2`) is one too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not request.path.startswith(reverse("admin:index")):
            return None
        if not isinstance(exception, BAD_ADMIN_INPUT) and not (
            request.method == "GET" and isinstance(exception, ProgrammingError)
        ):
            return None
        logger.warning("Bad input to the admin: %s", request.path, exc_info=exception)
        return bad_request(request, exception)
