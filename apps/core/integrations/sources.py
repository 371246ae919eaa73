"""Webhook sources: what the platform needs to know of a system that sends
webhooks, and the registry of them.

A source says where its deliveries come in (`name`: `/api/v1/webhooks/<name>/`),
how they are signed, where their id, event and sending time are, whose name
its changes are made under, and what a delivery does (`handle`). Everything
but `name` and `handle` has a default: an HMAC-SHA256 of the raw body with
the secret in WEBHOOK_SECRET, in hex (`sha256=` before it or not), in
`X-Webhook-Signature`; the delivery id in `X-Webhook-Delivery` (else a hash
of the body); the event in `X-Webhook-Event`; no replay window.
"""

import datetime
import hashlib
import hmac
import re
from abc import ABC, abstractmethod
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,49}$")
SIGNATURE_PREFIX = "sha256="


class WebhookSource(ABC):
    """A system that sends webhooks. Subclass it, set `name`, write `handle`,
    and override what the system does differently (docs/integrations.md)."""

    name: str = ""
    # The setting (read from the environment in suite/settings.py) holding
    # the shared secret; empty, the source's deliveries are refused.
    secret_setting = "WEBHOOK_SECRET"
    signature_header = "X-Webhook-Signature"
    # A header with the sender's unique id of each delivery; None, or absent
    # from a delivery: the SHA-256 of the body is its id.
    delivery_id_header: str | None = "X-Webhook-Delivery"
    event_header: str | None = "X-Webhook-Event"
    # Deliveries sent longer ago than this (by `sent_at`) are refused as
    # possible replays; None: no window (the source sends no time).
    replay_window: datetime.timedelta | None = None
    # The display name of the user the source's changes are made by (made on
    # first use, with no usable password).
    actor_name = "Webhooks"

    @property
    def actor_username(self) -> str:
        return f"webhooks-{self.name}"

    def secret(self) -> str:
        return getattr(settings, self.secret_setting, "") or ""

    def signature_is_valid(self, headers: Mapping[str, str], body: bytes) -> bool:
        """Whether the delivery is signed with the source's secret."""
        return hmac_sha256_matches(self.secret(), body, headers.get(self.signature_header, ""))

    def delivery_id(self, headers: Mapping[str, str], body: bytes) -> str:
        """The sender's id of the delivery, the same when it sends it again."""
        sent = headers.get(self.delivery_id_header, "").strip() if self.delivery_id_header else ""
        return sent or hashlib.sha256(body).hexdigest()

    def event(self, headers: Mapping[str, str], payload: dict) -> str:
        """What happened, as the sender names it (`Issue`)."""
        return headers.get(self.event_header, "").strip() if self.event_header else ""

    def sent_at(self, headers: Mapping[str, str], payload: dict) -> datetime.datetime | None:
        """When the sender sent the delivery (aware), for `replay_window`;
        None when it does not say, or not readably."""
        return None

    @abstractmethod
    def handle(self, delivery) -> None:
        """Do what the delivery (a `WebhookDelivery`: `payload`, `event`, …)
        asks. It runs in a transaction, as the source's user: every record it
        changes is audited under that user and the delivery's request id. An
        exception undoes its writes and marks the delivery FAILED, to be
        tried again."""


def hmac_sha256_matches(secret: str, body: bytes, signature: str) -> bool:
    """Whether `signature` is the hex HMAC-SHA256 of `body` with `secret`,
    with `sha256=` before it or not, compared in constant time."""
    if not secret or not signature:
        return False
    given = signature.strip().removeprefix(SIGNATURE_PREFIX).lower()
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace"))


def from_epoch_milliseconds(value) -> datetime.datetime | None:
    """A time sent as milliseconds since 1970 (`webhookTimestamp`), or None
    when `value` is not one."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return datetime.datetime.fromtimestamp(value / 1000, tz=datetime.UTC)
    except (OverflowError, OSError, ValueError):
        return None


_sources: dict[str, WebhookSource] = {}


def register_webhook_source(source_class: type[WebhookSource]) -> WebhookSource:
    """Receive the source's deliveries at `/api/v1/webhooks/<name>/`. Called
    from the registering app's `ready()`, which Django may run more than once
    (a test's own app registry): registering a class again keeps it; a name
    taken by another class is refused."""
    registered = _sources.get(source_class.name)
    if type(registered) is source_class:
        return registered
    if not NAME_PATTERN.match(source_class.name):
        raise ImproperlyConfigured(
            f"{source_class.__qualname__}.name is {source_class.name!r}; a webhook source's "
            "name is 1 to 50 lowercase letters, digits and hyphens, starting with a letter."
        )
    if registered is not None:
        raise ImproperlyConfigured(
            f"Webhook source {source_class.name!r} is registered by both "
            f"{type(registered).__qualname__} and {source_class.__qualname__}."
        )
    source = _sources[source_class.name] = source_class()
    return source


def unregister_webhook_source(name: str) -> None:
    _sources.pop(name, None)


def webhook_source(name: str) -> WebhookSource | None:
    return _sources.get(name)
