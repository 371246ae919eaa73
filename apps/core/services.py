"""Writes to entities, in one place: what happens when a record is created,
updated, moved through its workflow, archived, restored or reverted. Views
and serializers call these; the model's save() adds ids, audit and history on
every path.

`grants` are the caller's permissions (the API passes the request's); None
means trusted code and skips only the admin-only check of a transition.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction

from apps.core import audit
from apps.core.exceptions import ConflictError
from apps.core.models import AuditAction, AuditEntry
from apps.core.transitions import check_transition


def _split_relations(model, data: dict):
    """Separate many-to-many values (set after the row exists) from columns."""
    data = dict(data)
    tags = data.pop("tag_names", None)
    many = {
        f.name: data.pop(f.name)
        for f in model._meta.many_to_many
        if f.name != "tags" and f.name in data
    }
    return data, tags, many


@transaction.atomic
def create_entity(model, data: dict, *, grants=None):
    """A new record starts in its workflow's initial status, or in a status
    one transition leads to from there (checked like that transition); never
    archived."""
    columns, tags, many = _split_relations(model, data)
    instance = model(**columns)
    workflow = model.workflow
    if instance.status == workflow.archived:
        raise ValidationError(
            {"status": ["A record cannot be created archived: create it, then archive it."]}
        )
    check_transition(instance, instance.status, grants=grants, source=workflow.initial)
    if tags is not None:
        instance.set_tags(tags)
    instance.save()
    for name, values in many.items():
        getattr(instance, name).set(values)
    return instance


@transaction.atomic
def update_entity(instance, data: dict, *, grants=None, comment: str = ""):
    """Change a record's fields; a change of `status` must be a transition
    its workflow allows (see apps.core.transitions). One audit entry."""
    columns, tags, many = _split_relations(type(instance), data)
    target = columns.pop("status", instance.status)
    for name, value in columns.items():
        setattr(instance, name, value)
    check_transition(instance, target, grants=grants)
    instance.status = target
    if tags is not None:
        instance.set_tags(tags)
    with audit.commenting(comment):
        instance.save()
        for name, values in many.items():
            getattr(instance, name).set(values)
    return instance


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


@transaction.atomic
def revert_entity(instance, audit_id: int, *, grants=None):
    """Put back the values one audit entry of this record changed, as they
    were before it, as a new audited update. Later changes to other fields
    stay. A status change is reverted only where the workflow allows the
    move back, for this caller, like any other update."""
    entry = AuditEntry.objects.filter(
        pk=audit_id,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=instance.pk,
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
    _check_revertible(instance, data, entry)
    return update_entity(instance, data, grants=grants, comment=f"Reverted audit entry {entry.pk}.")


def values_before(model, entry) -> dict:
    """An update body holding the values `entry` changed, as they were before
    it. Fields the model no longer has are left out."""
    tracked = set(audit.tracked_fields(model))
    data = {}
    for name, change in entry.changes.items():
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


def _check_revertible(instance, data: dict, entry):
    """The old values must still be valid now: unique values not taken since,
    linked records still there. Otherwise a 409 naming each field."""
    model = type(instance)
    columns, _, many = _split_relations(model, data)
    columns.pop("status", None)  # the workflow rules it, in update_entity
    for attname, value in columns.items():
        setattr(instance, attname, value)
    checked = {f.attname for f in model._meta.concrete_fields} & columns.keys()
    errors = {}
    try:
        instance.full_clean(
            exclude=[f.name for f in model._meta.concrete_fields if f.attname not in checked]
        )
    except ValidationError as exc:
        errors = {
            "non_field_errors" if name == "__all__" else name: messages
            for name, messages in exc.message_dict.items()
        }
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
