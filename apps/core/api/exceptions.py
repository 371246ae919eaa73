"""One error shape for the whole API:

    {"detail": "what went wrong", "code": "machine_readable", "errors": {"field": ["reason"]}}

`errors` is empty unless fields are at fault. Every /api/ path answers JSON,
including unknown URLs and server errors.
"""

import logging
import re
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, OperationalError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from psycopg import Error as PsycopgError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.validators import UniqueTogetherValidator
from rest_framework.views import exception_handler as drf_exception_handler

from apps.core.exceptions import ConflictError, messages_by_field
from apps.core.models.entity import value_taken_message
from apps.core.shared_cache import CACHE_UNREACHABLE

logger = logging.getLogger(__name__)


def error_body(detail: str, code: str, errors: dict | None = None) -> dict:
    return {"detail": detail, "code": code, "errors": errors or {}}


def _validation_body(exc: exceptions.ValidationError) -> dict:
    detail = exc.detail
    if isinstance(detail, dict):
        errors = {field: _messages(value) for field, value in detail.items()}
        fields = ", ".join(errors)
        return error_body(f"Invalid input: {fields}.", "invalid", errors)
    messages = _messages(detail)
    return error_body(
        messages[0] if messages else "Invalid input.", "invalid", {"non_field_errors": messages}
    )


def _messages(value):
    if isinstance(value, dict):
        return {key: _messages(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_messages(item) if isinstance(item, (dict, list)) else str(item) for item in value]
    return [str(value)]


def exception_handler(exc, context):
    if isinstance(exc, ConflictError):
        return Response(
            error_body(exc.message, exc.code) | exc.extra, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(messages_by_field(exc))
    elif isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return Response(
            error_body(
                f"The request body is larger than the {limit:,} bytes this server accepts.",
                "request_too_large",
            ),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    elif trouble := service_trouble(exc):
        log_unavailable(context["request"], trouble, exc)
        return Response(
            error_body(trouble.detail, trouble.code),
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers=trouble.headers(),
        )
    elif isinstance(exc, IntegrityError):
        clash = integrity_clash(exc)
        if clash is None:
            # Not the request's fault (a NOT NULL or CHECK the code does not
            # know, as in a release whose migration outran the old servers):
            # a 500, logged with the database's message, never shown.
            return None
        if fields := clashing_fields(exc):
            # A unique value taken: answered as the uniqueness validators answer.
            exc = exceptions.ValidationError(fields, code="unique")
        else:
            return Response(error_body(clash, "conflict"), status=status.HTTP_409_CONFLICT)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc)
    else:
        detail = getattr(exc, "detail", str(exc))
        code = detail.code if hasattr(detail, "code") else getattr(exc, "default_code", "error")
        response.data = error_body(str(detail), code)
    return response


@dataclass(frozen=True)
class ServiceTrouble:
    """Why a service a request needs — the database, the shared cache — could
    not serve it, through no fault of the request: a 503."""

    code: str
    detail: str
    retry_after: int | None  # seconds, when retrying soon may work

    def headers(self) -> dict:
        return {"Retry-After": str(self.retry_after)} if self.retry_after else {}


# The trouble a database error is, by PostgreSQL's SQLSTATE (its first two
# characters: the class) or SQLite's message. A write's transaction is rolled
# back by the error, except that a connection lost during a COMMIT leaves it
# unknown whether the commit happened: "unavailable" promises nothing.
TIMEOUT = ServiceTrouble(
    "database_timeout",
    "The database cancelled a query of this request that ran longer than it allows "
    "(the statement timeout); nothing was changed. Narrow the request, or retry later.",
    None,
)
BUSY = ServiceTrouble(
    "database_busy",
    "The request's changes collided with another's in the database (a deadlock, a lock "
    "or serialization failure); nothing was changed. Retry.",
    1,
)
UNAVAILABLE = ServiceTrouble(
    "database_unavailable",
    "The database is unavailable; retry shortly.",
    5,
)
TROUBLE_BY_SQLSTATE = {
    "57014": TIMEOUT,  # query_canceled: the statement timeout, or an operator
    "40": BUSY,  # transaction_rollback: serialization failure, deadlock
    "55P03": BUSY,  # lock_not_available (lock_timeout)
    "08": UNAVAILABLE,  # connection_exception
    "53": UNAVAILABLE,  # insufficient_resources: too many connections, disk full
    "57P": UNAVAILABLE,  # the server shutting down, starting or restarting
}

# The shared cache, when a request cannot go without it (the rate limit and
# Auth0's signing keys do: apps/core/api/throttles.py, apps/core/auth/jwks.py).
CACHE_UNAVAILABLE = ServiceTrouble(
    "cache_unavailable", "The shared cache is unavailable; retry shortly.", 5
)


def service_trouble(exc: BaseException | None) -> ServiceTrouble | None:
    """The service `exc` says could not serve the request (a 503), or None."""
    if isinstance(exc, OperationalError):
        return database_trouble(exc)
    if isinstance(exc, CACHE_UNREACHABLE):
        return CACHE_UNAVAILABLE
    return None


def log_unavailable(request, trouble: ServiceTrouble, exc: BaseException) -> None:
    """A service's trouble, logged with its error and no traceback (a 503 is
    no bug of the suite's, and an outage would repeat the traceback per request)."""
    logger.warning("%s %s: %s (%s)", request.method, request.path, trouble.code, exc)


def database_trouble(exc: OperationalError) -> ServiceTrouble | None:
    """What a database error says of the database, or None for an error of
    the request's own (answered 500, and logged as a bug)."""
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate is not None:
        for prefix in (sqlstate, sqlstate[:3], sqlstate[:2]):
            if prefix in TROUBLE_BY_SQLSTATE:
                return TROUBLE_BY_SQLSTATE[prefix]
        return None
    if isinstance(cause, PsycopgError):  # no SQLSTATE: no server answered
        return UNAVAILABLE
    if "database is locked" in str(exc):  # SQLite, past its busy timeout
        return BUSY
    return None


# The integrity errors that are a request's clash with what other writers
# did, by PostgreSQL's SQLSTATE or SQLite's message: a unique or exclusion key
# taken, a record referred to deleted meanwhile (a foreign key is checked as
# the transaction commits). Any other (NOT NULL, CHECK) is a fault of the
# server's code against its schema: a 500.
TAKEN = "The change conflicts with an existing record."
GONE = "A record the change refers to was deleted meanwhile."
CLASH_BY_SQLSTATE = {"23505": TAKEN, "23P01": TAKEN, "23503": GONE}
CLASH_BY_SQLITE_MESSAGE = {"UNIQUE constraint failed": TAKEN, "FOREIGN KEY constraint failed": GONE}


def integrity_clash(exc: IntegrityError) -> str | None:
    """What clash with other writers `exc` is, in a sentence for the client;
    None when it is no clash but the server's fault."""
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    if sqlstate is not None:
        return CLASH_BY_SQLSTATE.get(sqlstate)
    message = str(exc)
    return next((said for key, said in CLASH_BY_SQLITE_MESSAGE.items() if key in message), None)


# How the databases name the columns of a unique key a write clashed with:
# PostgreSQL's detail ("Key (part_number)=(P-1) already exists.", with its
# table in the diagnostics), SQLite's message ("UNIQUE constraint failed:
# components_component.part_number").
POSTGRESQL_KEY = re.compile(r"Key \((?P<columns>[\w, ]+)\)=")
UNIQUE_VIOLATION = "23505"  # PostgreSQL's SQLSTATE; a foreign key's detail also names a key
SQLITE_KEY = re.compile(r"UNIQUE constraint failed: (?P<columns>[\w., ]+)$")


def clashing_fields(exc: IntegrityError) -> dict:
    """`{field: [message]}` for the unique key a write clashed with (a new
    record's value, which only the insert checks, or one another writer
    took after validation), as the uniqueness validators say it;
    `non_field_errors` for a key of several fields; empty when the database
    names no plain columns (a key on an expression)."""
    diagnostics = getattr(exc.__cause__, "diag", None)
    if diagnostics is not None:
        unique = diagnostics.sqlstate == UNIQUE_VIOLATION
        match = unique and POSTGRESQL_KEY.match(diagnostics.message_detail or "")
        table = diagnostics.table_name
        columns = match and [column.strip() for column in match["columns"].split(",")]
    else:
        match = SQLITE_KEY.search(str(exc))
        pairs = match and [pair.strip().split(".") for pair in match["columns"].split(",")]
        table = pairs and pairs[0][0]
        columns = pairs and [column for _, column in pairs]
    model = next((m for m in apps.get_models() if m._meta.db_table == table), None)
    if not columns or model is None:
        return {}
    by_column = {field.column: field for field in model._meta.concrete_fields}
    fields = [by_column.get(column) for column in columns]
    if None in fields:
        return {}
    if len(fields) == 1:
        [field] = fields
        return {field.name: [value_taken_message(field)]}
    names = ", ".join(field.name for field in fields)
    message = UniqueTogetherValidator.message.format(field_names=names)
    return {api_settings.NON_FIELD_ERRORS_KEY: [message]}


def json_error_response(
    detail: str, code: str, status_code: int, headers: dict | None = None
) -> JsonResponse:
    return JsonResponse(error_body(detail, code), status=status_code, headers=headers)


def is_api_path(request) -> bool:
    """Whether `request` is to the API (`/api/`, as the URLs route it)."""
    return request.path_info.startswith("/api/")


@csrf_exempt  # nothing here to protect: a write to no endpoint is a 404, not a CSRF 403
def api_not_found(request, exception=None):
    return json_error_response(f"No API endpoint at {request.path}.", "not_found", 404)


def api_server_error(request):
    return json_error_response(
        "The server failed to handle the request; it has been logged under the request id "
        f"{getattr(request, 'id', None)} (its X-Request-ID).",
        "server_error",
        500,
    )
