import functools
import inspect
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Prefetch
from django.db.models.base import ModelState
from django.db.models.constants import LOOKUP_SEP
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init
from django.utils import timezone


class LoadedFromRowsModel(models.Model):
    """A model whose records, read from the database, are made the way
    `Model.__init__` would make them, without its per-field work: the row's
    values go straight into the record's `__dict__`. A list page makes 150
    records (50 entities, their two authors): about 0.4 ms of `Model.__init__`
    work, near a tenth of the request's CPU.

    It is `Model.__init__` exactly when every loaded column's attribute is
    Django's own (a `DeferredAttribute`, whose setter, if any, only stores
    the value on a new record) and nothing listens to `pre_init` or
    `post_init` for the model; otherwise Django's own `from_db` runs."""

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        shared = _shared_records.get()
        if shared is None or cls in shared[0]:
            return cls._made_from_row(db, field_names, values)
        try:
            key = (cls, db, tuple(field_names), tuple(values))
            return shared[1][key]
        except KeyError:
            record = shared[1][key] = cls._made_from_row(db, field_names, values)
            return record
        except TypeError:  # a value that cannot be a key (a JSON list): not shared
            return cls._made_from_row(db, field_names, values)

    @classmethod
    def _made_from_row(cls, db, field_names, values):
        if not _loads_plainly(cls) or _initialising_is_listened(cls):
            return super().from_db(db, field_names, values)
        record = cls.__new__(cls)
        record._state = state = ModelState()
        state.adding = False
        state.db = db
        record.__dict__.update(zip(field_names, values, strict=True))
        record.made_from_row(field_names, values)
        return record

    def made_from_row(self, field_names, values):
        """Called on a record made here, holding exactly `values`, the row's
        (not on one `Model.__init__` made, which may hold other values)."""


# While a list is read (`related_records_shared`): the models whose records
# are made one per row, and the related records made so far, by model and row.
_shared_records = ContextVar("shared_related_records", default=None)


@contextmanager
def related_records_shared(queryset):
    """While `queryset`'s records are read, a related record it selects (an
    author, a record of another tool) made from the same row as one made
    before is that one: shared by every record that refers to it, as
    Django's `prefetch_related()` shares them, where `select_related()`
    makes one per row. A page of 50 records by one author made 100 authors,
    about 0.2 ms; it makes one. Only records of models that are
    `LoadedFromRowsModel`s are shared.

    The list's own records are made one per row, and so are the records of
    every model its prefetches read: Django sets a prefetched record's link
    to its owner (the tags of a record, on SQLite) on the record after
    making it, so one record shared by two rows would carry the second
    row's link alone, and be listed twice under one owner. When a prefetch
    does not say which models it reads, nothing is shared."""
    made_per_row = _prefetched_models(queryset)
    if made_per_row is None:
        yield
        return
    token = _shared_records.set(({queryset.model, *made_per_row}, {}))
    try:
        yield
    finally:
        _shared_records.reset(token)


def _prefetched_models(queryset) -> set | None:
    """The models whose records `queryset`'s prefetches make; None when one
    of them names no relation of a model (a generic relation, a reverse
    relation by its accessor)."""
    made = set()
    for lookup in queryset._prefetch_related_lookups:
        path = lookup.prefetch_through if isinstance(lookup, Prefetch) else lookup
        if isinstance(lookup, Prefetch) and lookup.queryset is not None:
            made.add(lookup.queryset.model)
        model = queryset.model
        for name in path.split(LOOKUP_SEP):
            try:
                model = model._meta.get_field(name).related_model
            except FieldDoesNotExist:
                return None
            if model is None:
                return None
            made.add(model)
    return made


def _initialising_is_listened(model) -> bool:
    return bool(pre_init.receivers or post_init.receivers) and (
        pre_init.has_listeners(model) or post_init.has_listeners(model)
    )


# Django's descriptors of a column: a read loads a deferred value; a foreign
# key's id, set, drops a cached related record (a new record has none).
_PLAIN_ATTRIBUTES = (DeferredAttribute, ForeignKeyDeferredAttribute)


@functools.cache
def _loads_plainly(model) -> bool:
    """Whether setting each column's attribute on a new record only stores
    it in `__dict__`; a field whose descriptor converts what it is given (a
    file, a tool's own field) must go through `Model.__init__`."""
    return all(
        type(inspect.getattr_static(model, field.attname, None)) in _PLAIN_ATTRIBUTES
        for field in model._meta.concrete_fields
    )


class StampField(models.DateTimeField):
    """Django's `auto_now` / `auto_now_add` time, but one time for a new row:
    the first of a record's stamps set for its insert reads the clock, and
    the others take that time, so a new record's `created_at` and
    `updated_at` are equal (Django reads the clock once per field, in the
    order of the fields, and `updated_at` came 0.3 ms before `created_at`).
    Saved or created in bulk alike: both stamp through `pre_save`.

    In migrations it is the `DateTimeField` it stores as."""

    def pre_save(self, instance, add):
        if add and (self.auto_now or self.auto_now_add):
            value = _insert_time(instance, self.attname)
            setattr(instance, self.attname, value)
            return value
        return super().pre_save(instance, add)

    def deconstruct(self):
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs


def _insert_time(instance, attname: str):
    """The time of `instance`'s insert under way: read from the clock for its
    first stamp, shared by the others. A stamp set again (the same record
    inserted again, after a failed insert) starts a new insert's time."""
    time, stamped = instance.__dict__.get("_insert_time", (None, ()))
    if time is None or attname in stamped:
        time, stamped = timezone.now(), ()
    instance.__dict__["_insert_time"] = (time, (*stamped, attname))
    return time


class TimestampedModel(LoadedFromRowsModel):
    created_at = StampField(auto_now_add=True, db_index=True)
    updated_at = StampField(auto_now=True)

    class Meta:
        abstract = True
