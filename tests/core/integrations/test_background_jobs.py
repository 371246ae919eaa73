"""Background jobs (`apps.core.jobs`): a task is sent once the transaction
that asked for it commits, never for one that rolls back; a broker out of
reach fails no request; and app servers start without importing Celery."""

import logging
import time

import pytest
from celery_brokers import celery_with_broker
from django.core.management import call_command
from django.db import transaction
from webhook_senders import PART

from apps.components.models import Component
from apps.core.integrations.receiving import PROCESSING_TASK
from apps.core.jobs import enqueue_after_commit
from apps.core.models import WebhookDelivery
from tests.core.test_start_up import in_an_app_server

pytestmark = pytest.mark.django_db


def test_a_delivery_is_processed_only_after_its_transaction_commits(
    sender, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        sender.part(PART, delivery="d-1")

    assert len(callbacks) == 1
    assert WebhookDelivery.objects.get().status == "RECEIVED"
    assert not Component.objects.exists()
    callbacks[0]()  # the commit

    assert WebhookDelivery.objects.get().status == "PROCESSED"
    assert Component.objects.count() == 1


def test_a_transaction_that_rolls_back_sends_nothing(django_capture_on_commit_callbacks):
    delivery = WebhookDelivery.objects.create(source="parts", delivery_id="d-1", payload=PART)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enqueue_after_commit(PROCESSING_TASK, delivery.pk)
        raise RuntimeError("the request failed after asking")

    assert callbacks == []
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("RECEIVED", 0)


def test_a_task_that_fails_inline_is_logged_and_fails_no_request(
    django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_after_commit(PROCESSING_TASK, "not a delivery id")

    [record] = [r for r in caplog.records if r.name == "apps.core.jobs"]
    assert "Could not run or enqueue apps.core.tasks.process_webhook_delivery" in record.message
    assert record.exc_info is not None


def test_a_broker_out_of_reach_fails_no_request_and_leaves_the_work_to_the_command(
    sender, django_capture_on_commit_callbacks, caplog
):
    started = time.monotonic()
    with (
        caplog.at_level(logging.ERROR, "apps.core.jobs"),
        celery_with_broker("redis://127.0.0.1:1/0"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = sender.part(PART, delivery="d-1")
    elapsed = time.monotonic() - started

    assert response.status_code == 202
    assert elapsed < 5
    [record] = caplog.records
    assert "Could not run or enqueue" in record.getMessage()
    assert WebhookDelivery.objects.get().status == "RECEIVED"

    call_command("process_webhooks")

    assert WebhookDelivery.objects.get().status == "PROCESSED"
    assert Component.objects.count() == 1


def test_an_app_server_starts_without_importing_celery():
    """Celery's import costs app servers a tenth of a second each
    (docs/integrations.md): it waits for the first task sent."""
    assert in_an_app_server("import sys; print('celery' in sys.modules)") == "False"
