"""The platform's background tasks, found by the Celery app's autodiscovery
(suite/celery.py): sent with `apps.core.jobs.enqueue_after_commit`, or on
the beat's schedule (suite/celery.py)."""

from contextlib import suppress

from celery import shared_task
from django.conf import settings
from django.core.management import CommandError, call_command

from apps.core.integrations import processing


@shared_task(bind=True)
def process_webhook_delivery(self, delivery_pk: int) -> None:
    """Process a received webhook delivery; on a worker, a failed one is
    tried again later, up to WEBHOOK_MAX_ATTEMPTS attempts in all. Inline
    (no broker) it is not: `manage.py process_webhooks` tries it again."""
    delivery = processing.process_delivery(delivery_pk)
    if processing.should_retry(delivery) and not self.request.is_eager:
        raise self.retry(countdown=processing.retry_delay(delivery.attempts), max_retries=None)


# What a delivery may wait for its own task before the schedule takes it: a
# worker busy with others is not overtaken.
PENDING_AFTER_MINUTES = 5


@shared_task
def process_pending_webhooks() -> None:
    """Every few minutes: the deliveries still RECEIVED or FAILED and not
    given up on, as `manage.py process_webhooks --older-than 5` does."""
    # Its exit status for failures is for cron: each is logged and kept on its
    # delivery, to be tried again.
    with suppress(CommandError):
        call_command("process_webhooks", older_than=PENDING_AFTER_MINUTES)


@shared_task
def purge_processed_webhooks() -> None:
    """Daily: the processed deliveries older than WEBHOOK_RETENTION_DAYS (0:
    none), as `manage.py purge_webhooks --days N` does."""
    if settings.WEBHOOK_RETENTION_DAYS:
        call_command("purge_webhooks", days=settings.WEBHOOK_RETENTION_DAYS)


@shared_task
def clear_expired_sessions() -> None:
    """Daily: the admin's expired sessions, which Django leaves in the
    database, as `manage.py clearsessions` does."""
    call_command("clearsessions")
