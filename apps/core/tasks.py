"""The platform's background tasks, found by the Celery app's autodiscovery
(suite/celery.py) and sent with `apps.core.jobs.enqueue_after_commit`."""

from celery import shared_task

from apps.core.integrations import processing


@shared_task(bind=True)
def process_webhook_delivery(self, delivery_pk: int) -> None:
    """Process a received webhook delivery; on a worker, a failed one is
    tried again later, up to WEBHOOK_MAX_ATTEMPTS attempts in all. Inline
    (no broker) it is not: `manage.py process_webhooks` tries it again."""
    delivery = processing.process_delivery(delivery_pk)
    if processing.should_retry(delivery) and not self.request.is_eager:
        raise self.retry(countdown=processing.retry_delay(delivery.attempts), max_retries=None)
