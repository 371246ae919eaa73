"""Writes to entities, in one place: what happens when a record is created,
updated, archived or restored. Views and serializers call these; the model's
save() adds ids, audit and history on every path."""

from django.db import transaction

from apps.core.exceptions import ConflictError


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
def create_entity(model, data: dict):
    columns, tags, many = _split_relations(model, data)
    instance = model(**columns)
    if tags is not None:
        instance.set_tags(tags)
    instance.save()
    for name, values in many.items():
        getattr(instance, name).set(values)
    return instance


@transaction.atomic
def update_entity(instance, data: dict):
    columns, tags, many = _split_relations(type(instance), data)
    for name, value in columns.items():
        setattr(instance, name, value)
    if tags is not None:
        instance.set_tags(tags)
    instance.save()
    for name, values in many.items():
        getattr(instance, name).set(values)
    return instance


@transaction.atomic
def archive_entity(instance):
    """Archive a record (the API's DELETE). Archiving an archived record
    changes nothing."""
    instance.status = instance.workflow.archived
    instance.save()
    return instance


@transaction.atomic
def restore_entity(instance):
    workflow = instance.workflow
    if instance.status != workflow.archived:
        raise ConflictError(f"{instance.public_id} is not archived.", code="not_archived")
    instance.status = workflow.restore_to
    instance.save()
    return instance
