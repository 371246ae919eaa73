"""Processing a delivery: its source's `handle()`, once, as the source's user.

Whoever processes — a worker's task, the admin's "Process again",
`manage.py process_webhooks` — comes through `process_delivery()`, which
locks the delivery's row: two of them never process one delivery at once,
and a processed delivery is never processed again.
"""

import logging

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from apps.core.context import acting_as
from apps.core.integrations.sources import WebhookSource, webhook_source
from apps.core.models import User
from apps.core.models.webhooks import WebhookDelivery

logger = logging.getLogger(__name__)

Status = WebhookDelivery.Status


class UnknownSource(LookupError):
    pass


def process_delivery(delivery_pk: int) -> WebhookDelivery | None:
    """Process the delivery unless it is processed already or being
    processed now (then None). The source's writes are kept only if
    `handle()` returns; an exception is logged and kept on the delivery,
    FAILED."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .exclude(status=Status.PROCESSED)
            .filter(pk=delivery_pk)
            .first()
        )
        if delivery is None:
            return None
        delivery.attempts += 1
        try:
            source = _source_of(delivery)
            with transaction.atomic(), acting_as(service_user(source), delivery.request_id):
                source.handle(delivery)
        except Exception as exc:
            logger.exception(
                "Webhook delivery %s (%s %s) failed on attempt %d.",
                delivery.pk,
                delivery.source,
                delivery.delivery_id,
                delivery.attempts,
            )
            delivery.status = Status.FAILED
            delivery.last_error = f"{type(exc).__name__}: {exc}"
        else:
            delivery.status = Status.PROCESSED
            delivery.processed_at = timezone.now()
            delivery.last_error = ""
        delivery.save(update_fields=["attempts", "status", "last_error", "processed_at"])
    return delivery


def should_retry(delivery: WebhookDelivery | None) -> bool:
    """Whether a worker tries the delivery again: it failed, and fewer than
    WEBHOOK_MAX_ATTEMPTS attempts were made."""
    return (
        delivery is not None
        and delivery.status == Status.FAILED
        and delivery.attempts < settings.WEBHOOK_MAX_ATTEMPTS
    )


def retry_delay(attempts: int) -> int:
    """Seconds before the next attempt: 30 after the first, doubling, at most
    30 minutes (a retry waiting longer than Redis's visibility timeout, an
    hour, would be handed to a second worker)."""
    return min(30 * 2 ** (attempts - 1), 1800)


def service_user(source: WebhookSource) -> User:
    """The user the source's changes are made by: made on first use, named
    as the source says, with no password anyone could sign in with."""
    user, _ = User.objects.get_or_create(
        username=source.actor_username,
        defaults={"first_name": source.actor_name, "password": make_password(None)},
    )
    return user


def _source_of(delivery: WebhookDelivery) -> WebhookSource:
    source = webhook_source(delivery.source)
    if source is None:
        raise UnknownSource(f"No webhook source {delivery.source!r} is registered.")
    return source


def deliveries(count: int) -> str:
    """`1 delivery`, `2 deliveries`: how the admin and the commands count them."""
    return ngettext("%(count)d delivery", "%(count)d deliveries", count) % {"count": count}
