"""The suite's Celery configuration with a real broker, for a test: the
production path, where tasks go to workers instead of running inline."""

from contextlib import contextmanager

from celery import Celery
from celery import _state as celery_state

import apps.core.tasks  # noqa: F401  (the platform's tasks, for the app to find)
import suite.celery


@contextmanager
def celery_with_broker(broker_url: str):
    """A Celery app configured as the suite's (the `CELERY_*` settings) but
    sending to `broker_url`, current for the block: tasks enqueued in it go
    to that broker."""
    app = Celery("suite-tests", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(broker_url=broker_url, task_always_eager=False)
    # Celery's worker for tests makes its app the default of every thread
    # too: put back the one there was, or a later test's threads enqueue here.
    default = celery_state.default_app
    app.set_current()
    try:
        yield app
    finally:
        suite.celery.app.set_current()
        celery_state.set_default_app(default)
        app.close()
