"""Reverting one audit entry of a record — putting back the values it changed,
as they were before it — and asking first what that would do.

The revert and its preview are one plan: the same entry, the same refusals
(the workflow's, then the old values' fitness now), the same values. The
preview writes nothing; it says, field by field, what the revert would
change and whether someone changed that field after the entry, since a
revert undoes such a later change too.
"""

import copy
import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.utils import dateformat

from apps.core import audit
from apps.core.api.permissions import link_refusal
from apps.core.exceptions import ConflictError, messages_by_field
from apps.core.models import AuditAction, AuditEntry, Entity
from apps.core.models.users import summaries_only
from apps.core.services import split_relations, update_entity
from apps.core.transitions import check_transition


@dataclass(frozen=True)
class FieldRevert:
    """One field a revert would change: its value now and the one put back,
    as the history shows values, and the newest entry after the reverted one
    that changed it too (None if none did)."""

    field: str
    current: object
    restored: object
    changed_later: AuditEntry | None


@transaction.atomic(savepoint=False)
def revert_entity(instance, audit_id: int, *, grants=None):
    """Put back the values one audit entry of this record changed, as they
    were before it, as a new audited update. Later changes to other fields
    stay; a later change to one of its fields is undone (`preview_revert`
    says which)."""
    entry, data = _planned_revert(instance, audit_id, grants=grants)
    with audit.reverting(entry):
        return update_entity(instance, data, grants=grants, comment=_revert_comment(entry))


def preview_revert(instance, audit_id: int, *, grants=None) -> list[FieldRevert]:
    """What `revert_entity` would change, in the model's field order, refused
    as it would be; nothing is written. Empty when the old values are the
    current ones."""
    entry, data = _planned_revert(instance, audit_id, grants=grants)
    changes = _changes(instance, data)
    later = _latest_changes_after(instance, entry, changes)
    order = {field.name: n for n, field in enumerate(type(instance)._meta.get_fields())}
    return [
        FieldRevert(name, change["old"], change["new"], later.get(name))
        for name, change in sorted(changes.items(), key=lambda item: order.get(item[0], -1))
    ]


def _planned_revert(instance, audit_id: int, *, grants) -> tuple[AuditEntry, dict]:
    """The entry to revert and the update body that reverts it, once the
    revert is known to be allowed. A status change is reverted only where
    the workflow allows the move back, for this caller, like any other
    update. An entry that names no field a revert can put back (a link to a
    Linear issue, a field since removed, one the API does not show) is a
    409: there is nothing to put back."""
    entry = AuditEntry.objects.filter(
        pk=audit_id,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=instance.pk,
        public_id=instance.public_id,
    ).first()
    if entry is None:
        raise ValidationError(
            {"audit_id": [f"No audit entry {audit_id} for {instance.public_id}."]}
        )
    if entry.action == AuditAction.CREATE:
        raise ConflictError(
            f"Audit entry {entry.pk} created {instance.public_id}: there is no earlier state "
            "to go back to. Archive the record instead.",
            code="nothing_to_revert",
        )
    data = values_before(type(instance), entry)
    if not data:
        raise ConflictError(
            f"Audit entry {entry.pk} cannot be reverted: it names no field of "
            f"{instance.public_id} ({', '.join(entry.changes)}) a revert can put back, only "
            "what is kept outside the record, such as its Linear issue, or fields the API "
            "does not show.",
            code="not_revertible",
        )
    _check_links(instance, data, grants=grants)
    _check_revertible(instance, data, entry, grants=grants, comment=_revert_comment(entry))
    return entry, data


def _revert_comment(entry) -> str:
    """The comment of a revert, in a reader's words: which change it undid, by
    when and whom ("Reverted the change of 6 Dec 2026, 14:03 UTC by Ada."),
    not the entry's id. In UTC, said so: the reader's zone is not known here;
    the entry's `reverted` carries the time for an app that knows it."""
    when = dateformat.format(entry.timestamp.astimezone(datetime.UTC), "j M Y, H:i")
    by = f" by {entry.actor_label}" if entry.actor_label else ""
    return f"Reverted the change of {when} UTC{by}."


def values_before(model, entry) -> dict:
    """An update body holding the values `entry` changed, as they were before
    it. Fields the model no longer has are left out, and so are those the
    API does not show (`audit.concealed`): their old values are not kept."""
    tracked = set(audit.tracked_fields(model))
    data = {}
    for name, change in audit.concealed(model, entry.changes).items():
        if audit.is_hidden(change):
            continue
        old = change["old"]
        if name == "tags":
            data["tag_names"] = old or []
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.many_to_many:
            data[name] = old or []
        elif field in tracked:
            data[field.attname] = None if old is None else field.to_python(old)
    return data


def _check_links(instance, data: dict, *, grants):
    """A revert links records as any write does: a link it puts back to
    another tool's records needs read on that tool (`link_refusal`), a 400
    naming the field, as PATCH answers it — and before the linked records are
    looked up, so the answer never tells which exist. Putting back no link,
    or the links there are now, needs nothing."""
    errors = {}
    for field in (*type(instance)._meta.concrete_fields, *type(instance)._meta.many_to_many):
        if field.attname not in data or not issubclass(field.related_model or object, Entity):
            continue
        refusal = link_refusal(grants, field.related_model, "link")
        if refusal and _links_anew(instance, field, data[field.attname]):
            errors[field.name] = [refusal]
    if errors:
        raise ValidationError(errors)


def _links_anew(instance, field, restored) -> bool:
    """Whether putting `restored` back in `field` names linked records: any
    but none, or those linked now."""
    if not restored:
        return False
    if field.many_to_many:
        return set(restored) != set(getattr(instance, field.name).values_list("pk", flat=True))
    return restored != getattr(instance, field.attname)


def _check_revertible(instance, data: dict, entry, *, grants, comment: str):
    """The workflow must allow the move back, for this caller (its refusal
    is the reason given, first); then the old values must still be valid
    now, with the record's rules (`clean()`) as they would be stored: unique
    values not taken since, linked records still there. Otherwise a 409
    naming each field. The record itself is left as it is."""
    model = type(instance)
    columns, _, many = split_relations(model, data)
    target = columns.pop("status", None)
    reverted = copy.copy(instance)
    for attname, value in columns.items():
        setattr(reverted, attname, value)
    if target is not None:
        check_transition(reverted, target, grants=grants, comment=comment)
        reverted.status = target
    checked = {f.attname for f in model._meta.concrete_fields} & columns.keys()
    errors = {}
    try:
        reverted.full_clean(
            exclude=[f.name for f in model._meta.concrete_fields if f.attname not in checked]
        )
    except ValidationError as exc:
        errors = messages_by_field(exc)
    for name, pks in many.items():
        related = model._meta.get_field(name).related_model
        missing = set(pks) - set(
            related._base_manager.filter(pk__in=pks).values_list("pk", flat=True)
        )
        if missing:
            errors[name] = [f"Linked records no longer exist: {sorted(missing)}."]
    if errors:
        raise ConflictError(
            f"Audit entry {entry.pk} cannot be reverted: {', '.join(errors)}.",
            code="revert_conflict",
            errors=errors,
        )


def _changes(instance, data: dict) -> dict:
    """`{field: {"old", "new"}}`: what an update with `data` would change, as
    its audit entry would record it (tags as names, links as ids)."""
    model = type(instance)
    columns, tags, many = split_relations(model, data)
    now = audit.snapshot(instance)
    changes = audit.diff(model, now, {**now, **columns})
    if tags is not None and not audit.same_list(instance.tag_names, tags):
        changes["tags"] = {"old": instance.tag_names, "new": tags}
    for name, pks in many.items():
        linked = sorted(getattr(instance, name).values_list("pk", flat=True))
        if not audit.same_list(linked, sorted(pks)):
            changes[name] = {"old": linked, "new": sorted(pks)}
    return changes


def _latest_changes_after(instance, entry, names) -> dict[str, AuditEntry]:
    """For each of `names` that an entry of the record after `entry` changed,
    the newest such entry (with its actor)."""
    if not names:
        return {}
    entries = (
        AuditEntry.objects.filter(
            content_type_id=entry.content_type_id,
            object_id=instance.pk,
            public_id=instance.public_id,
            pk__gt=entry.pk,
            changes__has_any_keys=list(names),
        )
        .select_related("actor")
        .defer(*summaries_only("actor"))
        .order_by("-id")
    )
    latest, wanted = {}, set(names)
    for later in entries:
        for name in wanted & later.changes.keys():
            latest[name] = later
        wanted -= later.changes.keys()
        if not wanted:
            break
    return latest
