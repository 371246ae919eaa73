"""The entity base every tool record subclasses, and its audited queryset."""

import functools
from typing import ClassVar

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError
from django.db import connections, models, transaction
from django.db.models import Case, F, OuterRef, Q, Value, When
from django.utils import timezone
from simple_history.manager import HistoryManager
from simple_history.models import HistoricalRecords

from apps.core import audit
from apps.core.context import current_actor
from apps.core.workflows import DEFAULT_WORKFLOW, Workflow

from .base import TimestampedModel
from .ids import IdCounter, format_public_id
from .indexes import CaseInsensitiveFilterIndex
from .row_updates import changed_rows
from .search import TrigramIndex, public_id_search, search_term, search_text_expression
from .tags import Tag, tag_key

# The attribute `EntityQuerySet.with_tag_names()` reads the tag names into.
STORED_TAG_NAMES = "stored_tag_names"


class StatusField(models.CharField):
    """The record's status; choices and default come from the model's workflow."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 32)
        super().__init__(*args, **kwargs)

    def contribute_to_class(self, cls, name, *args, **kwargs):
        # Historical and migration models have no workflow: they keep the
        # choices the field was built with.
        workflow = getattr(cls, "workflow", None)
        if isinstance(workflow, Workflow):
            self.choices = workflow.choices
            self.default = workflow.initial
        super().contribute_to_class(cls, name, *args, **kwargs)


def _history_user(instance=None, request=None, **kwargs):
    return current_actor()


class EntityHistoricalRecords(HistoricalRecords):
    """simple-history's history model, indexed for what reads it: the rows
    of one record (`id`), by date (`history_date`) and by user.

    simple-history indexes every copied field that the record's table
    indexes (its foreign keys, its `db_index` and `unique` fields, each
    text one twice), so a history row, written by every change and read
    by operators, kept up to eleven indexes that no query uses."""

    def copy_fields(self, model):
        fields = super().copy_fields(model)
        for name, field in fields.items():
            if name != model._meta.pk.name:
                field.db_index = False
        return fields


class EntityHistoryManager(HistoryManager):
    """simple-history's manager, whose class is made once per queryset class.
    `record.history` builds a new manager class with `from_queryset()` on
    every access, and each saved record is accessed for its history row:
    about 7 % of the CPU time of a PATCH (profiled)."""

    @classmethod
    @functools.cache
    def from_queryset(cls, queryset_class, class_name=None):
        return super().from_queryset(queryset_class, class_name)


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
                obj.clean_name()
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


class Entity(TimestampedModel):
    """A record of a tool: human id, name, status, category, tags, who and
    when, history and audit. Subclasses declare `id_prefix` (2-5 capital
    letters, unique across the suite) and may declare a `workflow`."""

    id_prefix: ClassVar[str] = ""
    workflow: ClassVar[Workflow] = DEFAULT_WORKFLOW
    # What a write sets itself, never a user: read-only in the API and the
    # admin, and not among the changes an audit entry records.
    BOOKKEEPING_FIELDS: ClassVar[tuple[str, ...]] = (
        "public_id",
        "created_at",
        "updated_at",
        "created_by",
        "updated_by",
        "archived_at",
        "version",
    )

    # The list-order index (Meta.indexes) serves every lookup of created_at.
    created_at = models.DateTimeField(auto_now_add=True)
    # Unique by a constraint (Meta.constraints): `unique=True` would add a
    # second, LIKE index on PostgreSQL.
    public_id = models.CharField(max_length=32, editable=False)
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    status = StatusField()
    category = models.CharField(max_length=100, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Bumped by every real change, tags included: the ETag of the record.
    version = models.PositiveIntegerField(default=1, editable=False)
    # The searched fields, upper-cased, computed by the database on each write:
    # what `search` reads (models/search.py). Never shown, filtered, audited
    # or kept in history.
    search_text = models.GeneratedField(
        expression=search_text_expression(), output_field=models.TextField(), db_persist=True
    )

    history = EntityHistoricalRecords(
        inherit=True,
        get_user=_history_user,
        excluded_fields=["search_text"],
        history_manager=EntityHistoryManager,
    )
    objects = EntityQuerySet.as_manager()

    # Tag names given with set_tags(), written and audited by the next save.
    _new_tag_names: list[str] | None = None
    # The tracked fields' values as last stored (`stored_state`): a snapshot,
    # or, for a record read and not yet written, the row it was made from.
    _stored: dict | None = None
    _stored_row: tuple | None = None

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]
        indexes = [
            # Lists, newest first (the default ordering).
            models.Index(fields=["-created_at", "-id"]),
            # `?status=` and `?ordering=status`: a status's records newest
            # first, however the statuses lie in time (the list-order index
            # passed over 924,489 newer records to find the first archived
            # ones at a million).
            # Status and category are declared here rather than with
            # `db_index`, which on PostgreSQL adds a second index to a text
            # field, for `LIKE 'x%'`: a lookup the API never makes.
            models.Index(fields=["status", "-created_at", "-id"]),
            # Lists ordered by category (ties newest first, as every order's:
            # EntityOrderingFilter), and the admin's category values.
            models.Index(fields=["category", "-created_at", "-id"]),
            # `?category=` (case-insensitive): its capped count, its rare values.
            CaseInsensitiveFilterIndex(field="category"),
            # `search`, from an index on PostgreSQL.
            TrigramIndex(field="search_text"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["public_id"], name="%(app_label)s_%(class)s_public_id_unique"
            ),
            models.CheckConstraint(
                condition=~Q(name=""), name="%(app_label)s_%(class)s_name_not_blank"
            ),
        ]

    def __str__(self):
        return f"{self.public_id} {self.name}".strip()

    # --- Stored state, for diffs ----------------------------------------------

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if instance._stored_row is None:  # made by `Model.__init__`: it may differ from the row
            instance.remember_stored_state()
        return instance

    def made_from_row(self, field_names, values):
        # Its stored state is the row, made into a snapshot only when a write
        # asks for it: a list reads 50 records and writes none.
        self._stored_row = (field_names, values)

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self.forget_stored_tags()  # read again on the next tag_names
        self.remember_stored_state()

    def remember_stored_state(self):
        self._stored, self._stored_row = audit.snapshot(self), None
        self._new_tag_names = None

    @property
    def stored_state(self) -> dict:
        """The tracked fields' values as last stored, by attname (a field
        not loaded is left out); empty for a record never stored."""
        if self._stored is None:
            names, values = self._stored_row or ((), ())
            self._stored = audit.snapshot_of(type(self), dict(zip(names, values, strict=True)))
        return self._stored

    def creation_changes(self) -> dict:
        return audit.creation_changes(self)

    # --- Tags ---------------------------------------------------------------------

    @property
    def tag_names(self) -> list[str]:
        if self._new_tag_names is not None:
            return list(self._new_tag_names)
        return self.stored_tag_names_sorted()

    def stored_tag_names_sorted(self) -> list[str]:
        """The tag names in the database, sorted case-insensitively: read with
        the record (`with_tag_names()`), else through `tags`."""
        if self.pk is None:
            return []
        names = self.__dict__.get(STORED_TAG_NAMES)
        if names is None:
            names = (tag.name for tag in self.tags.all())
        return sorted(names, key=str.lower)

    @classmethod
    def tags_link(cls) -> tuple[type[models.Model], str]:
        """The model linking records to tags, and its field naming the record."""
        return cls.tags.through, cls.tags.field.m2m_field_name()

    def forget_stored_tags(self):
        """Drop the tag names read with the record, once they changed."""
        self.__dict__.pop(STORED_TAG_NAMES, None)
        getattr(self, "_prefetched_objects_cache", {}).pop("tags", None)

    def set_tags(self, names):
        """Replace the tags on the next save(), audited with the other changes."""
        self._new_tag_names = sorted({n.strip() for n in names if n and n.strip()}, key=str.lower)

    def _pending_tag_change(self, adding: bool):
        if self._new_tag_names is None:
            return None
        old = [] if adding else self.stored_tag_names_sorted()
        if audit.same_list(old, self._new_tag_names):
            return None
        return {"old": old, "new": list(self._new_tag_names)}

    @classmethod
    def write_tag_changes(cls, records) -> dict[int, dict]:
        """Store the tags given with set_tags() for many saved records, with a
        constant number of queries, where they differ from the stored ones.
        Returns `{pk: {"old": names, "new": names}}` for the records changed."""
        if not records:
            return {}
        through, column = cls.tags_link()
        stored = {record.pk: [] for record in records}
        for pk, name in through.objects.filter(**{f"{column}__in": stored}).values_list(
            column, "tag__name"
        ):
            stored[pk].append(name)
        changes = {}
        for record in records:
            old = sorted(stored[record.pk], key=str.lower)
            if not audit.same_list(old, record._new_tag_names):
                changes[record.pk] = {"old": old, "new": list(record._new_tag_names)}
        cls.write_tags_in_bulk([record for record in records if record.pk in changes])
        return changes

    @classmethod
    def write_tags_in_bulk(cls, records, *, created=False) -> list[list[str] | None]:
        """Store the tags given with set_tags() for many saved records with a
        constant number of queries, without m2m signals (the caller audits).
        `created`: the records were just inserted, so have no tags to remove.
        Returns each record's new tag names, or None where none were set."""
        wanted = [r._new_tag_names for r in records]
        pending = [
            (r, names) for r, names in zip(records, wanted, strict=True) if names is not None
        ]
        tags = Tag.objects.resolve(n for _, names in pending for n in names)
        for record, names in zip(records, wanted, strict=True):
            if names is not None or created:
                # What is now stored, as stored (a tag keeps its first spelling):
                # tag_names reads it without a query.
                record.forget_stored_tags()
                stored = sorted((tags[tag_key(n)].name for n in names or []), key=str.lower)
                record.__dict__[STORED_TAG_NAMES] = stored
        if not pending:
            return wanted
        through, column = cls.tags_link()
        if not created:
            # One DELETE: a plain delete() would select the rows and delete them
            # 100 at a time, as the audit's post_delete receiver listens to every model.
            stale = through.objects.filter(**{f"{column}__in": [r.pk for r, _ in pending]})
            stale._raw_delete(stale.db)
        through.objects.bulk_create(
            [
                through(**{f"{column}_id": r.pk, "tag_id": tags[n.lower()].pk})
                for r, names in pending
                for n in names
            ]
        )
        return wanted

    # --- Saving -------------------------------------------------------------------

    def prepare_for_insert(self, public_id: str, actor):
        self.public_id = public_id
        self.created_by = self.created_by or actor
        self.updated_by = actor or self.created_by
        self._sync_archived_at()

    def _sync_archived_at(self):
        if self.status == self.workflow.archived:
            self.archived_at = self.archived_at or timezone.now()
        else:
            self.archived_at = None

    def clean_name(self):
        self.name = self.name.strip() if isinstance(self.name, str) else self.name
        if not self.name:
            raise ValidationError({"name": ["This field may not be blank."]})

    def save(self, *args, **kwargs):
        """Insert or update the record with its audit entry and history row,
        in one transaction. A save that changes nothing writes nothing."""
        self.clean_name()
        update_fields = kwargs.get("update_fields")
        with transaction.atomic(savepoint=False):
            adding = self._state.adding and not (
                self.pk is not None and type(self)._base_manager.filter(pk=self.pk).exists()
            )
            if adding:
                changes = self.creation_changes()
            else:
                changes = audit.diff(
                    type(self), self._stored_values(update_fields), audit.snapshot(self)
                )
            tag_change = self._pending_tag_change(adding)
            if tag_change:
                changes["tags"] = tag_change
            if not adding and not changes:
                return
            actor = current_actor()
            if adding:
                number = IdCounter.objects.allocate(self.id_prefix)[0]
                self.prepare_for_insert(format_public_id(self.id_prefix, number), actor)
            else:
                self.version += 1
                self.updated_by = actor or self.updated_by
                self._sync_archived_at()
                if update_fields is not None:
                    kwargs["update_fields"] = {
                        *update_fields,
                        "updated_at",
                        "updated_by",
                        "version",
                        "archived_at",
                    }
            super().save(*args, **kwargs)
            if tag_change or adding:
                type(self).write_tags_in_bulk([self], created=adding)
            audit.record(self, changes, created=adding)
            self.remember_stored_state()

    def _stored_values(self, update_fields) -> dict:
        """The last stored values of the tracked fields (only `update_fields`
        when given), read from the database for fields not loaded."""
        stored = dict(self.stored_state)
        wanted = {f.attname for f in audit.tracked_fields(type(self))}
        if update_fields is not None:
            wanted = {type(self)._meta.get_field(name).attname for name in update_fields} & wanted
        missing = wanted - stored.keys()
        if missing:
            row = type(self)._base_manager.filter(pk=self.pk).values(*missing).first() or {}
            stored.update(row)
        return {k: v for k, v in stored.items() if k in wanted}
