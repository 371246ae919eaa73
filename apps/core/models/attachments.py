import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .base import StampField


def storage_name(attachment, filename: str) -> str:
    """Where the file is kept in the storage: a name of its own, never the
    uploader's (which could name another file, or tell a server what to run)."""
    return f"attachments/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file attached to a record of any tool (`apps.core.attachments`).

    The record is named as the audit trail names it, by its content type and
    id. The file lives in the storage `STORAGES["default"]` names (a folder
    on one server, or shared storage such as S3 for many), read only through
    the API, which checks the record's tool permission."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    object_id = models.BigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    file = models.FileField(upload_to=storage_name, max_length=255)
    name = models.CharField(max_length=255, help_text="The file's name, as a download gives it.")
    size = models.PositiveBigIntegerField(help_text="In bytes.")
    media_type = models.CharField(
        max_length=255, help_text="The content type a download is served as."
    )
    sha256 = models.CharField("SHA-256", max_length=64)
    # Indexed: a person's deletion finds their uploads by it.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = StampField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            # A record's attachments, in the order they came.
            models.Index(fields=["content_type", "object_id", "id"], name="core_attachment_record"),
        ]

    def __str__(self):
        return self.name
