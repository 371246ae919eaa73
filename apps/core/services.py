"""Writes to entities, in one place: what happens when a record is created,
updated, archived or restored, one at a time or many at once. Views and
serializers call these; the model's save() and the entity queryset's bulk
writes add ids, audit and history on every path."""

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


# --- Many records at once: all or nothing, audit entries sharing the request id ---


@transaction.atomic
def bulk_create_entities(model, items: list[dict]) -> list:
    """Create many records with a constant number of queries (ids, rows,
    tags, history and audit each written once for the lot). A tool's own
    many-to-many fields are the exception: they are set record by record."""
    records, related = [], []
    for data in items:
        columns, tags, many = _split_relations(model, data)
        record = model(**columns)
        if tags is not None:
            record.set_tags(tags)
        records.append(record)
        related.append(many)
    model.objects.bulk_create(records)
    _set_many_to_many(records, related)
    return records


@transaction.atomic
def bulk_update_entities(model, changes: list[tuple[object, dict]]) -> list:
    """Apply `(record, data)` changes to many records with a constant number
    of queries. The rows are locked and read again first, so a field an item
    does not name keeps the value it has now, not the one the caller read."""
    pks = [record.pk for record, _ in changes]
    locked = model.objects.select_for_update().filter(pk__in=pks).order_by("pk")
    current = {record.pk: record for record in locked}
    records, related, fields = [], [], set()
    for pk, (_, data) in zip(pks, changes, strict=True):
        columns, tags, many = _split_relations(model, data)
        record = current[pk]
        for name, value in columns.items():
            setattr(record, name, value)
        record.clean_name()
        fields.update(columns)
        if tags is not None:
            record.set_tags(tags)
        records.append(record)
        related.append(many)
    model.objects.bulk_update(records, sorted(fields))
    _set_many_to_many(records, related)
    return records


@transaction.atomic
def bulk_archive_entities(model, records) -> list:
    """Archive many records in one audited update; records already archived
    are left as they are."""
    model.objects.filter(pk__in=[record.pk for record in records]).update(
        status=model.workflow.archived
    )
    return records


def _set_many_to_many(records, related: list[dict]):
    for record, many in zip(records, related, strict=True):
        for name, values in many.items():
            getattr(record, name).set(values)
