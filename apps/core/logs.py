"""The suite's log lines: one JSON object per line, every line with its
time, level, logger and request id, a request's own line with who asked
what and how it went (settings: LOGGING; docs/deployment.md, "Logs"). The
app servers' and Celery's own lines are written alike.

    {"time": "2026-12-06T18:30:00.123Z", "level": "INFO", "logger": "apps.core.access",
     "message": "GET /api/v1/components/components/?search=x 200", "request_id": "…",
     "user": "auth0|alice", "method": "GET", "path": "/api/v1/components/components/?search=x",
     "status": 200, "duration_ms": 12.4}
"""

import json
import logging
from datetime import UTC, datetime

from apps.core.context import current_request_id

# The handler every line of the suite goes to, one JSON object per line on
# standard error: the app's (settings: LOGGING), gunicorn's own
# (suite/gunicorn_conf.py) and Celery's workers' and beat's (suite/celery.py).
JSON_CONSOLE = {
    "formatters": {"json": {"()": "apps.core.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
}

# What a request's line carries (`extra=` of its log call), in this order; the
# last only when a client sent an X-Request-ID the suite did not take.
REQUEST_FIELDS = ("user", "method", "path", "status", "duration_ms", "client_request_id")


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON; a traceback goes in its `exc` field."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": _request_id(record),
        }
        line.update(
            (field, getattr(record, field)) for field in REQUEST_FIELDS if hasattr(record, field)
        )
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, default=str)


def _request_id(record: logging.LogRecord) -> str | None:
    """The request's id: bound while the request runs (apps/core/context.py);
    Django's own lines after it carry the request itself."""
    request_id = current_request_id() or getattr(getattr(record, "request", None), "id", None)
    return str(request_id) if request_id else None


class WithoutStatusLines(logging.Filter):
    """Drops Django's line per 4xx and 5xx response ("Unauthorized: /path",
    "Not Found: /path"): each request's own line has its status. Its lines
    with a traceback (an exception nothing handled) stay."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not hasattr(record, "status_code") or bool(record.exc_info)
