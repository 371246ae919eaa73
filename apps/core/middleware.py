import logging
import uuid

from apps.core import context
from apps.core.api.exceptions import api_server_error

logger = logging.getLogger("django.request")

REQUEST_ID_HEADER = "X-Request-ID"


def _incoming_request_id(request) -> uuid.UUID | None:
    value = request.headers.get(REQUEST_ID_HEADER)
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


class RequestContextMiddleware:
    """Give every request an id (a valid incoming X-Request-ID is honoured),
    return it in the response, and bind it with the request's user for the
    audit entries written while the request runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = _incoming_request_id(request) or uuid.uuid4()
        with context.bind(lambda: getattr(request, "user", None), request.id):
            response = self.get_response(request)
        response[REQUEST_ID_HEADER] = str(request.id)
        return response


class ApiErrorMiddleware:
    """An unhandled exception on an /api/ path answers the JSON error shape,
    in every mode; elsewhere Django's own handling applies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not request.path.startswith("/api/"):
            return None
        logger.error("Internal Server Error: %s", request.path, exc_info=exception)
        return api_server_error(request)
