from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class AuditAction(models.TextChoices):
    CREATE = "CREATE", "Created"
    UPDATE = "UPDATE", "Updated"
    ARCHIVE = "ARCHIVE", "Archived"
    RESTORE = "RESTORE", "Restored"
    DELETE = "DELETE", "Deleted"


class AuditEntry(models.Model):
    """One real change to one record, for every tool of the suite.

    Written by `apps.core.audit` in the transaction of the change. `changes`
    holds only the fields that changed: `{"field": {"old": x, "new": y}}`.
    The object's id, public id and label are copied so an entry outlives the
    record it describes.
    """

    # Neither foreign key has an index of its own: the indexes below lead
    # with each, and serve its lookups.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    object_id = models.BigIntegerField()
    public_id = models.CharField(max_length=32, blank=True)
    object_label = models.CharField(max_length=255, blank=True)
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
        db_index=False,
    )
    actor_label = models.CharField(max_length=255, blank=True)
    request_id = models.UUIDField(null=True, blank=True, db_index=True)
    timestamp = models.DateTimeField()
    changes = models.JSONField(default=dict)
    comment = models.TextField(blank=True)
    # The entry a revert undid, copied as the comment quotes it (`reverts.py`):
    # `{"id", "timestamp", "actor_label"}`, so a reader's app can say its time
    # in the reader's zone; null for any other change.
    reverted = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "audit entries"
        ordering = ["-id"]
        indexes = [
            # The history of one object, newest first.
            models.Index(fields=["content_type", "object_id", "-id"], name="core_audit_object_idx"),
            # The activity feed, newest first by (timestamp, id): all of it and
            # date ranges of it, of one entity type, of one action of one
            # entity type, of one actor in one entity type, of one actor's
            # action in one entity type — each read in order from one index.
            models.Index(fields=["-timestamp", "-id"], name="core_audit_time_idx"),
            models.Index(
                fields=["content_type", "-timestamp", "-id"], name="core_audit_type_time_idx"
            ),
            models.Index(
                fields=["content_type", "action", "-timestamp", "-id"],
                name="core_audit_type_action_idx",
            ),
            models.Index(
                fields=["actor", "content_type", "-timestamp", "-id"],
                name="core_audit_actor_type_idx",
            ),
            models.Index(
                fields=["actor", "content_type", "action", "-timestamp", "-id"],
                name="core_audit_actor_action_idx",
            ),
        ]

    def __str__(self):
        return f"{self.action} {self.public_id or self.object_id} by {self.actor_label or 'system'}"
