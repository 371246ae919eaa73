import uuid

from django.db import models
from django.utils import timezone

# The longest delivery id a source may send (longer is refused, 400).
DELIVERY_ID_MAX_LENGTH = 255
EVENT_MAX_LENGTH = 100


class WebhookDelivery(models.Model):
    """One delivery of an inbound webhook, kept as it came, with how its
    processing went (apps/core/integrations/). A source's delivery id is
    unique, and so is the digest of its raw body: a delivery sent again is
    recognised and never processed twice, even under another delivery id
    (the id's header is not signed, the body is)."""

    class Status(models.TextChoices):
        RECEIVED = "RECEIVED", "Received"
        PROCESSED = "PROCESSED", "Processed"
        FAILED = "FAILED", "Failed"

    source = models.CharField(max_length=50, help_text="The webhook source's name, as in its URL.")
    delivery_id = models.CharField(
        max_length=DELIVERY_ID_MAX_LENGTH,
        help_text="The source's id of the delivery (a header), else a hash of its body.",
    )
    body_sha256 = models.CharField(
        "body SHA-256",
        max_length=64,
        blank=True,
        help_text="The hex SHA-256 of the raw body as signed; empty on deliveries received "
        "before it was kept.",
    )
    event = models.CharField(max_length=EVENT_MAX_LENGTH, blank=True)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    attempts = models.PositiveIntegerField(default=0, help_text="Times processing was tried.")
    last_error = models.TextField(blank=True, help_text="The last failed attempt's error.")
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)
    request_id = models.UUIDField(
        default=uuid.uuid4,
        help_text="The id of the request that received it; its processing's audit entries "
        "carry it.",
    )

    class Meta:
        verbose_name_plural = "webhook deliveries"
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "delivery_id"], name="core_webhookdelivery_unique_delivery"
            ),
            models.UniqueConstraint(
                fields=["source", "body_sha256"],
                condition=~models.Q(body_sha256=""),
                name="core_webhookdelivery_unique_body",
            ),
        ]
        indexes = [
            # What is still to do (RECEIVED, FAILED), oldest first: the command's reads.
            models.Index(fields=["status", "received_at"], name="core_webhook_status_idx"),
        ]

    def __str__(self):
        return f"{self.source} {self.delivery_id}"
