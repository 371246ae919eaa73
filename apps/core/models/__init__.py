from .attachments import Attachment
from .audit import AuditAction, AuditEntry
from .base import TimestampedModel
from .entity import Entity, StatusField
from .ids import IdCounter, format_public_id
from .linear_issues import LinearIssueLink
from .queryset import EntityQuerySet
from .saved_views import SavedView
from .tags import Tag
from .users import User
from .webhooks import WebhookDelivery

__all__ = [
    "Attachment",
    "AuditAction",
    "AuditEntry",
    "Entity",
    "EntityQuerySet",
    "IdCounter",
    "LinearIssueLink",
    "SavedView",
    "StatusField",
    "Tag",
    "TimestampedModel",
    "User",
    "WebhookDelivery",
    "format_public_id",
]
