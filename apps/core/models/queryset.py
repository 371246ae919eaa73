"""`EntityQuerySet`, every entity's queryset: its records with their tag
names, its search, and the set-based writes (bulk create, update, bulk
update) that keep the audit contract: ids, actor, version, archived_at,
history and one audit entry per changed row."""

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections, models, transaction
from django.db.models import Case, F, OuterRef, Q, Value, When
from django.utils import timezone

from apps.core import audit
from apps.core.context import current_actor

from .ids import IdCounter, format_public_id
from .row_updates import changed_rows
from .search import public_id_search, search_term

# The attribute `EntityQuerySet.with_tag_names()` reads the tag names into.
STORED_TAG_NAMES = "stored_tag_names"


class EntityQuerySet(models.QuerySet):
    """Bulk writes that keep the audit contract: ids, actor, version,
    archived_at, history and one audit entry per changed row."""

    def active(self):
        return self.exclude(status=self.model.workflow.archived)

    def with_tag_names(self):
        """Each record's tag names read with the record. On PostgreSQL they
        come as an array in the same query (`stored_tag_names`), not as a
        second query and a Tag object per tag; elsewhere by prefetching."""
        if connections[self.db].vendor != "postgresql":
            return self.prefetch_related("tags")
        through, column = self.model.tags_link()
        names = through.objects.filter(**{column: OuterRef("pk")}).values("tag__name")
        return self.annotate(**{STORED_TAG_NAMES: ArraySubquery(names)})

    def search(self, text: str):
        """Records whose public id, name or description contain `text`, in
        any case; on PostgreSQL answered from the search column's index,
        which a text holding a public id is looked up in without its prefix
        (`public_id_search`)."""
        term = search_term(text)
        if connections[self.db].vendor != "postgresql" or not self.model.id_prefix:
            return self.filter(search_text__contains=term)
        return self.filter(*public_id_search(term, self.model.id_prefix))

    def bulk_create(self, objs, *args, **kwargs):
        if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
            raise TypeError("Entity bulk_create cannot audit rows skipped or merged on conflict.")
        objs = list(objs)
        if not objs:
            return objs
        model = self.model
        with transaction.atomic(savepoint=False):
            numbers = IdCounter.objects.allocate(model.id_prefix, len(objs))
            actor = current_actor()
            for obj, number in zip(objs, numbers, strict=True):
                obj.check_rules()
                obj.prepare_for_insert(format_public_id(model.id_prefix, number), actor)
            created = super().bulk_create(objs, *args, **kwargs)
            changes = [obj.creation_changes() for obj in created]
            for obj_changes, tag_names in zip(
                changes, model.write_tags_in_bulk(created, created=True), strict=True
            ):
                if tag_names:
                    obj_changes["tags"] = {"old": [], "new": tag_names}
            model.history.bulk_history_create(created, default_user=actor)
            audit.record_many(model, list(zip(created, changes, strict=True)), created=True)
            for obj in created:
                obj.remember_stored_state()
        return created

    # The writes below call Django's plain QuerySet methods: its bulk_update
    # is built on update(), which must not be audited a second time.

    def update(self, **values):
        def assigned(pks):
            fields = [self.model._meta.get_field(name) for name in values]
            row = tuple(values.values())
            return fields, dict.fromkeys(pks, row)

        return self._audited(lambda rows: models.QuerySet.update(rows, **values), assigned=assigned)

    def bulk_update(self, objs, fields, batch_size=None):
        """Django's bulk_update, audited; tags given with `set_tags()` on any
        of `objs` are written and audited with the other changes."""
        objs = list(objs)
        if any(obj.pk is None for obj in objs):
            raise ValueError("All bulk_update() objects must have a primary key set.")

        def write(rows):
            if not fields:
                return 0
            return models.QuerySet(self.model, using=rows.db).bulk_update(objs, fields, batch_size)

        def assigned(pks):
            if not fields or (batch_size is not None and batch_size <= 0):
                return None  # Django's to write or refuse
            model_fields = [self.model._meta.get_field(name) for name in fields]
            rows = {}
            for obj in objs:
                if obj.pk in pks and obj.pk not in rows:  # the first of twins, as Django's CASE
                    obj._prepare_related_fields_for_save("bulk_update", fields=model_fields)
                    rows[obj.pk] = tuple(getattr(obj, field.attname) for field in model_fields)
            return model_fields, rows

        retagged = [obj for obj in objs if obj._new_tag_names is not None]
        return self.filter(pk__in=[obj.pk for obj in objs])._audited(write, retagged, assigned)

    def _audited(self, write, retagged=(), assigned=None):
        """Run a set-based write and audit the rows it really changed, in a
        constant number of queries. `retagged` records carry new tags.
        `assigned(pks)`, given, answers `(fields, {pk: values})`, what the
        write sets: on PostgreSQL one statement then writes the rows that
        change with their bookkeeping (`row_updates.changed_rows`)."""
        model = self.model
        with transaction.atomic(savepoint=False):
            before = {
                row.pk: audit.snapshot(row) for row in self.select_for_update().order_by("pk")
            }
            if not before:
                return 0
            changed = {
                pk: {"tags": tag_change}
                for pk, tag_change in model.write_tag_changes(retagged).items()
            }
            actor, now = current_actor(), timezone.now()
            fresh = _changed_rows(model, self.db, assigned, before, changed, actor, now)
            if fresh is None:
                result = write(self.filter(pk__in=before))
                fresh, changes = _bookkept_rows(model, before, changed, actor, now)
            else:
                result, changes = len(before), _changes_of(model, before, fresh)
            for pk, field_changes in changes.items():
                changed[pk] = {**field_changes, **changed.get(pk, {})}
            fresh = [row for row in fresh if row.pk in changed]
            if fresh:
                model.history.bulk_history_create(fresh, update=True, default_user=actor)
                audit.record_many(model, [(row, changed[row.pk]) for row in fresh])
        return result


def _changed_rows(model, using, assigned, before, tag_changes, actor, now):
    """The rows an audited write changed, written in one statement with their
    bookkeeping where the write says what it sets and its fields are ones a
    user changes; None for the write to run as Django runs it."""
    if assigned is None:
        return None
    plan = assigned(before.keys())
    if plan is None:
        return None
    fields, rows = plan
    tracked = audit.tracked_fields(model)
    if not all(field in tracked for field in fields):
        return None
    return changed_rows(
        model,
        using,
        fields,
        rows,
        retagged=tag_changes.keys(),
        bookkeeping={"updated_at": now, "updated_by_id": actor.pk if actor else None},
    )


def _changes_of(model, before, rows) -> dict:
    """`{pk: changes}` of the `rows` whose tracked values differ from their
    snapshot in `before`."""
    return {
        row.pk: changes
        for row in rows
        if (changes := audit.diff(model, before[row.pk], audit.snapshot(row)))
    }


def _bookkept_rows(model, before, tag_changes, actor, now):
    """After a write run as Django runs it: `(rows, changes)`, the version,
    time and author of the rows it changed (or retagged) counted up and set,
    those rows read, and what it changed of each (`_changes_of`)."""
    rows = model._base_manager.filter(pk__in=before)
    changes = _changes_of(model, before, rows)
    changed = changes.keys() | tag_changes.keys()
    if not changed:
        return [], changes
    archived = model.workflow.archived
    rows.filter(pk__in=changed).update(
        version=F("version") + 1,
        updated_at=now,
        updated_by=actor,
        archived_at=Case(
            When(~Q(status=archived), then=Value(None)),
            When(archived_at__isnull=True, then=Value(now)),
            default=F("archived_at"),
        ),
    )
    return list(rows.filter(pk__in=changed)), changes
