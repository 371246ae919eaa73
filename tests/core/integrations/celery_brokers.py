"""The suite's Celery configuration with a real broker, for a test: the
production path, where tasks go to workers instead of running inline."""

from contextlib import contextmanager

from celery import Celery

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
    app.set_current()
    try:
        yield app
    finally:
        suite.celery.app.set_current()
        app.close()
