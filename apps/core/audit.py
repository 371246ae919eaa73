"""The audit trail: what changed, who changed it, under which request.

Every write path of an entity ends here: `Entity.save()`, the entity
queryset's `update` / `bulk_update` / `bulk_create`, many-to-many changes and
deletes. The rule is one entry per record per unit of change — the request
(or `acting_as` block), or the transaction for code outside one. When a
record changes again in the same unit (fields, then tags in an admin form;
the remove-then-add of `tags.set()`), its entry is merged, and an entry whose
changes cancel out is removed. Entries are written in the transaction of the
change, so they commit or roll back with it.
"""

import datetime
import decimal
import uuid
from collections.abc import Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from apps.core.context import current_actor, current_change_scope, current_request_id
from apps.core.models.audit import AuditAction, AuditEntry

# Why the changes inside a `commenting()` block are made (a transition's
# comment, a revert's "Reverted the change of …"), stored on their entries.
_comment: ContextVar[str] = ContextVar("audit_comment", default="")


# The audit entry a revert undoes, inside a `reverting()` block.
_reverted: ContextVar[dict | None] = ContextVar("audit_reverted", default=None)


@contextmanager
def reverting(entry: AuditEntry):
    """Mark the entries written inside the block as the revert of `entry`:
    its id, time and actor's name, which the comment says in words."""
    token = _reverted.set(
        {"id": entry.pk, "timestamp": entry.timestamp.isoformat(), "actor_label": entry.actor_label}
    )
    try:
        yield
    finally:
        _reverted.reset(token)


@contextmanager
def commenting(text: str):
    """Store `text` as the comment of the entries written inside the block
    (an empty text keeps the comment of an enclosing block)."""
    token = _comment.set(text or _comment.get())
    try:
        yield
    finally:
        _comment.reset(token)


@cache
def tracked_fields(model) -> tuple[models.Field, ...]:
    """What a user changes: not the id, the entity's bookkeeping, or a
    column the database computes from the others (`search_text`)."""
    return tuple(
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key or f.generated or f.name in model.BOOKKEEPING_FIELDS)
    )


# What an entry keeps of a change to a field the API does not show (a tool's
# serializer leaves it out, an `api_key` say): that it changed, not its values.
HIDDEN_CHANGE = {"old": None, "new": None, "hidden": True}


def is_hidden(change: dict) -> bool:
    return bool(change.get("hidden"))


def concealed(model, changes: dict) -> dict:
    """`changes` with each field the API does not show of `model`'s records
    (`registry.shown_fields`) as `HIDDEN_CHANGE`: the entry says it changed,
    and its values are never copied into the audit table, nor shown by a
    record's history or the activity feed. Other keys (a Linear issue's
    link) are kept."""
    from apps.core.api.registry import shown_fields

    shown = shown_fields(model)
    if all(name in shown for name in changes):
        return changes
    recorded = {f.name for f in (*tracked_fields(model), *model._meta.many_to_many)}
    return {
        name: dict(HIDDEN_CHANGE) if name in recorded and name not in shown else change
        for name, change in changes.items()
    }


def to_json(value):
    """A field value as it is stored in `changes`."""
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    return value


def same_value(field: models.Field, old, new) -> bool:
    """Compare as the field understands values, so "1.50" equals Decimal("1.5")."""
    if old == new:
        return True
    try:
        return field.to_python(old) == field.to_python(new)
    except Exception:
        return False


def same_list(old: list, new: list) -> bool:
    """Compare lists of related values; tag names compare case-insensitively."""

    def fold(value):
        return value.lower() if isinstance(value, str) else value

    return [fold(v) for v in old] == [fold(v) for v in new]


def snapshot(instance) -> dict:
    """The tracked field values of an instance, keyed by attname; a field
    not loaded (deferred) is left out, not read."""
    return snapshot_of(type(instance), instance.__dict__)


def snapshot_of(model, values: Mapping) -> dict:
    """The tracked field values of `model` among `values` (by attname)."""
    return {name: values[name] for name in _tracked_attnames(model) if name in values}


@cache
def _tracked_attnames(model) -> tuple[str, ...]:
    return tuple(f.attname for f in tracked_fields(model))


def diff(model, old: dict, new: dict) -> dict:
    """`{"field": {"old": x, "new": y}}` for the tracked fields that differ."""
    changes = {}
    for field in tracked_fields(model):
        if field.attname not in old or field.attname not in new:
            continue
        before, after = old[field.attname], new[field.attname]
        if not same_value(field, before, after):
            changes[field.name] = {"old": to_json(before), "new": to_json(after)}
    return changes


def _filled_values(instance):
    for field in tracked_fields(type(instance)):
        value = getattr(instance, field.attname)
        if value not in (None, "", [], {}):
            yield field.name, to_json(value)


def creation_changes(instance) -> dict:
    """The initial values of a new record, leaving out empty ones."""
    return {name: {"old": None, "new": value} for name, value in _filled_values(instance)}


def deletion_changes(instance) -> dict:
    """The last values of a deleted record, leaving out empty ones."""
    return {name: {"old": value, "new": None} for name, value in _filled_values(instance)}


def derive_action(model, changes: dict, *, created=False, deleted=False) -> str:
    """CREATE / DELETE by the write itself; ARCHIVE and RESTORE by the status
    moving into or out of the workflow's archived status; otherwise UPDATE."""
    if created:
        return AuditAction.CREATE
    if deleted:
        return AuditAction.DELETE
    status = changes.get("status")
    archived = model.workflow.archived
    if status and status["new"] == archived:
        return AuditAction.ARCHIVE
    if status and status["old"] == archived:
        return AuditAction.RESTORE
    return AuditAction.UPDATE


def record(
    instance, changes: dict, *, created=False, deleted=False, comment=""
) -> AuditEntry | None:
    """Write (or merge into this transaction's) audit entry for one change."""
    return record_many(
        type(instance), [(instance, changes)], created=created, deleted=deleted, comment=comment
    )[0]


def record_many(model, items, *, created=False, deleted=False, comment="") -> list:
    """Audit many changes of one model with one INSERT; `items` is a list of
    `(instance, changes)`. Returns the entries (None where nothing changed)."""
    if not transaction.get_connection().in_atomic_block:
        with transaction.atomic():
            return record_many(model, items, created=created, deleted=deleted, comment=comment)
    content_type = ContentType.objects.get_for_model(model)
    comment = comment or _comment.get()
    pending = _pending_entries()
    actor = current_actor()
    common = {
        "content_type": content_type,
        "actor": actor,
        "actor_label": _actor_label(actor),
        "request_id": current_request_id(),
        "timestamp": timezone.now(),
        "comment": comment,
        "reverted": _reverted.get(),
    }
    results, new_entries = [], []
    for instance, changes in items:
        changes = concealed(model, changes)
        # The public id too: a record given an earlier one's id is another record.
        key = (content_type.pk, instance.pk, getattr(instance, "public_id", ""))
        if key in pending:
            results.append(
                _merge(
                    pending, key, instance, changes, created=created, deleted=deleted, common=common
                )
            )
            continue
        if not changes and not (created or deleted):
            results.append(None)
            continue
        entry = AuditEntry(
            object_id=instance.pk,
            public_id=getattr(instance, "public_id", "") or "",
            object_label=str(instance)[:255],
            action=derive_action(model, changes, created=created, deleted=deleted),
            changes=changes,
            **common,
        )
        new_entries.append((key, entry))
        results.append(entry)
    AuditEntry.objects.bulk_create([entry for _, entry in new_entries])
    for key, entry in new_entries:
        pending[key] = entry.pk
    return results


def _merge(pending, key, instance, changes, *, created, deleted, common) -> AuditEntry | None:
    """Fold a further change of a record into its entry of this transaction."""
    entry = AuditEntry.objects.select_for_update().filter(pk=pending[key]).first()
    if entry is None:  # rolled back since: start a new entry
        del pending[key]
        return record(
            instance, changes, created=created, deleted=deleted, comment=common["comment"]
        )
    model = type(instance)
    if deleted and entry.action == AuditAction.CREATE:
        # Made and deleted in one unit: no change anyone else could see.
        entry.delete()
        del pending[key]
        return None
    created = created or entry.action == AuditAction.CREATE
    merged = dict(entry.changes)
    for name, change in changes.items():
        if is_hidden(change):  # no values to compare: it changed
            merged[name] = change
            continue
        old = merged[name]["old"] if name in merged else change["old"]
        merged[name] = {"old": old, "new": change["new"]}
        if not created and merged[name]["old"] == merged[name]["new"]:
            del merged[name]
    if not merged and not (created or deleted):
        entry.delete()
        del pending[key]
        return None
    entry.changes = merged
    entry.action = derive_action(model, merged, created=created, deleted=deleted)
    entry.object_label = str(instance)[:255]
    entry.comment = common["comment"] or entry.comment
    entry.reverted = common["reverted"] or entry.reverted
    entry.save(update_fields=["changes", "action", "object_label", "comment", "reverted"])
    return entry


class _TransactionEntries:
    """The entries written in one transaction outside any request."""

    def __init__(self):
        self.entries: dict[tuple[int, int, str], int] = {}

        def forget():
            connection = transaction.get_connection()
            if getattr(connection, "_audit_entries", None) is self:
                connection._audit_entries = None

        self.forget = forget


def _pending_entries() -> dict[tuple[int, int, str], int]:
    """The entries already written in the current unit of change, by
    `(content type, object id, public id)`. Outside a request the unit is the
    transaction: its state is tied to an on-commit hook, which Django drops
    on rollback and runs on commit, so a missing hook means the state belongs
    to a transaction that has ended."""
    scope = current_change_scope()
    if scope is not None:
        return scope
    connection = transaction.get_connection()
    state = getattr(connection, "_audit_entries", None)
    if state is None or not any(hook[1] is state.forget for hook in connection.run_on_commit):
        state = _TransactionEntries()
        connection._audit_entries = state
        transaction.on_commit(state.forget)
    return state.entries


def _actor_label(actor) -> str:
    if actor is None:
        return ""
    label = getattr(actor, "display_name", None) or actor.get_username()
    return str(label)[:255]
