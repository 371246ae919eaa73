"""Writes to entities, in one place: what happens when a record is created,
updated, moved through its workflow, archived or restored, one at a time
or many at once (a revert, `apps.core.reverts`, ends in an update here).
Views and serializers call these; the model's save() and the entity
queryset's bulk writes add ids, audit and history on every path.

`grants` are the caller's permissions (the API passes the request's); None
means trusted code and skips only the admin-only check of a transition.

Each write is one transaction, or part of the caller's: inside one (every API
write runs in one) it sets no savepoint of its own — a failure fails the
caller's whole unit, which is what every caller here wants, and spares two
round trips per nested block.
"""

import copy
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from apps.core import audit
from apps.core.exceptions import BulkItemsError, ConflictError, messages_by_field
from apps.core.models.tags import MAX_TAGS_PER_RECORD
from apps.core.transitions import check_transition, check_unlocked


def split_relations(model, data: dict):
    """Separate many-to-many values (set after the row exists) from columns."""
    data = dict(data)
    tags = data.pop("tag_names", None)
    many = {
        f.name: data.pop(f.name)
        for f in model._meta.many_to_many
        if f.name != "tags" and f.name in data
    }
    return data, tags, many


@transaction.atomic(savepoint=False)
def create_entity(model, data: dict, *, grants=None):
    """A new record starts in its workflow's initial status, or in a status
    one transition leads to from there (checked like that transition); never
    archived."""
    columns, tags, many = split_relations(model, data)
    instance = model(**columns)
    _check_initial_status(instance, grants=grants)
    if tags is not None:
        instance.set_tags(tags)
    instance.save()
    for name, values in many.items():
        getattr(instance, name).set(values)
    return instance


@transaction.atomic(savepoint=False)
def update_entity(instance, data: dict, *, grants=None, comment: str = ""):
    """Change a record's fields; a change of `status` must be a transition
    its workflow allows (see apps.core.transitions). One audit entry."""
    columns, tags, many = split_relations(type(instance), data)
    _apply_columns(instance, columns, many, grants=grants, comment=comment)
    if tags is not None:
        instance.set_tags(tags)
    with audit.commenting(comment):
        instance.save()
        for name, values in many.items():
            getattr(instance, name).set(values)
    return instance


def _check_initial_status(instance, *, grants):
    workflow = type(instance).workflow
    if instance.status == workflow.archived:
        raise ValidationError(
            {"status": ["A record cannot be created archived: create it, then archive it."]}
        )
    check_transition(instance, instance.status, grants=grants, source=workflow.initial)


def _apply_columns(instance, columns: dict, many: dict, *, grants, comment: str = ""):
    """Set a change's columns on the record; a record in a locked status
    keeps its fields (its columns and the links in `many`) for all but
    admins; a change of `status` must be a transition its workflow allows
    (checked with the other changes applied, and the change's comment for
    the guard)."""
    target = columns.get("status", instance.status)
    for name, value in columns.items():
        if name != "status":
            setattr(instance, name, value)
    check_unlocked(instance, many, grants=grants)
    check_transition(instance, target, grants=grants, comment=comment)
    instance.status = target


def transition_entity(instance, target: str, *, comment: str = "", grants=None):
    """Move a record to the `target` status. The audit entry records the
    status change (from, to) and the comment. Moving to the current status
    changes nothing."""
    return update_entity(instance, {"status": target}, grants=grants, comment=comment)


def archive_entity(instance, *, grants=None):
    """Archive a record (the API's DELETE): the transition to the workflow's
    archived status. Archiving an archived record changes nothing."""
    return transition_entity(instance, instance.workflow.archived, grants=grants)


def restore_entity(instance, *, grants=None):
    """Bring an archived record back: the transition to `restore_to`."""
    workflow = instance.workflow
    if instance.status != workflow.archived:
        raise ConflictError(f"{instance.public_id} is not archived.", code="not_archived")
    return transition_entity(instance, workflow.restore_to, grants=grants)


# --- Many records at once: all or nothing, one audit entry per changed record ----------
#
# The same rules as one record at a time (the workflow's, for the caller),
# checked for every item before anything is written; items they refuse are
# reported together, by position (BulkItemsError). A tool's own many-to-many
# fields are set record by record; everything else costs a constant number
# of queries, however many items.


@transaction.atomic(savepoint=False)
def bulk_create_entities(model, items: list[dict], *, grants=None) -> list:
    records, related = [], []
    with _item_errors(len(items)) as refuse:
        for index, data in enumerate(items):
            columns, tags, many = split_relations(model, data)
            record = model(**columns)
            with refuse(index):
                _check_initial_status(record, grants=grants)
                record.check_rules()
            if tags is not None:
                record.set_tags(tags)
            records.append(record)
            related.append(many)
    model.objects.bulk_create(records)
    _set_many_to_many(records, related)
    return records


@transaction.atomic(savepoint=False)
def bulk_update_entities(model, changes: list[tuple[object, dict]], *, grants=None) -> list:
    """Apply `(record, data)` changes. The rows are locked and read again
    first: the workflow sees each record's current status, and a field an
    item does not name keeps the value it has now, not the one the caller read.
    `data` may hold `add_tags` and `remove_tags` (names), applied to the tags
    the record has now (see `bulk_tag_entities`), written with its fields,
    and a `comment`, given to the guard and kept on the record's audit entry
    as `transition_entity` keeps its own."""
    pks = [record.pk for record, _ in changes]
    retagging = any(name in data for _, data in changes for name in ("add_tags", "remove_tags"))
    current = _locked(model, pks, with_tags=retagging)
    records, fields = [], set()
    by_comment: dict[str, tuple[list, list]] = {}
    with _item_errors(len(changes)) as refuse:
        for index, (pk, (_, data)) in enumerate(zip(pks, changes, strict=True)):
            data = dict(data)
            add, remove = data.pop("add_tags", ()), data.pop("remove_tags", ())
            comment = data.pop("comment", "")
            columns, tags, many = split_relations(model, data)
            record = current[pk]
            fields.update(columns)
            with refuse(index):
                _apply_columns(record, columns, many, grants=grants, comment=comment)
                record.check_rules()
            if tags is not None:
                record.set_tags(tags)
            if add or remove:
                with refuse(index):
                    _change_tags(record, add=add, remove=remove)
            records.append(record)
            group = by_comment.setdefault(comment, ([], []))
            group[0].append(record)
            group[1].append(many)
    # One audited write for the records sharing a comment (usually all of them).
    for comment, (group, related) in by_comment.items():
        with audit.commenting(comment):
            model.objects.bulk_update(group, sorted(fields))
            _set_many_to_many(group, related)
    return records


def bulk_archive_entities(model, records, *, grants=None) -> list:
    """Archive many records in one audited update: for each, the transition
    to the archived status. Records already archived stay as they are."""
    return _bulk_transition(model, records, model.workflow.archived, grants=grants)


def bulk_restore_entities(model, records, *, grants=None) -> list:
    """Bring many archived records back in one audited update: for each, the
    transition to `restore_to`. Records that are not archived stay as they are."""
    workflow = model.workflow
    return _bulk_transition(
        model, records, workflow.restore_to, grants=grants, only_from=workflow.archived
    )


@transaction.atomic(savepoint=False)
def bulk_tag_entities(model, records, *, add=(), remove=()) -> list:
    """Add tags to and remove tags from many records, all or none, each
    keeping its other tags; the records whose tags change are written in one
    audited update (a record may hold at most MAX_TAGS_PER_RECORD). Archived
    records are tagged like any other, as a PATCH would. Returns the records
    changed, in the order given; the others are not written.

    `records` are read through `locked_records(model, with_tags=True)` in
    the caller's transaction (the API finds the ids it is sent there): their
    rows locked and their tags as they are, not read a second time."""
    changed = []
    with _item_errors(len(records)) as refuse:
        for index, record in enumerate(records):
            with refuse(index):
                if _change_tags(record, add=add, remove=remove):
                    changed.append(record)
    model.objects.bulk_update(changed, [])
    return changed


def locked_records(model, *, with_tags=False):
    """`model`'s records, read with their rows locked (in the order of their
    pks, so that two bulk writes never deadlock), with their tags when asked."""
    rows = model.objects.select_for_update()
    if with_tags:
        rows = rows.with_tag_names()
    return rows.order_by("pk")


def _locked(model, pks, *, with_tags=False) -> dict:
    """The records `pks` names, by pk, read again with their rows locked."""
    rows = locked_records(model, with_tags=with_tags).filter(pk__in=pks)
    return {record.pk: record for record in rows}


def _change_tags(record, *, add, remove) -> bool:
    """Add and remove tags on a record read with its tags, on its next write,
    keeping its other tags: whether they change. A record may hold at most
    MAX_TAGS_PER_RECORD tags."""
    before = record.tag_names
    record.change_tags(add=add, remove=remove)
    if audit.same_list(before, record.tag_names):
        return False
    count = len(record.tag_names)
    if count > MAX_TAGS_PER_RECORD:
        raise ValidationError(
            {
                "tags": [
                    f"A record holds at most {MAX_TAGS_PER_RECORD} tags; this would make {count}."
                ]
            }
        )
    return True


@transaction.atomic(savepoint=False)
def _bulk_transition(model, records, target: str, *, grants, only_from: str | None = None):
    """Move `records` (those in status `only_from`, when given) to `target`,
    all or none: the rows are locked and read again, each move is checked
    against the workflow, and one update writes them. Returns the records
    as they were read, before the move."""
    pks = [record.pk for record in records]
    current = _locked(model, pks)
    moving = {pk for pk in pks if only_from is None or current[pk].status == only_from}
    with _item_errors(len(pks)) as refuse:
        for index, pk in enumerate(pks):
            if pk in moving:
                with refuse(index):
                    check_transition(current[pk], target, grants=grants)
                    moved = copy.copy(current[pk])
                    moved.status = target
                    moved.check_rules()
    model.objects.filter(pk__in=moving).update(status=target)
    return [current[pk] for pk in pks]


def _set_many_to_many(records, related: list[dict]):
    for record, many in zip(records, related, strict=True):
        for name, values in many.items():
            getattr(record, name).set(values)


@contextmanager
def _item_errors(total: int):
    """Collect the refusals of a bulk write's items, by position, and raise
    them together when the block ends (an item refused twice, its messages
    together):

        with _item_errors(len(items)) as refuse:
            for index, item in enumerate(items):
                with refuse(index):
                    check(item)
    """
    errors: dict[int, dict] = {}

    @contextmanager
    def refuse(index: int):
        try:
            yield
        except (ValidationError, ConflictError, PermissionDenied) as exc:
            errors.setdefault(index, {}).update(_field_messages(exc))

    yield refuse
    if errors:
        raise BulkItemsError(errors, total)


def _field_messages(exc) -> dict[str, list[str]]:
    """An item's refusal as `{field: [messages]}`; the workflow's are
    `status`'s, but for a guard's veto naming its fields."""
    if isinstance(exc, ValidationError):
        return messages_by_field(exc)
    if getattr(exc, "extra", {}).get("errors"):
        return exc.extra["errors"]
    return {"status": [getattr(exc, "message", None) or str(exc)]}
