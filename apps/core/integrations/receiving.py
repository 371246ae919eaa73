"""Receiving a delivery: refused unless signed with the source's secret,
readable and fresh; stored once; its processing sent to the workers once it
is committed."""

import hashlib
import json
import logging
import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import DataError, IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from apps.core.api.exceptions import integrity_clash
from apps.core.db import json_texts, storable
from apps.core.integrations.sources import WebhookSource
from apps.core.jobs import enqueue_after_commit
from apps.core.models.webhooks import DELIVERY_ID_MAX_LENGTH, EVENT_MAX_LENGTH, WebhookDelivery

PROCESSING_TASK = "apps.core.tasks.process_webhook_delivery"

logger = logging.getLogger(__name__)


@dataclass
class DeliveryRefused(Exception):
    """Why a delivery is not accepted: the HTTP status, a code, a sentence."""

    status: int
    code: str
    detail: str


def receive_delivery(
    source: WebhookSource, headers: Mapping[str, str], body: bytes, request_id: uuid.UUID
) -> tuple[WebhookDelivery, bool]:
    """The stored delivery, and whether it is new (False: the source sent
    it before, under the same delivery id or with the same body, and it is
    not processed again). Raises `DeliveryRefused`."""
    if not source.secret():
        raise DeliveryRefused(
            503,
            "webhook_secret_not_configured",
            f"Deliveries of {source.name!r} cannot be verified: {source.secret_setting} is not "
            "set on this server.",
        )
    if not source.signature_is_valid(headers, body):
        raise DeliveryRefused(
            401,
            "invalid_signature",
            f"The {source.signature_header} header is missing or is not the body's signature "
            "with the shared secret.",
        )
    payload = _json_object(body)
    _refuse_outside_replay_window(source, headers, payload)
    delivery_id = source.delivery_id(headers, body)
    event = source.event(headers, payload)
    _refuse_too_long("delivery id", delivery_id, DELIVERY_ID_MAX_LENGTH)
    _refuse_too_long("event", event, EVENT_MAX_LENGTH)
    body_sha256 = hashlib.sha256(body).hexdigest()
    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(
                source=source.name,
                delivery_id=delivery_id,
                body_sha256=body_sha256,
                event=event,
                payload=payload,
                request_id=request_id,
            )
            enqueue_after_commit(PROCESSING_TASK, delivery.pk)
    except IntegrityError as refused:
        # Sent again (the same id, or the same signed body under another id),
        # perhaps at the same moment: the unique constraints decide, and the
        # delivery they kept is there to answer with. Any other rule the row
        # breaks (a NOT NULL the code does not fill) is the server's fault,
        # raised for a 500 that the sender retries.
        if integrity_clash(refused) is None:
            raise
        stored = (
            WebhookDelivery.objects.filter(source=source.name)
            .filter(Q(delivery_id=delivery_id) | Q(body_sha256=body_sha256))
            .order_by("pk")
            .first()
        )
        if stored is None:
            raise
        return stored, False
    except DataError as refused:  # a value the checks above did not foresee
        raise _unstorable(refused) from refused
    return delivery, True


def _unstorable(error: Exception) -> DeliveryRefused:
    """The database's reason is for the operators (logged), not the sender."""
    logger.warning("The database refused a webhook delivery's row: %s", error)
    return DeliveryRefused(
        400, "invalid_payload", "The body cannot be stored: the database refuses it."
    )


def _json_object(body: bytes) -> dict:
    """The body as a JSON object, or a `DeliveryRefused` saying why not: JSON
    has no NaN or Infinity, and a number beyond a float (`1e400`), which
    Python would read as infinity, cannot be stored."""
    try:
        payload = json.loads(body, parse_constant=_not_json, parse_float=_finite_float)
    except RecursionError:
        raise DeliveryRefused(
            400, "invalid_payload", "The body is not a JSON object: nested too deeply."
        ) from None
    except _NotFinite as refused:
        raise DeliveryRefused(
            400, "invalid_payload", f"The body is not a JSON object: {refused}."
        ) from None
    except (UnicodeDecodeError, ValueError):
        payload = None
    if not isinstance(payload, dict):
        raise DeliveryRefused(400, "invalid_payload", "The body is not a JSON object.")
    if not all(storable(text) for text in json_texts(payload)):
        raise DeliveryRefused(
            400,
            "invalid_payload",
            "The body cannot be stored: a text in it holds a NUL character (\\u0000) or an "
            "unpaired surrogate (\\ud800 alone), which the suite stores in no text.",
        )
    return payload


class _NotFinite(ValueError):
    pass


def _not_json(constant: str):
    raise ValueError(f"{constant} is not JSON")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise _NotFinite(f"the number {text[:40]} is not finite as a float")
    return number


def _refuse_outside_replay_window(source: WebhookSource, headers, payload: dict) -> None:
    window = source.replay_window
    if window is None:
        return
    sent_at = source.sent_at(headers, payload)
    if sent_at is None:
        raise DeliveryRefused(
            400, "missing_timestamp", "The delivery does not say when it was sent."
        )
    now = timezone.now()
    seconds = int(window.total_seconds())
    if now - sent_at > window:
        raise DeliveryRefused(
            400,
            "delivery_too_old",
            f"The delivery was sent at {sent_at.isoformat()}, more than {seconds} seconds ago: "
            "refused as a possible replay.",
        )
    if sent_at - now > window:
        raise DeliveryRefused(
            400,
            "delivery_from_the_future",
            f"The delivery says it was sent at {sent_at.isoformat()}, more than {seconds} "
            "seconds from now: the sender's clock or the delivery is wrong.",
        )


def _refuse_too_long(what: str, value: str, limit: int) -> None:
    if len(value) > limit:
        raise DeliveryRefused(
            400, "invalid_delivery", f"The {what} is longer than {limit} characters."
        )
