"""Background jobs: a task is sent to the Celery workers only once the
transaction that asked for it commits, so the task never reads rows that are
not there yet, and a request that rolls back sends nothing.

Tasks are named by their dotted path and imported when first sent: an app
server that never enqueues never imports Celery (docs/integrations.md).
"""

import logging
from functools import cache, partial

from django.db import transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def enqueue_after_commit(task_path: str, *args, **kwargs) -> None:
    """Send the task at `task_path` (`"apps.core.integrations.tasks.process_delivery"`)
    with these JSON-serialisable arguments once the current transaction commits
    (at once outside one). With no broker configured it runs inline then.

    Sending can fail after the commit (the broker unreachable, or, inline, the
    task itself): that is logged and the request that committed is not failed.
    The work a task does must therefore be findable in the database, to be
    done again later (as `manage.py process_webhooks` does for deliveries)."""
    transaction.on_commit(partial(_send, task_path, args, kwargs))


def _send(task_path: str, args: tuple, kwargs: dict) -> None:
    try:
        celery_task(task_path).apply_async(args=args, kwargs=kwargs)
    except Exception:
        logger.exception(
            "Could not run or enqueue %s%r after its transaction committed; the request was "
            "answered as usual and the work is left to be done again.",
            task_path,
            args,
        )


@cache
def celery_task(task_path: str):
    """The task at `task_path`, bound to the suite's configured Celery app."""
    import suite.celery  # noqa: F401  (the app the tasks bind to; imported on first use)

    return import_string(task_path)
