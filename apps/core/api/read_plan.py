"""Reading records out: DRF's `Serializer.to_representation`, planned once.

For every record, DRF asks each field in turn for its source attribute and
then for its representation — some twenty Python calls per field, most of a
list's time. `ReadPlan` makes those decisions once per serializer (once per
request) and keeps, per field, one small reader:

- a field DRF would turn into exactly the value the record holds (a model
  field read by a `CharField`, `IntegerField`, `BooleanField`, a `ChoiceField`
  whose choices are the values themselves, a list of strings), reads it;
- a UTC `DateTimeField` in ISO 8601 writes `isoformat()` with DRF's `Z`;
- a `DecimalField` written as a plain string writes a decimal that already
  has the field's places as it is;
- a nested serializer that keeps DRF's `to_representation` gets a plan of
  its own;
- anything else — a tool's own field class, a method field, a related field,
  a value of a type the field would convert — goes through DRF's
  `get_attribute` and `to_representation`, exactly as DRF does it.

Each shortcut is taken only where DRF's own code is the one that would run
(a subclass overriding `to_representation` or `get_attribute` falls back),
and only for a value of the type it expects, so the output is DRF's, byte for
byte; `tests/core/test_read_plan.py` holds the two side by side.

Where every field of a serializer class reads a record the same way whoever
asks (`reads_alike`), one plan serves every serializer of the class
(`shared_plan`): a read then builds no serializer fields at all.
"""

import datetime
import decimal
from collections.abc import Callable

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone
from rest_framework import fields, relations, serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings

Reader = Callable[[object], object]

# DRF field classes that represent a value of the given type as the value itself.
_SAME_VALUE = {
    fields.CharField: str,
    fields.IntegerField: int,
    fields.BooleanField: bool,
}


def _drf_reader(field) -> Reader:
    """The field read as `Serializer.to_representation` reads it (SkipField
    propagates to the plan, which leaves the field out)."""

    def read(instance):
        attribute = field.get_attribute(instance)
        check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
        return None if check_for_none is None else field.to_representation(attribute)

    return read


def _is_drf_own(field, base: type, method: str) -> bool:
    return getattr(type(field), method) is getattr(base, method)


def _plain_attribute(field, model) -> str | None:
    """The attribute a field reads when it is a plain value of the record
    (a concrete, non-relational model field, or a property), else None."""
    if len(field.source_attrs) != 1 or not _is_drf_own(field, fields.Field, "get_attribute"):
        return None
    name = field.source_attrs[0]
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name if isinstance(getattr(model, name, None), property) else None
    if model_field.concrete and not model_field.is_relation:
        return model_field.attname
    return None


def _value_reader(field, attribute: str) -> Reader | None:
    """A reader of `attribute` for the value types the field represents
    without DRF (anything else goes to DRF: a property holding a method, a
    naive datetime, an integer in a `CharField`); None when DRF's
    `to_representation` must always run."""
    drf_read = _drf_reader(field)

    def own(base) -> bool:
        return isinstance(field, base) and _is_drf_own(field, base, "to_representation")

    def same_value(kind) -> Reader:
        def read(instance):
            value = getattr(instance, attribute)
            if type(value) is kind:
                return value
            return None if value is None else drf_read(instance)

        return read

    for base, kind in _SAME_VALUE.items():
        if own(base):
            return same_value(kind)
    if own(fields.BigIntegerField) and not getattr(
        field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING
    ):
        return same_value(int)
    if own(fields.ChoiceField):
        choices = field.choice_strings_to_values

        def read(instance):
            value = getattr(instance, attribute)
            if type(value) is str:
                return choices.get(value, value)
            return None if value is None else drf_read(instance)

        return read
    if own(fields.DecimalField) and _plain_decimal_string(field):
        places, max_digits = -field.decimal_places, field.max_digits or float("inf")

        def read(instance):
            value = getattr(instance, attribute)
            if type(value) is decimal.Decimal:
                _, digits, exponent = value.as_tuple()
                if exponent == places and len(digits) <= max_digits:
                    return f"{value:f}"  # what quantizing it to its own places leaves
            return None if value is None else drf_read(instance)

        return read
    if own(fields.DateTimeField) and _utc_iso(field):
        utc = datetime.UTC

        def read(instance):
            value = getattr(instance, attribute)
            if type(value) is datetime.datetime and value.tzinfo is not None:
                return value.astimezone(utc).isoformat()[:-6] + "Z"  # DRF's +00:00
            return None if value is None else drf_read(instance)

        return read
    if own(fields.ListField) and type(field.child) is fields.CharField:

        def read(instance):
            value = getattr(instance, attribute)
            if type(value) is list and all(type(item) is str for item in value):
                return value
            return None if value is None else drf_read(instance)

        return read
    return None


def _plain_decimal_string(field) -> bool:
    """Whether DRF writes this field's decimals as plain strings with a fixed
    number of places (not localized, not normalized)."""
    coerce = getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
    return (
        coerce
        and field.decimal_places is not None
        and not field.localize
        and not field.normalize_output
    )


def _utc_iso(field) -> bool:
    """Whether DRF writes this field's datetimes as UTC ISO 8601."""
    if getattr(field, "format", api_settings.DATETIME_FORMAT) != api_settings.DATETIME_FORMAT:
        return False
    if (api_settings.DATETIME_FORMAT or "").lower() != fields.ISO_8601:
        return False
    zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()
    return zone is datetime.UTC or getattr(zone, "key", None) == "UTC"


class ReadPlan:
    """How one serializer instance reads a record (only the fields named in
    `only`, when given); build it after the serializer's fields are final
    (after `?fields=`)."""

    def __init__(self, serializer, model, only: frozenset[str] | None = None):
        self.readers: list[tuple[str, Reader]] = [
            (field.field_name, self._reader(field, model))
            for field in serializer._readable_fields
            if only is None or field.field_name in only
        ]

    @staticmethod
    def _reader(field, model) -> Reader:
        if isinstance(field, serializers.Serializer) and _is_drf_own(
            field, serializers.Serializer, "to_representation"
        ):
            return _nested_reader(field)
        attribute = _plain_attribute(field, model) if model is not None else None
        reader = _value_reader(field, attribute) if attribute is not None else None
        return reader or _drf_reader(field)

    def read(self, instance) -> dict:
        representation = {}
        for name, read in self.readers:
            try:
                representation[name] = read(instance)
            except SkipField:
                continue
        return representation


def _nested_reader(field) -> Reader:
    """A nested serializer (the author of a record, say) keeping DRF's
    `to_representation`: read through a plan of its own, built on first use,
    when the nested record's model is known."""
    plans: dict[type, ReadPlan] = {}
    get_attribute = field.get_attribute
    if len(field.source_attrs) == 1 and _is_drf_own(field, fields.Field, "get_attribute"):
        attribute = field.source_attrs[0]

        def get_attribute(instance):
            try:
                return getattr(instance, attribute)
            except ObjectDoesNotExist:  # as DRF: a missing related record is None
                return None

    def read(instance):
        value = get_attribute(instance)
        if value is None:
            return None
        kind = type(value)
        plan = plans.get(kind)
        if plan is None:
            plan = plans[kind] = ReadPlan(field, kind if hasattr(kind, "_meta") else None)
        return plan.read(value)

    return read


# DRF's methods that read a record's value and represent it from the field's
# own configuration alone: never the request, the view or the serializer.
# (DateTimeField's default time zone is the active one: shared plans are kept
# per time zone.)
_READS_ALIKE = {
    fields.Field.get_attribute,
    relations.RelatedField.get_attribute,
    relations.ManyRelatedField.get_attribute,
    relations.ManyRelatedField.to_representation,
    serializers.Serializer.to_representation,
    *(
        kind.to_representation
        for kind in (
            fields.BigIntegerField,
            fields.BooleanField,
            fields.CharField,
            fields.ChoiceField,
            fields.DateField,
            fields.DateTimeField,
            fields.DecimalField,
            fields.DictField,
            fields.DurationField,
            fields.FloatField,
            fields.IntegerField,
            fields.JSONField,
            fields.ListField,
            fields.MultipleChoiceField,
            fields.ReadOnlyField,
            fields.TimeField,
            fields.UUIDField,
        )
    ),
}


def reads_alike_for_everyone(method):
    """Declare a field class's own `to_representation` (or `get_attribute`)
    to depend on nothing but the field and the value, like DRF's above."""
    _READS_ALIKE.add(method)
    return method


def reads_alike(field) -> bool:
    """Whether the field reads every record the same way for every request:
    its class reads and represents values only with methods of `_READS_ALIKE`,
    and so do its children (a list's items, a nested serializer's fields)."""
    kind = type(field)
    if kind.get_attribute not in _READS_ALIKE or kind.to_representation not in _READS_ALIKE:
        return False
    if isinstance(field, serializers.Serializer):
        return all(reads_alike(child) for child in field._readable_fields)
    child = getattr(field, "child", None) or getattr(field, "child_relation", None)
    return child is None or reads_alike(child)


_shared_plans: dict[tuple[type, str], ReadPlan | None] = {}


def shared_plan(serializer_class, model) -> ReadPlan | None:
    """One plan for every serializer of the class, made from one serving no
    request; None when the class may choose its fields while a serializer is
    made, or some field may read differently for another request. The
    caller makes sure its `get_fields()` and the serializer at hand choose
    none per request."""
    key = (serializer_class, timezone.get_current_timezone_name())
    try:
        return _shared_plans[key]
    except KeyError:
        _shared_plans[key] = plan = _plan_for_everyone(serializer_class, model)
        return plan


def _plan_for_everyone(serializer_class, model) -> ReadPlan | None:
    try:
        template = serializer_class()
    except Exception:  # a class that needs a request to be made reads for the request
        return None
    # A class that builds its fields while it is made may choose them then.
    if "fields" in template.__dict__:
        return None
    if not all(map(reads_alike, template._readable_fields)):
        return None
    return ReadPlan(template, model)


@receiver(setting_changed)
def _forget_shared_plans(*, setting, **kwargs):
    """A plan holds DRF's formats and the time zone as they were (tests)."""
    if setting in ("REST_FRAMEWORK", "TIME_ZONE", "USE_TZ"):
        _shared_plans.clear()
