"""Audit for the entity write paths that bypass Entity.save(): many-to-many
changes made directly through a related manager (tags included), and deletes
(a deleted record's Linear issue link and attachments going with it)."""

from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from apps.core import attachments, audit
from apps.core.context import current_actor
from apps.core.integrations import linear_links
from apps.core.models import AuditAction, Entity


def _many_to_many_field(instance, through):
    return next(
        (f for f in type(instance)._meta.many_to_many if f.remote_field.through is through), None
    )


def _related_values(instance, field) -> list:
    if field.name == "tags":
        return sorted(instance.tags.values_list("name", flat=True), key=str.lower)
    return sorted(getattr(instance, field.name).values_list("pk", flat=True))


@receiver(m2m_changed)
def audit_many_to_many_change(sender, instance, action, reverse, **kwargs):
    if reverse or not isinstance(instance, Entity):
        return
    field = _many_to_many_field(instance, sender)
    if field is None:
        return
    stash = f"_{field.name}_before_change"
    if action.startswith("pre_"):
        setattr(instance, stash, _related_values(instance, field))
        return
    before = instance.__dict__.pop(stash, None)
    if field.name == "tags":
        instance.forget_stored_tags()
    after = _related_values(instance, field)
    if before is None or audit.same_list(before, after):
        return
    entry = audit.record(instance, {field.name: {"old": before, "new": after}})
    if entry is not None and entry.action == AuditAction.CREATE:
        # Links set by the write that created the record (`create_entity`,
        # the bulk create) are part of its creation: no new version or time.
        return
    now, actor = timezone.now(), current_actor()
    type(instance)._base_manager.filter(pk=instance.pk).update(
        version=F("version") + 1, updated_at=now, updated_by=actor
    )
    # The instance shows the row as it now is: its ETag, time and author.
    instance.version += 1
    instance.updated_at = now
    instance.updated_by = actor


@receiver(pre_delete)
def unlink_deleted(sender, instance, **kwargs):
    if isinstance(instance, Entity):
        instance.__dict__[_LET_GO] = {
            **linear_links.let_go_of_deleted(instance),
            **attachments.let_go_of_deleted(instance),
        }


@receiver(post_delete)
def audit_delete(sender, instance, **kwargs):
    """One entry: the record's last values, and the link and files it let go of."""
    if isinstance(instance, Entity):
        changes = {**audit.deletion_changes(instance), **instance.__dict__.pop(_LET_GO, {})}
        audit.record(instance, changes, deleted=True)


# What a record being deleted let go of (`unlink_deleted`), for its deletion's entry.
_LET_GO = "_let_go_on_delete"
