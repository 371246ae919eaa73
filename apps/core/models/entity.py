"""The entity base every tool record subclasses; its queryset is in queryset.py."""

import functools
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from simple_history.manager import HistoryManager
from simple_history.models import HistoricalRecords

from apps.core import audit
from apps.core.context import current_actor
from apps.core.workflows import DEFAULT_WORKFLOW, Workflow

from .base import StampField, TimestampedModel
from .ids import IdCounter, format_public_id
from .indexes import CaseInsensitiveFilterIndex
from .queryset import STORED_TAG_NAMES, EntityQuerySet
from .search import SEARCHED_FIELDS, SearchTextField, TrigramIndex
from .tags import Tag, tag_key


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


def value_taken_message(field) -> str:
    """What every write says of a value another record has in a unique
    field — the API's create, PATCH, bulk writes, a revert, the admin:
    "Component with this part number already exists." (a field's own
    `error_messages["unique"]` honoured). DRF's lowercases the record's kind,
    Django's capitalises the field's; one wording, read as a sentence."""
    return field.error_messages["unique"] % {
        "model_name": capfirst(field.model._meta.verbose_name),
        "field_label": field.verbose_name,
    }


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


class Entity(TimestampedModel):
    """A record of a tool: human id, name, status, category, tags, who and
    when, history and audit. Subclasses declare `id_prefix` (2-5 capital
    letters, unique across the suite) and may declare a `workflow` and the
    `searched_fields` that `?search=` looks in."""

    id_prefix: ClassVar[str] = ""
    workflow: ClassVar[Workflow] = DEFAULT_WORKFLOW
    # The text fields `?search=` (and the admin's search) looks in, stored
    # together in `search_text`: each one more is written with every row
    # and held in the search index.
    searched_fields: ClassVar[tuple[str, ...]] = SEARCHED_FIELDS
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
    created_at = StampField(auto_now_add=True)
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
    search_text = SearchTextField()

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
            # Lists, newest first (the default ordering). Each record's status
            # rides along as a last column: every list leaves the archived
            # records out, and a list walked in this order for a filter on
            # another table (`?tag=`) tests that from the index alone, not
            # from each record's row (`?tag=passive` at a million: 88-92 → 28 ms).
            # A column, not `INCLUDE`: Django names no covering index for an
            # abstract base, and SQLite has none.
            models.Index(fields=["-created_at", "-id", "status"]),
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
        """Replace the tags on the next save(), audited with the other changes.
        Names that match one tag (`tag_key`: as Python lowers them) are that
        tag once, as first spelled."""
        spellings = {}
        for name in names:
            if name and name.strip():
                spellings.setdefault(tag_key(name), name.strip())
        self._new_tag_names = sorted(spellings.values(), key=str.lower)

    def change_tags(self, *, add=(), remove=()):
        """Add and remove tags on the next save(), keeping the others; a tag
        named in `add` that the record has keeps its spelling (see set_tags)."""
        removed = {tag_key(name) for name in remove}
        kept = [name for name in self.tag_names if tag_key(name) not in removed]
        self.set_tags([*kept, *add])

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
                stored = sorted({tags[tag_key(n)].name for n in names or []}, key=str.lower)
                record.__dict__[STORED_TAG_NAMES] = stored
        if not pending:
            return wanted
        through, column = cls.tags_link()
        if not created:
            # One DELETE: a plain delete() would select the rows and delete them
            # 100 at a time, as the audit's post_delete receiver listens to every model.
            stale = through.objects.filter(**{f"{column}__in": [r.pk for r, _ in pending]})
            stale._raw_delete(stale.db)
        # Each tag once a record: two names Python lowers apart may still be
        # one tag as the database lowers them (`Tag.objects.resolve`).
        through.objects.bulk_create(
            [
                through(**{f"{column}_id": r.pk, "tag_id": tag_id})
                for r, names in pending
                for tag_id in dict.fromkeys(tags[tag_key(n)].pk for n in names)
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

    def unique_error_message(self, model_class, unique_check):
        if len(unique_check) != 1:
            return super().unique_error_message(model_class, unique_check)
        field = model_class._meta.get_field(unique_check[0])
        return ValidationError(value_taken_message(field), code="unique")

    def check_rules(self):
        """The record's own rules, which every write runs before it writes
        (`save()`, the bulk writes, archive and restore): a name that is not
        blank, then the model's `clean()`. `clean()` is where a tool keeps a
        rule about a record's state ("a returned loan says when"), so that a
        create, a PATCH, a transition, a revert, a bulk write and the admin
        all obey it; a `ValidationError` it raises is a 400 naming its field."""
        self.clean_name()
        self.clean()

    def clean_name(self):
        self.name = self.name.strip() if isinstance(self.name, str) else self.name
        if not self.name:
            raise ValidationError({"name": ["This field may not be blank."]})

    def save(self, *args, **kwargs):
        """Insert or update the record with its audit entry and history row,
        in one transaction. A save that changes nothing writes nothing."""
        self.check_rules()
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
                self.version = self._stored_version() + 1
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

    # Set on a record the API's write read under its row lock
    # (`EntityViewSet.lock_record`): its version is the stored one.
    read_under_lock = False

    def _stored_version(self) -> int:
        """The version the database holds, which a save goes one past. A
        record the API writes was read under the write's row lock, so its
        own is that; any other — the admin's change form, a record made from
        a history row to revert to it, a script's — may carry an older one,
        and the version (in the record's ETag) must only ever go up, or a
        client holding an old ETag would write over what it never saw: its
        row is locked and its version read."""
        if self.read_under_lock:
            return self.version
        stored = (
            type(self)
            ._base_manager.select_for_update()
            .filter(pk=self.pk)
            .values_list("version", flat=True)
            .first()
        )
        return self.version if stored is None else stored

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
