"""The uniqueness check of a write body's text values, as DRF's
`UniqueValidator` makes it, with the query of a new record's value compiled
once per process (`apps/core/prepared.py`): a create compiled it on every
request."""

from functools import cache

from django.db import DataError
from rest_framework.exceptions import ValidationError
from rest_framework.validators import UniqueValidator

from apps.core.prepared import PreparedQuery


@cache
def value_taken_query(model, field_name: str) -> PreparedQuery:
    """The record of `model` (its default manager's) holding a text value
    in `field_name`, if any, with only its id read."""
    return PreparedQuery(
        model,
        lambda value: (
            model._default_manager.filter(**{field_name: value}).only("pk").order_by()[:1]
        ),
        str,
    )


class UniqueValueValidator(UniqueValidator):
    """DRF's `UniqueValidator` (`ModelSerializer`'s for a `unique=True`
    field), asking prepared whether a new record's text value is taken.
    Every other check is DRF's own: an update's (which leaves its record
    out), a value of another type, another lookup, or a queryset other than
    the model's default manager."""

    @classmethod
    def replacing(cls, validator: UniqueValidator) -> "UniqueValueValidator":
        return cls(validator.queryset, validator.message, validator.lookup)

    def __call__(self, value, serializer_field):
        model = self.queryset.model
        if (
            type(value) is not str
            or self.lookup != "exact"
            or self.queryset is not model._default_manager
            or getattr(serializer_field.parent, "instance", None) is not None
        ):
            return super().__call__(value, serializer_field)
        query = value_taken_query(model, serializer_field.source_attrs[-1])
        try:
            taken = bool(query.fetch(value))
        except (TypeError, ValueError, DataError):  # as DRF's `qs_exists`: not taken
            taken = False
        if taken:
            raise ValidationError(self.message, code="unique")
