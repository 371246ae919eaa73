"""Each serializer's own copy of its class's fields.

DRF copies a field with `copy.deepcopy`, which builds it again from the
arguments it was made with (`Field.__deepcopy__`). For DRF's own plain field
classes that costs three to four times a shallow copy, and a write copies
every field of its serializer: 155 µs of a component's create or PATCH,
with most of the request's short-lived objects.

A plain field's state is its arguments, read-only settings and three
containers a serializer's `__init__` may change in place, as DRF's docs show:
its validators, its error messages and its style. A copy here is the
prototype's attributes with those three containers fresh, so a change to
one serializer's field never reaches another's. Every other field — a
serializer, a field holding a field (`ListField`'s child), a subclass of a
tool's own, one given a default, an initial value, input formats or a
`pk_field` (values a request could change in place) — is deep-copied as DRF
does.
"""

import copy

from rest_framework import serializers

PLAIN_FIELD_CLASSES = frozenset(
    {
        serializers.BigIntegerField,
        serializers.BooleanField,
        serializers.CharField,
        serializers.ChoiceField,
        serializers.DateField,
        serializers.DateTimeField,
        serializers.DecimalField,
        serializers.DurationField,
        serializers.EmailField,
        serializers.FloatField,
        serializers.IntegerField,
        serializers.PrimaryKeyRelatedField,
        serializers.ReadOnlyField,
        serializers.SlugField,
        serializers.TimeField,
        serializers.URLField,
        serializers.UUIDField,
    }
)
# Arguments whose values a request could change in place, or that hold a field.
_DEEP_ARGUMENTS = frozenset({"default", "initial", "input_formats", "pk_field"})


def copy_fields(prototypes: dict) -> dict:
    """A serializer's fields: a fresh copy of each unbound prototype."""
    return {name: copy_field(field) for name, field in prototypes.items()}


def copy_field(field: serializers.Field) -> serializers.Field:
    if type(field) not in PLAIN_FIELD_CLASSES or not _DEEP_ARGUMENTS.isdisjoint(field._kwargs):
        return copy.deepcopy(field)
    clone = copy.copy(field)
    if "_validators" in vars(field):  # else made afresh on first use, as DRF makes them
        clone.validators = list(field.validators)
    clone.error_messages = dict(field.error_messages)
    clone.style = dict(field.style)
    return clone
