"""Two webhook sources of the tests' own, a sender of deliveries, and
deliveries stored as if received.

`parts` has the platform's defaults (WEBHOOK_SECRET, `X-Webhook-*`
headers); its handler makes the component a delivery names. `tracker` is
signed, identified and timed as Linear signs, identifies and times its
deliveries."""

import datetime
import hashlib
import hmac
import json
import time

from apps.components.models import Component
from apps.core.integrations import WebhookSource, from_epoch_milliseconds
from apps.core.models import WebhookDelivery

PARTS_SECRET = "parts-secret-for-tests"
TRACKER_SECRET = "tracker-secret-for-tests"
# What a `parts` delivery announces.
PART = {"name": "Hall sensor", "part_number": "SNS-2001"}


class PartsWebhooks(WebhookSource):
    """Components announced by a parts feed. `fail` makes the handler raise
    after its write, which must not be kept; `fail_before_attempt`, only on
    the attempts before that one."""

    name = "parts"
    actor_name = "Parts feed"

    def handle(self, delivery):
        part = delivery.payload
        Component.objects.create(name=part["name"], part_number=part["part_number"])
        if part.get("fail") or delivery.attempts < part.get("fail_before_attempt", 0):
            raise RuntimeError(f"the feed cannot take {part['part_number']}")


class TrackerWebhooks(WebhookSource):
    """Shaped as Linear's: its own secret, headers, and a timestamp in the body."""

    name = "tracker"
    secret_setting = "TRACKER_WEBHOOK_SECRET"
    signature_header = "Tracker-Signature"
    delivery_id_header = "Tracker-Delivery"
    event_header = "Tracker-Event"
    replay_window = datetime.timedelta(minutes=1)
    actor_name = "Tracker"

    def sent_at(self, headers, payload):
        return from_epoch_milliseconds(payload.get("webhookTimestamp"))

    def handle(self, delivery):
        pass


def signature(body: bytes, secret: str = PARTS_SECRET) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def now_in_milliseconds(offset_seconds: float = 0) -> int:
    return int((time.time() + offset_seconds) * 1000)


def encoded(payload) -> bytes:
    return json.dumps(payload).encode()


class WebhookSender:
    """Posts deliveries as a sender does: the raw body, signed, with headers."""

    def __init__(self, client):
        self.client = client

    def post(self, source: str, body: bytes, **headers):
        return self.client.post(
            f"/api/v1/webhooks/{source}/", body, content_type="application/json", headers=headers
        )

    def part(self, payload: dict, delivery: str | None = None, **headers):
        """A `parts` delivery, signed with its secret."""
        body = encoded(payload)
        headers.setdefault("X-Webhook-Signature", f"sha256={signature(body)}")
        if delivery is not None:
            headers["X-Webhook-Delivery"] = delivery
        return self.post("parts", body, **headers)

    def tracker(self, payload: dict, delivery: str = "b1f0c9d2-1111-4c3e-9a55-0d7e5c1c0001"):
        """A `tracker` delivery, as Linear sends one: hex signature, no prefix."""
        body = encoded(payload)
        return self.post(
            "tracker",
            body,
            **{
                "Tracker-Signature": signature(body, TRACKER_SECRET),
                "Tracker-Delivery": delivery,
                "Tracker-Event": "Issue",
            },
        )


def stored(source="parts", delivery_id="d-1", payload=PART, **fields) -> WebhookDelivery:
    """A delivery as the endpoint would have stored it, not yet processed."""
    return WebhookDelivery.objects.create(
        source=source, delivery_id=delivery_id, payload=payload, **fields
    )
