"""One error shape for the whole API:

    {"detail": "what went wrong", "code": "machine_readable", "errors": {"field": ["reason"]}}

`errors` is empty unless fields are at fault. Every /api/ path answers JSON,
including unknown URLs and server errors.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from apps.core.exceptions import ConflictError


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
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return Response(
            error_body(
                f"The request body is larger than the {limit:,} bytes this server accepts.",
                "request_too_large",
            ),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    elif isinstance(exc, IntegrityError):
        return Response(
            error_body("The change conflicts with an existing record.", "conflict"),
            status=status.HTTP_409_CONFLICT,
        )
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


def json_error_response(detail: str, code: str, status_code: int) -> JsonResponse:
    return JsonResponse(error_body(detail, code), status=status_code)


@csrf_exempt  # nothing here to protect: a write to no endpoint is a 404, not a CSRF 403
def api_not_found(request, exception=None):
    return json_error_response(f"No API endpoint at {request.path}.", "not_found", 404)


def api_server_error(request):
    return json_error_response(
        "The server failed to handle the request; it has been logged.", "server_error", 500
    )
