"""The production path end to end: a delivery's processing sent through
Redis (database 12 of 127.0.0.1:6379, which nothing else here uses) to a
Celery worker, which processes it and, when its handler fails, tries again
up to WEBHOOK_MAX_ATTEMPTS attempts. Skipped when no Redis answers, and on
SQLite: workers run only in production, on PostgreSQL, and a worker's thread
writing beside the test's found SQLite's table locked now and then."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery_brokers import celery_with_broker, empty_redis
from webhook_senders import PART

from apps.components.models import Component
from apps.core.integrations import processing
from apps.core.models import WebhookDelivery

BROKER_URL = "redis://127.0.0.1:6379/12"

pytestmark = pytest.mark.postgres


@pytest.fixture
def worker(transactional_db, monkeypatch):
    """A Celery worker in a thread, consuming from Redis; tries again at once."""
    monkeypatch.setattr(processing, "retry_delay", lambda attempts: 0)
    with (
        empty_redis(BROKER_URL),
        celery_with_broker(BROKER_URL) as app,
        start_worker(app, perform_ping_check=False, shutdown_timeout=10),
    ):
        yield


def settled(delivery_id: int, attempts: int, timeout: float = 15) -> WebhookDelivery:
    """The delivery once the worker has made `attempts` attempts and left it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        delivery = WebhookDelivery.objects.get(pk=delivery_id)
        if delivery.attempts >= attempts and delivery.status != "RECEIVED":
            return delivery
        time.sleep(0.05)
    raise AssertionError(f"The worker left delivery {delivery_id} at {delivery.attempts} attempts.")


def test_a_worker_processes_a_delivery_sent_through_the_broker(worker, sender):
    response = sender.part(PART, delivery="d-1")

    assert response.status_code == 202
    assert response.json()["status"] == "RECEIVED"  # answered before the worker ran it
    delivery = settled(response.json()["id"], attempts=1)
    assert delivery.status == "PROCESSED"
    assert Component.objects.get().created_by.username == "webhooks-parts"


def test_a_worker_tries_a_failed_delivery_again_until_it_succeeds(worker, sender):
    response = sender.part({**PART, "fail_before_attempt": 3}, delivery="d-1")

    delivery = settled(response.json()["id"], attempts=3)
    assert (delivery.status, delivery.last_error) == ("PROCESSED", "")
    assert Component.objects.count() == 1


def test_a_worker_gives_up_after_the_most_attempts_allowed(worker, sender, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    response = sender.part({**PART, "fail": True}, delivery="d-1")

    delivery = settled(response.json()["id"], attempts=2)
    time.sleep(0.5)  # a third attempt, were there one, would have come by now
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("FAILED", 2)
    assert delivery.last_error == "RuntimeError: the feed cannot take SNS-2001"
    assert not Component.objects.exists()
