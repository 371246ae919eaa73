"""The uniqueness check of a write body's values, as DRF's `UniqueValidator`
makes it, less the query before a new record's insert: the database's unique
constraint checks that value in the insert itself, and a clash is answered
as the validator answers (`apps.core.api.exceptions.clashing_fields`). A
create asked the database twice; now once."""

from rest_framework.validators import UniqueValidator


class UniqueValueValidator(UniqueValidator):
    """DRF's `UniqueValidator` (`ModelSerializer`'s for a `unique=True`
    field), leaving a new record's text value to the field's unique
    constraint. Every other check is DRF's own: an update's (which leaves
    its record out), a value of another type, another lookup, or a queryset
    other than the model's default manager (which may see fewer rows than
    the constraint does)."""

    @classmethod
    def replacing(cls, validator: UniqueValidator, message: str) -> "UniqueValueValidator":
        return cls(validator.queryset, message, validator.lookup)

    def __call__(self, value, serializer_field):
        if (
            type(value) is str
            and self.lookup == "exact"
            and self.queryset is self.queryset.model._default_manager
            and getattr(serializer_field.parent, "instance", None) is None
        ):
            return  # the insert checks it
        return super().__call__(value, serializer_field)
