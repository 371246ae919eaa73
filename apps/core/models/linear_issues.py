from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from apps.core.integrations.linear import ISSUE_ID_MAX_LENGTH, LinearIssue

from .base import StampField


class LinearIssueLink(models.Model):
    """A record of any tool tied to the Linear issue made for it: one issue
    per record, one record per issue. The issue's identifier, title, url and
    state are Linear's, kept here as its webhooks last described them
    (`apps.core.integrations.linear_links`).

    The record is named as the audit trail names it, by its content type and
    id; its audit entries tell when it was linked and how the issue moved."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    object_id = models.BigIntegerField()
    # The record itself, for reading (the admin's list prefetches it).
    record = GenericForeignKey("content_type", "object_id")
    linear_id = models.CharField("Linear id", max_length=ISSUE_ID_MAX_LENGTH)
    identifier = models.CharField(max_length=ISSUE_ID_MAX_LENGTH, help_text="ENG-42")
    # As long as Linear makes them: its words, not the suite's.
    title = models.TextField()
    url = models.TextField()
    state = models.TextField(help_text="The state's name in its team's workflow: Todo, Done, …")
    state_type = models.TextField(
        help_text="The kind of state: triage, backlog, unstarted, started, completed, canceled."
    )
    # When Linear last changed the issue, as of the newest event taken here
    # (whether or not it changed what the link keeps): an event describing
    # the issue as it was before is not applied.
    issue_updated_at = models.DateTimeField(null=True, blank=True)
    # Indexed: a person's deletion finds their links by it.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = StampField(auto_now_add=True)
    updated_at = StampField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            # Also finds a record's link: it leads with the record.
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="core_linearissuelink_record_unique"
            ),
            # Also finds the link a webhook's issue names.
            models.UniqueConstraint(fields=["linear_id"], name="core_linearissuelink_issue_unique"),
        ]

    def __str__(self):
        return f"{self.identifier} {self.title}"

    def take(self, issue: LinearIssue) -> dict:
        """Set what Linear says of the issue; `{field: {"old", "new"}}` of
        what that changed, `issue_updated_at` included. An issue described as
        it was before the newest description taken (an event delivered late)
        changes nothing. A newer one moves `issue_updated_at` even when
        nothing else changed (an edit of the description), or an older event
        delivered after it would be applied."""
        if issue.updated_at and self.issue_updated_at and issue.updated_at < self.issue_updated_at:
            return {}
        changes = {}
        for name in ("identifier", "title", "url", "state", "state_type"):
            old, new = getattr(self, name), getattr(issue, name)
            if old != new:
                changes[name] = {"old": old, "new": new}
                setattr(self, name, new)
        if issue.updated_at is not None and issue.updated_at != self.issue_updated_at:
            changes["issue_updated_at"] = {"old": self.issue_updated_at, "new": issue.updated_at}
            self.issue_updated_at = issue.updated_at
        return changes
