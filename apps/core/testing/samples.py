"""Valid and invalid API values for any entity, derived from its model fields.

The generic tool tests use these so a tool's test module needs nothing but
its model; a tool whose rules the derivation cannot guess gives a field's
value in `sample_values`, or sets `create_data` / `invalid_create_data`.
"""

import datetime
import itertools
import uuid
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType

from django.core import validators
from django.db import models
from django.utils import timezone

from apps.core.api.registry import serializer_for
from apps.core.api.serializers import tool_field_names
from apps.core.models import Entity, User
from apps.core.tools import tool_for_model

# Dates and times are from tomorrow on, whenever the tests run: a tool's rule
# relative to today ("needed by: not in the past") holds for every sample.
ONE_DAY = datetime.timedelta(days=1)

# Records a sample links to get numbers of their own, so two links (or a link
# and the test's own records) never collide on a unique field.
_related_numbers = itertools.count(1_000_000)


def _bounds(field) -> tuple:
    low = high = None
    for validator in field.validators:
        if isinstance(validator, validators.MinValueValidator):
            low = validator.limit_value
        elif isinstance(validator, validators.MaxValueValidator):
            high = validator.limit_value
    return low, high


def _clamp(value, field):
    low, high = _bounds(field)
    if low is not None and value < low:
        value = low
    if high is not None and value > high:
        value = high
    return value


def sample_value(field: models.Field, n: int):
    """A valid API value for `field`, distinct for each `n`."""
    if isinstance(field, models.ManyToManyField):
        return [create_sample(field.related_model, next(_related_numbers)).pk]
    if isinstance(field, models.ForeignKey):
        if issubclass(field.related_model, Entity):
            return create_sample(field.related_model, next(_related_numbers)).pk
        if field.related_model is User:
            return User.objects.get_or_create(username=f"sample-user-{n}")[0].pk
        raise NotImplementedError(f"No sample for a link to {field.related_model}")
    if field.choices:
        return field.choices[n % len(field.choices)][0]
    if isinstance(field, models.BooleanField):
        return n % 2 == 0
    if isinstance(field, models.DecimalField):
        whole_digits = field.max_digits - field.decimal_places
        value = Decimal(n % (10 ** min(whole_digits, 6))) + Decimal("0.5")
        return str(_clamp(value, field).quantize(Decimal(1).scaleb(-field.decimal_places)))
    if isinstance(field, models.FloatField):
        return _clamp(n + 0.5, field)
    if isinstance(field, models.IntegerField):
        return _clamp(n, field)
    if isinstance(field, models.DateTimeField):
        tomorrow = timezone.now().replace(minute=0, second=0, microsecond=0) + ONE_DAY
        return (tomorrow + datetime.timedelta(hours=n)).isoformat()
    if isinstance(field, models.DateField):
        return (timezone.localdate() + ONE_DAY + datetime.timedelta(days=n)).isoformat()
    if isinstance(field, models.TimeField):
        return f"{n % 24:02d}:30:00"
    if isinstance(field, models.UUIDField):
        return str(uuid.UUID(int=n + 1))
    if isinstance(field, models.JSONField):
        return {"sample": n}
    if isinstance(field, models.EmailField):
        return f"sample{n}@example.com"
    if isinstance(field, models.URLField):
        return f"https://example.com/samples/{n}"
    if isinstance(field, models.SlugField):
        return f"sample-{n}"
    if isinstance(field, (models.CharField, models.TextField)):
        text = f"{field.name} sample {n}"
        return text[-field.max_length :] if field.max_length else text
    raise NotImplementedError(f"No sample for {field.__class__.__name__} {field.name}")


def invalid_value(field: models.Field):
    """A value the API must reject for `field`, or None when every value of
    the right JSON type is acceptable (free text without a length limit)."""
    if isinstance(field, (models.ForeignKey, models.ManyToManyField)):
        missing = 2**31 - 1
        return [missing] if isinstance(field, models.ManyToManyField) else missing
    if field.choices:
        return "NOT-A-CHOICE"
    if isinstance(field, models.BooleanField):
        return "perhaps"
    if isinstance(field, (models.IntegerField, models.DecimalField, models.FloatField)):
        low, _ = _bounds(field)
        return low - 1 if low is not None else "not-a-number"
    if isinstance(field, (models.DateField, models.DateTimeField, models.TimeField)):
        return "not-a-date"
    if isinstance(field, models.UUIDField):
        return "not-a-uuid"
    if isinstance(field, models.EmailField):
        return "not-an-email"
    if isinstance(field, models.URLField):
        return "not a url"
    if isinstance(field, models.CharField) and field.max_length:
        return "x" * (field.max_length + 1)
    return None


def link_fields(model) -> list[models.Field]:
    """The tool's links: to other records (`fk`, `m2m`) and to people."""
    fields = [model._meta.get_field(name) for name in tool_field_names(model)]
    return [field for field in fields if field.many_to_one or field.many_to_many]


def person_fields(model) -> list[models.ForeignKey]:
    """The tool's links to people (`--field name:user`)."""
    return [
        field
        for field in link_fields(model)
        if field.many_to_one and issubclass(field.related_model, User)
    ]


def record_links(model) -> list[models.Field]:
    """The tool's links to other records (`fk`, `m2m` to an entity)."""
    return [field for field in link_fields(model) if issubclass(field.related_model, Entity)]


def linked_tools(model) -> list[str]:
    """The slugs of the other tools whose records `model` links to."""
    own = tool_for_model(model).slug
    slugs = (tool_for_model(field.related_model).slug for field in record_links(model))
    return [slug for slug in dict.fromkeys(slugs) if slug != own]


def sample_data(model, n: int, given: Mapping = MappingProxyType({})) -> dict:
    """A valid create body for `model`: a name and every tool field, each
    derived from the field unless `given` names it (see `given_values`)."""
    data = {"name": f"{model._meta.verbose_name} sample {n}".capitalize()}
    for name in tool_field_names(model):
        if name not in given:
            data[name] = sample_value(model._meta.get_field(name), n)
    return {**data, **given_values(given, n)}


def given_values(given: Mapping, n: int) -> dict:
    """Sample values a test gives by field name: a value, or a callable that
    takes `n` and returns one, called for each body (so it may make what the
    value names, such as a person)."""
    return {name: value(n) if callable(value) else value for name, value in given.items()}


def create_record(model, data: dict):
    """Create a record through the model's API serializer: the same
    validation as a POST, without the HTTP round trip."""
    serializer = serializer_for(model)(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.save()


def create_sample(model, n: int, **overrides):
    return create_record(model, {**sample_data(model, n), **overrides})
