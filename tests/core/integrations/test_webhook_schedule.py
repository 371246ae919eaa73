"""The beat's schedule (`CELERY_BEAT_SCHEDULE`): every five minutes the
deliveries no worker got, daily the purge of old processed ones. Each entry
names a task the workers have, and each task does what its command does."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone
from webhook_senders import PART, stored

from apps.components.models import Component
from apps.core.models import WebhookDelivery
from apps.core.tasks import process_pending_webhooks, purge_processed_webhooks

pytestmark = pytest.mark.django_db


def received(minutes_ago: float, delivery_id: str, **fields) -> WebhookDelivery:
    return stored(
        delivery_id=delivery_id,
        body_sha256=delivery_id,
        payload={**PART, "part_number": delivery_id},
        received_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        **fields,
    )


def test_every_scheduled_task_is_one_the_workers_have():
    from suite.celery import app

    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled == {
        "apps.core.tasks.process_pending_webhooks",
        "apps.core.tasks.purge_processed_webhooks",
    }
    assert scheduled <= set(app.tasks)


def test_the_pending_deliveries_older_than_five_minutes_are_processed():
    forgotten = received(10, "P-1")
    fresh = received(1, "P-2")  # its own task may still be on its way
    given_up = received(30, "P-3", status="FAILED", attempts=settings.WEBHOOK_MAX_ATTEMPTS)

    process_pending_webhooks.delay()

    forgotten.refresh_from_db()
    fresh.refresh_from_db()
    given_up.refresh_from_db()
    assert (forgotten.status, fresh.status, given_up.status) == ("PROCESSED", "RECEIVED", "FAILED")
    assert list(Component.objects.values_list("part_number", flat=True)) == ["P-1"]


def test_processed_deliveries_past_the_retention_are_purged(settings):
    settings.WEBHOOK_RETENTION_DAYS = 30
    days = 24 * 60
    old = received(40 * days, "D-1", status="PROCESSED")
    kept = received(10 * days, "D-2", status="PROCESSED")
    failed = received(40 * days, "D-3", status="FAILED")

    purge_processed_webhooks.delay()

    remaining = set(WebhookDelivery.objects.values_list("pk", flat=True))
    assert remaining == {kept.pk, failed.pk}
    assert old.pk not in remaining


def test_a_retention_of_zero_keeps_every_delivery(settings):
    settings.WEBHOOK_RETENTION_DAYS = 0
    received(400 * 24 * 60, "D-1", status="PROCESSED")

    purge_processed_webhooks.delay()

    assert WebhookDelivery.objects.count() == 1
