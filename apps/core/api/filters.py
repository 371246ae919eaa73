"""List filters for every entity: the shared ones, and automatic ones for each
tool field (`field`, `field__in`, `field__gte` / `__lte`, `field__icontains`;
a many-to-many link: `field`, `field__in`).

A tool overrides them by subclassing `EntityFilterSet` in its `api.py`.
"""

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.db.models import Count
from django_filters.constants import EMPTY_VALUES
from django_filters.fields import BaseCSVField, IsoDateTimeField
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS
from django_filters.widgets import QueryArrayWidget
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from apps.core.api.permissions import link_refusal
from apps.core.db import BIGINT_MAX, storable
from apps.core.models import Entity, User
from apps.core.models.tags import Tag, tag_key

# Lookups generated for a tool field, by the kind of model field.
TEXT_LOOKUPS = ["exact", "in", "icontains"]
RANGE_LOOKUPS = ["exact", "in", "gte", "lte"]
CHOICE_LOOKUPS = ["exact", "in"]

# The integer model fields, which django-filter maps each by its exact class.
INTEGER_FIELDS = (
    models.IntegerField,
    models.SmallIntegerField,
    models.BigIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
)


def lookups_for(field: models.Field) -> list[str]:
    """The filter lookups of one tool field; empty when it is not filterable."""
    if field.choices:
        return CHOICE_LOOKUPS
    if isinstance(field, models.BooleanField):
        return ["exact"]
    if isinstance(field, (models.ForeignKey, models.OneToOneField, models.ManyToManyField)):
        return CHOICE_LOOKUPS
    if isinstance(field, models.TextField):
        return ["icontains"]
    if isinstance(field, models.CharField):
        return TEXT_LOOKUPS
    if isinstance(
        field,
        (
            models.IntegerField,
            models.DecimalField,
            models.FloatField,
            models.DateField,
            models.TimeField,
        ),
    ):
        return RANGE_LOOKUPS
    return []


# `?search=` of a list takes at most this many characters (a 400 naming it beyond).
SEARCH_MAX_LENGTH = 200


def is_sortable(field) -> bool:
    """Every concrete field but long text, JSON, many-to-many and a person (whose
    id says nothing of their name; nor are the authors sortable)."""
    return (
        getattr(field, "concrete", False)
        and not isinstance(field, (models.TextField, models.JSONField, models.ManyToManyField))
        and not (field.many_to_one and issubclass(field.related_model, User))
    )


# --- Values every database takes ---------------------------------------------------------


class StorableDateTime:
    """A time filter's form field that refuses, with a 400 naming the
    filter, a time no database takes (`apps.core.db.storable`): on SQLite
    year 1 at +14:00 was a server error, as its backend converts a time to
    UTC in Python."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and not storable(value):
            raise forms.ValidationError("Datetime value out of range.", code="overflow")
        return value


class StorableIsoDateTimeField(StorableDateTime, IsoDateTimeField):
    pass


class StorableDateTimeField(StorableDateTime, forms.DateTimeField):
    pass


class IsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    """`?since=2026-03-01T09:00:00+01:00`: ISO 8601, a time every database takes."""

    field_class = StorableIsoDateTimeField


class DateTimeFilter(django_filters.DateTimeFilter):
    """A tool's time field, as django-filter reads it, a time every database takes."""

    field_class = StorableDateTimeField


class IntegerFilter(django_filters.NumberFilter):
    """A whole number within 64 bits: `0.5` for an integer field is a 400
    naming the filter, where django-filter's decimal matched nothing."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", -BIGINT_MAX - 1)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(*args, **kwargs)


class StrictBooleanField(forms.Field):
    """`true` or `false` (`1` or `0`), in any case; anything else is a 400
    naming the filter, where django-filter's form read `yes` as unknown,
    and so as false, and `2` as true."""

    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, bool):
            return value
        try:
            return self.VALUES[str(value).strip().lower()]
        except KeyError:
            raise forms.ValidationError("Must be true or false.", code="invalid") from None


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class MultipleValueField(forms.Field):
    """A repeatable query parameter: `?tag=a&tag=b`."""

    widget = QueryArrayWidget
    prohibit_null_characters = ProhibitNullCharactersValidator()

    def clean(self, value):
        values = [v.strip() for v in (value or []) if v and v.strip()]
        for item in values:
            self.prohibit_null_characters(item)  # as every text field: no NUL
        if self.required and not values:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return values


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class AllTagsFilter(django_filters.Filter):
    """`?tag=a&tag=b`: records carrying every one of the tags (case-insensitive)."""

    field_class = MultipleValueField

    def filter(self, qs, value):
        """One tag is a join, which PostgreSQL can read in list order (5 ms at
        a million records). Several are one subquery, the records linked to
        as many of them as there are distinct names: a join per tag made the
        planner's work grow with each (20 tags took 2.3 s to plan, 40
        over a minute), and two joins read 1.4-2.7 s at a million records against
        0.2 s (docs/performance.md, "Tag filters"). Either tests the links'
        tag ids, found first (`TagQuerySet.ids_named`)."""
        names = {tag_key(name): name for name in value or []}
        if not names:
            return qs
        ids = Tag.objects.ids_named(names.values())
        if not ids:
            return qs.none()
        if len(names) == 1:
            return qs.filter(tags__in=ids)
        through, column = qs.model.tags_link()
        # Django's own link table holds a (record, tag) pair once: a record's
        # links to the tags asked count its tags, half the work of counting
        # them distinct, which sorts each record's links (docs/performance.md,
        # "Tag filters"). A tool's own link model may repeat a pair.
        once = through._meta.auto_created
        carrying = (
            through.objects.filter(tag__in=ids)
            .values(column)
            .annotate(found=Count("tag", distinct=not once))
            .filter(found=len(names))
            .values(column)
        )
        return qs.filter(pk__in=carrying)


class LinkedRecordFilter(django_filters.ModelChoiceFilter):
    """A many-to-many link, read as a single link's filter reads its value
    (the linked record's id, which must exist): `?spares=12`, records linked
    to it; `?spares__in=12,14`, to any of them. A subquery of the link
    table, not a join: a join lists a record once per link it matches, and
    only DISTINCT, which sorts every match, would list it once."""

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        linked = value if isinstance(value, list) else [value]
        field = qs.model._meta.get_field(self.field_name)
        links = field.remote_field.through.objects.filter(
            **{f"{field.m2m_reverse_field_name()}__in": linked}
        )
        return qs.filter(pk__in=links.values(field.m2m_field_name()))


def linked_entity(model, field_name: str):
    """The entity model `model`'s field `field_name` links to; None when it
    is no field of the model or no link to an entity."""
    try:
        field = model._meta.get_field(field_name)
    except FieldDoesNotExist:
        return None
    related = field.related_model if field.is_relation else None
    return related if related is not None and issubclass(related, Entity) else None


# --- People: a user's id, or `me` ----------------------------------------------------------

ME = "me"
NO_SUCH_PERSON = "No user with id %(value)s: give a user's id, or me for yourself."
PERSON_HELP = "A user's id, or `me` for the caller."
# What every filter by a person takes: the authors' and a tool's person fields.
PERSON_FILTER = {"error_messages": {"invalid_choice": NO_SUCH_PERSON}, "help_text": PERSON_HELP}


@extend_schema_field(
    {"oneOf": [{"type": "integer"}, {"type": "string", "enum": [ME]}], "description": PERSON_HELP}
)
class PersonFilter(django_filters.ModelChoiceFilter):
    """A person, by id or as `me` (read as the caller's id by `EntityFilterSet`)."""


class PersonInFilter(django_filters.BaseInFilter, PersonFilter):
    """`?borrower__in=me,7`."""


def with_me_as(data, names, user):
    """The query `data` with `me` among the values of the person filters
    `names` (`?requester=me`, `?requester__in=me,7`) read as `user`'s id: a
    saved view "awaiting my approval" is each caller's own."""
    data = data.copy()
    for name in names:
        data.setlist(
            name,
            [
                ",".join(
                    str(user.pk) if part.strip().lower() == ME else part
                    for part in value.split(",")
                )
                for value in data.getlist(name)
            ],
        )
    return data


def naming_missing_records(db_field_class, **override) -> dict:
    """django-filter's filter for a link (a `filter_overrides` entry), whose
    refusal of an id no record has says what was looked for: "No component
    with id 12." rather than Django's "Select a valid choice"; a link to a
    person says it as the authors' filters do (`NO_SUCH_PERSON`)."""
    default = FILTER_FOR_DBFIELD_DEFAULTS[db_field_class]

    def extra(field):
        if field.related_model is User:
            return {**default["extra"](field), **PERSON_FILTER}
        missing = f"No {field.related_model._meta.verbose_name} with id %(value)s."
        return {**default["extra"](field), "error_messages": {"invalid_choice": missing}}

    return {**default, **override, "extra": extra}


# --- Lists of values -----------------------------------------------------------------------

# An `__in` filter takes at most this many values (a 400 naming it beyond).
MAX_FILTER_VALUES = 100


class FilterValuesField(BaseCSVField):
    """The form field of an `__in` filter (`?component__in=12,14`): at most
    `MAX_FILTER_VALUES` values, and linked records found in one query for
    all of them, where django-filter asked for each value on its own."""

    def clean(self, value):
        if value is not None and len(value) > MAX_FILTER_VALUES:
            raise forms.ValidationError(
                f"Give at most {MAX_FILTER_VALUES} values.", code="max_values"
            )
        if value and isinstance(self, forms.ModelChoiceField):
            return self.records_named(value)
        return super().clean(value)

    def records_named(self, values: list) -> list:
        """The record of each value, in order; a value naming none (not a key
        at all, or a key no record has) is refused as the field refuses it."""
        key_name = self.to_field_name or "pk"
        model = self.queryset.model
        key_field = model._meta.pk if key_name == "pk" else model._meta.get_field(key_name)
        keys = {}
        for value in values:
            if value in self.empty_values:  # `?component__in=12,`: nothing more
                continue
            try:
                keys[value] = key_field.to_python(value)
            except forms.ValidationError:
                keys[value] = None
        wanted = {key for key in keys.values() if key is not None and storable(key)}
        found = {
            getattr(record, key_name): record
            for record in self.queryset.filter(**{f"{key_name}__in": wanted})
        }
        records = []
        for value, key in keys.items():
            if key not in found:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": value},
                )
            records.append(found[key])
        return records


class InFilterMixin:
    """Makes an `__in` filter's form field a `FilterValuesField`."""

    base_field_class = FilterValuesField


# --- Query parameters ----------------------------------------------------------------------


def takes_several(filter_) -> bool:
    """Whether a filter reads every value of a repeated query parameter
    (`?status=DRAFT&status=ACTIVE`): its form widget reads them all."""
    widget = filter_.extra.get("widget") or filter_.field_class.widget
    widget = widget if isinstance(widget, type) else type(widget)
    return issubclass(widget, (forms.SelectMultiple, QueryArrayWidget))


def refuse_unknown_or_repeated(params, filters: dict, others: frozenset[str]) -> None:
    """A query parameter that is no filter's name nor one of `others` is a
    400 naming it, and so is one given twice that takes one value (Django
    reads the last): a typo or a second value never silently changes what a
    list holds."""
    unknown = sorted(set(params) - set(filters) - others)
    repeated = sorted(
        name
        for name, values in params.lists()
        if len(values) > 1
        and name not in unknown
        and not (name in filters and takes_several(filters[name]))
    )
    if unknown or repeated:
        raise ValidationError(
            {name: ["Unknown query parameter."] for name in unknown}
            | {name: ["Give this parameter once: it takes one value."] for name in repeated}
        )


class EntityOrderingFilter(django_filters.OrderingFilter):
    """`?ordering=-name,created_at`; an unknown field is a 400. `public_id`
    sorts by number (ids are handed out in the same order as public ids).
    Ties are broken by the list's own order, newest first (the model's
    ordering), then by the primary key, so pages never overlap: the status
    index `(status, -created_at, -id)` then gives `?ordering=status` its
    order."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.param_map["public_id"] = "id"
        # In the suite's words, listing what sorts, not Django's "Select a valid choice".
        sortable = ", ".join(self.param_map)
        self.extra["error_messages"] = {
            "invalid_choice": f"%(value)s is not sortable. Sort by one of: {sortable} "
            "(- in front for descending)."
        }

    def filter(self, qs, value):
        # `?ordering=` and blank entries (`?ordering=name,`) leave the order as it is.
        value = [param for param in value or [] if param]
        if not value:
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        named = {term.lstrip("-") for term in ordering}
        for term in (*qs.model._meta.ordering, "-id"):  # the list's order, then the key
            if "id" in named:
                break
            if isinstance(term, str) and term.lstrip("-") not in named:
                ordering.append(term)
                named.add(term.lstrip("-"))
        return qs.order_by(*ordering)


class EntityFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(
        help_text="Repeatable: `?status=DRAFT&status=ACTIVE`.",
        # One column, no join: DISTINCT would only make the database sort
        # every matching row.
        distinct=False,
    )
    category = django_filters.CharFilter(lookup_expr="iexact")
    tag = AllTagsFilter(help_text="Repeatable; records carrying all the given tags.")
    created_by = PersonFilter(queryset=User.objects.all(), **PERSON_FILTER)
    updated_by = PersonFilter(queryset=User.objects.all(), **PERSON_FILTER)
    created_after = IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    search = django_filters.CharFilter(
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        help_text="Case-insensitive text in the public id, name or description.",
    )
    include_archived = BooleanFilter(
        method="filter_include_archived",
        help_text="Archived records are hidden unless this is true or `status` asks for them.",
    )

    class Meta:
        model = Entity
        fields = []
        # A value a database cannot take as a parameter (an integer beyond
        # 64 bits, a time with no UTC) is a 400 naming the filter, not a
        # server error; a boolean is true or false.
        filter_overrides = {
            **{kind: {"filter_class": IntegerFilter} for kind in INTEGER_FIELDS},
            models.DateTimeField: {"filter_class": DateTimeFilter},
            models.BooleanField: {"filter_class": BooleanFilter},
            models.ForeignKey: naming_missing_records(models.ForeignKey),
            models.OneToOneField: naming_missing_records(models.OneToOneField),
            # The linked records as a single link finds them, filtered without a join.
            models.ManyToManyField: naming_missing_records(
                models.ManyToManyField, filter_class=LinkedRecordFilter
            ),
        }

    @classmethod
    def filter_for_lookup(cls, field, lookup_type):
        """A tool's person field is filtered as the authors are, by id or
        `me`; an `__in` filter takes at most `MAX_FILTER_VALUES` values."""
        filter_class, params = super().filter_for_lookup(field, lookup_type)
        if getattr(field, "related_model", None) is User:
            filter_class = PersonInFilter if lookup_type == "in" else PersonFilter
        if lookup_type == "in" and filter_class is not None:
            filter_class = type(filter_class.__name__, (InFilterMixin, filter_class), {})
        return filter_class, params

    def __init__(self, data=None, *args, **kwargs):
        # Only the filters the query names are copied, bound and validated:
        # django-filter deep-copies every filter and builds a form field for
        # each, which for a tool's dozens of automatic filters cost more than
        # the rest of an unfiltered list. Every query parameter is a filter's
        # name (anything else is a 400 before filtering, see
        # EntityViewSet.reject_unknown_query_params), so none is missed.
        if data is not None:
            self.base_filters = {n: f for n, f in self.base_filters.items() if n in data}
            people = [n for n, f in self.base_filters.items() if isinstance(f, PersonFilter)]
            user = getattr(kwargs.get("request"), "user", None)
            if people and user is not None and user.is_authenticated:
                data = with_me_as(data, people, user)
        super().__init__(data, *args, **kwargs)
        vars(self).pop("base_filters", None)
        if "status" in self.filters:
            self.filters["status"].extra["choices"] = self._meta.model.workflow.choices

    def is_valid(self):
        """Each filter's value checked (django-filter's), then a filter by a
        link to another tool's records refused, whatever its value, to a
        caller who may not read that tool (`link_refusal`): what the value's
        check said ("No component with id 12.") would tell which exist."""
        valid = super().is_valid()
        refused = {
            name: refusal
            for name, filter_ in self.filters.items()
            if (model := linked_entity(self._meta.model, filter_.field_name))
            and (refusal := link_refusal(getattr(self.request, "auth", None), model, "filter by"))
        }
        for name, refusal in refused.items():
            self.form.errors[name] = self.form.error_class([refusal])
            self.form.cleaned_data.pop(name, None)
        return valid and not refused

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.search(value)

    def filter_include_archived(self, queryset, name, value):
        return queryset  # applied in filter_queryset, which sees every parameter

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        archived = self._meta.model.workflow.archived
        asked_for_archived = archived in (self.form.cleaned_data.get("status") or [])
        if not (self.form.cleaned_data.get("include_archived") or asked_for_archived):
            queryset = queryset.exclude(status=archived)
        return queryset


def build_filterset(model, base: type[EntityFilterSet] = EntityFilterSet) -> type[EntityFilterSet]:
    """The filterset of one entity model: the shared filters, one set of
    lookups per tool field, and ordering over every sortable field — of the
    fields the API shows (`registry.shown_fields`): a field a tool's
    serializer leaves out is no filter, nor a sort, to guess it by."""
    from apps.core.api.registry import shown_fields
    from apps.core.api.serializers import tool_field_names

    shown = shown_fields(model)
    tool_fields = [model._meta.get_field(name) for name in tool_field_names(model) if name in shown]
    sortable = ["id", "public_id", "name", "status", "category", "created_at", "updated_at"]
    sortable = [name for name in sortable if name in shown]
    sortable += [f.name for f in tool_fields if is_sortable(f)]
    meta = type(
        "Meta",
        (base.Meta,),
        {"model": model, "fields": {f.name: lookups_for(f) for f in tool_fields if lookups_for(f)}},
    )
    attrs = {
        "__module__": __name__,  # not django_filters' (see registry.serializer_for)
        "Meta": meta,
        "ordering": EntityOrderingFilter(
            fields=[(name, name) for name in sortable],
            help_text="Comma-separated fields, `-` for descending. Default: newest first.",
        ),
    }
    return type(f"{model.__name__}FilterSet", (base,), attrs)
