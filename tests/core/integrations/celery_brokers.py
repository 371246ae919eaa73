"""The suite's Celery configuration with a real broker, for a test: the
production path, where tasks go to workers instead of running inline."""

from contextlib import contextmanager

import pytest
import redis
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


@contextmanager
def empty_redis(url: str):
    """The Redis database at `url`, emptied before the block and after; the
    test is skipped when no Redis answers."""
    broker = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        broker.ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.skip(f"needs Redis at 127.0.0.1:6379 (.ci/run starts it): {exc}")
    broker.flushdb()
    try:
        yield
    finally:
        broker.flushdb()
