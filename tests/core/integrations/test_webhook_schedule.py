"""The beat's schedule (suite/celery.py): every five minutes the
deliveries no worker got, daily at a time of day the purge of old processed
ones and of expired sessions. Each entry names a task the workers have, and
each task does what its command does."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from webhook_senders import PART, stored

from apps.components.models import Component
from apps.core.models import WebhookDelivery
from apps.core.tasks import (
    clear_expired_sessions,
    process_pending_webhooks,
    purge_processed_webhooks,
)

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
    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert scheduled == {
        "apps.core.tasks.process_pending_webhooks",
        "apps.core.tasks.purge_processed_webhooks",
        "apps.core.tasks.clear_expired_sessions",
    }
    assert scheduled <= set(app.tasks)


@pytest.mark.parametrize("entry", ["purge-processed-webhooks", "clear-expired-sessions"])
def test_the_daily_tasks_run_at_three_utc_however_recently_the_beat_started(entry):
    """A beat started without its schedule file (a new container: each
    release) counts an entry's last run from its start: a daily interval
    would be due a whole day after each release, never on a day with one."""
    from suite.celery import app

    schedule = app.conf.beat_schedule[entry]["schedule"]
    started = timezone.now()
    # What remains is counted from a moment later than `started`: within a second.
    next_run = started + schedule.remaining_estimate(started) + datetime.timedelta(seconds=1)
    assert (next_run.hour, next_run.minute) == (3, 0)
    assert datetime.timedelta(0) < next_run - started <= datetime.timedelta(days=1)


def test_expired_sessions_are_cleared():
    now = timezone.now()
    Session.objects.create(session_key="old", session_data="", expire_date=now)
    Session.objects.create(
        session_key="live", session_data="", expire_date=now + datetime.timedelta(days=1)
    )

    clear_expired_sessions.delay()

    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]


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
