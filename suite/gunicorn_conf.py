"""gunicorn's settings for the suite's app servers (the Dockerfile's CMD:
`--config python:suite.gunicorn_conf`). The defaults here give way to
gunicorn's own environment: WEB_CONCURRENCY sets the number of workers, and
GUNICORN_CMD_ARGS any flag (`--workers=4 --timeout=60`); flags on the command
line come before both (docs/deployment.md)."""

import os

from apps.core.logs import JSON_CONSOLE

bind = "0.0.0.0:8000"
# Sync workers, one request at a time each (docs/performance.md says why).
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# No access log of gunicorn's: the suite logs each request itself, with its
# request id and user (apps.core.access; docs/deployment.md, "Logs").
accesslog = None
# gunicorn's own lines (its start, a worker booted, a worker timed out) as the
# suite's: one JSON object per line on stderr. Their level is gunicorn's
# `--log-level` (info); in a worker, the suite's LOGGING then takes the root.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    **JSON_CONSOLE,
    "root": {"handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"handlers": [], "propagate": True},
        "gunicorn.access": {"handlers": [], "propagate": False},
    },
}


def post_worker_init(worker):
    """Each worker, the suite loaded, lends the suite its heartbeat: a
    response streamed for longer than `--timeout` keeps its worker from
    being killed as hung (apps/core/heartbeat.py)."""
    from apps.core.heartbeat import keep_alive_with

    keep_alive_with(worker.notify)
