"""Validation of bulk bodies: every item checked, every failing item
reported by position, and a number of queries that does not grow with the
list. Related records are looked up once per field for all items
(`BatchLookupMixin`); unique fields, and `unique_together`, are checked once
per rule for all items, duplicates within the request included.

Any failure raises `BulkError`, which the API answers with a 400 whose
`errors` is a list of `{"index", "errors"}` (see `apps.core.api.bulk`).
"""

from dataclasses import dataclass
from functools import cache, reduce
from operator import or_

from django.conf import settings
from django.db import models
from django.db.models import Q
from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.fields import empty
from rest_framework.settings import api_settings
from rest_framework.validators import UniqueTogetherValidator, UniqueValidator

from apps.core.api.serializers import (
    BatchLookupMixin,
    EntityReferenceField,
    check_tag_changes,
    tag_names_field,
)
from apps.core.api.transitions import comment_field
from apps.core.api.validators import UniqueValueValidator

REQUIRED = "This field is required."
# Uniqueness validators whose check the whole list shares (the same question).
PLAIN_UNIQUE_VALIDATORS = (UniqueValidator, UniqueValueValidator)


class BulkError(Exception):
    """A bulk request refused as a whole (HTTP 400): `errors` lists the
    failing items; it is empty when the body itself is wrong."""

    def __init__(self, detail: str, code: str, errors: list | None = None):
        super().__init__(detail)
        self.detail, self.code, self.errors = detail, code, errors or []

    @classmethod
    def for_items(cls, errors: dict[int, dict], total: int) -> "BulkError":
        return cls(
            f"{len(errors)} of {total} failed; nothing was written.",
            "invalid",
            [{"index": index, "errors": errors[index]} for index in sorted(errors)],
        )

    def body(self) -> dict:
        return {"detail": self.detail, "code": self.code, "errors": self.errors}


def check_items(data, what: str = "The body"):
    """A non-empty list of at most BULK_MAX_ITEMS items, checked before any work."""
    if not isinstance(data, list):
        raise BulkError(f"{what} must be a list, not {_json_type(data)}.", "invalid_body")
    if not data:
        raise BulkError(f"{what} is an empty list; send at least one item.", "empty")
    limit = settings.BULK_MAX_ITEMS
    if len(data) > limit:
        raise BulkError(f"At most {limit} items per request; got {len(data)}.", "too_many_items")


def _by_field(detail) -> dict:
    """An item's errors by field. DRF refuses an item that is null as a
    whole, with a list; it is reported as an item of another type is, under
    `non_field_errors`."""
    return detail if isinstance(detail, dict) else {api_settings.NON_FIELD_ERRORS_KEY: detail}


def _json_type(value) -> str:
    names = {dict: "an object", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def resolve_records(field: EntityReferenceField, values: dict[int, object]):
    """The records named by `values` (position: id or public id). A value
    that names no record, or a record named before, is an error at its
    position. Returns `(records, errors)`, both by position."""
    records, errors, first = {}, {}, {}
    for index, value in values.items():
        try:
            record = field.to_internal_value(value)
        except ValidationError as exc:
            errors[index] = {"id": exc.detail}
            continue
        if record.pk in first:
            errors[index] = {"id": [f"Same record as item {first[record.pk]} of this request."]}
        else:
            first[record.pk] = index
            records[index] = record
    return records, errors


# --- Uniqueness, checked for a whole list at once ---------------------------------


@dataclass(frozen=True)
class UniqueRule:
    """A unique field (or set of fields) of the model, as one query for a batch."""

    sources: tuple[str, ...]
    queryset: models.QuerySet
    error_key: str
    message: str

    def value(self, attrs: dict, record) -> tuple | None:
        """The values an item leaves in these fields; None when it sets none
        of them (an update elsewhere) or one is null (nulls never clash)."""
        if not any(source in attrs for source in self.sources):
            return None
        value = tuple(
            _key(attrs[source] if source in attrs else getattr(record, source))
            for source in self.sources
        )
        return None if None in value else value

    def holders(self, values: set[tuple]) -> dict[tuple, object]:
        """The primary key of the stored row holding each of `values`."""
        if not values:
            return {}
        condition = reduce(or_, (Q(**dict(zip(self.sources, v, strict=True))) for v in values))
        rows = self.queryset.filter(condition).values_list(*self.sources, "pk")
        return {tuple(row[:-1]): row[-1] for row in rows}


def _key(value):
    return value.pk if isinstance(value, models.Model) else value


def take_unique_rules(serializer) -> list[UniqueRule]:
    """Move the serializer's uniqueness validators (a query per item each)
    into rules checked for the whole list. Conditional or case-insensitive
    ones stay on the serializer: correct, a query per item."""
    rules = []
    for name, field in serializer.fields.items():
        kept = []
        for validator in field.validators:
            if type(validator) in PLAIN_UNIQUE_VALIDATORS and validator.lookup == "exact":
                rules.append(
                    UniqueRule((field.source,), validator.queryset, name, str(validator.message))
                )
            else:
                kept.append(validator)
        field.validators = kept
    kept = []
    for validator in serializer.validators:
        if type(validator) is UniqueTogetherValidator and validator.condition is None:
            message = validator.message.format(field_names=", ".join(validator.fields))
            sources = tuple(serializer.fields[name].source for name in validator.fields)
            rules.append(UniqueRule(sources, validator.queryset, "non_field_errors", message))
        else:
            kept.append(validator)
    serializer.validators = kept
    return rules


def unique_errors(rules, validated: dict[int, dict], records: dict[int, object]) -> dict:
    """`{position: {field: [messages]}}` for the items whose unique values
    another item of the list, or a stored row other than their own, holds."""
    errors: dict[int, dict] = {}
    for rule in rules:
        values = {
            index: value
            for index, attrs in validated.items()
            if (value := rule.value(attrs, records.get(index))) is not None
        }
        first = {}
        for index, value in values.items():
            if value in first:
                message = f"Same as item {first[value]} of this request; must be unique."
                errors.setdefault(index, {}).setdefault(rule.error_key, []).append(message)
            else:
                first[value] = index
        holders = rule.holders(set(first))
        for index, value in values.items():
            holder = holders.get(value)
            own = records[index].pk if index in records else None
            if holder is not None and holder != own:
                errors.setdefault(index, {}).setdefault(rule.error_key, []).append(rule.message)
    return errors


# --- Serializers ------------------------------------------------------------------------


class EntityBulkSerializer(serializers.ListSerializer):
    """A list of create bodies, validated as one unit with a bounded number
    of queries; any failure raises `BulkError` listing every failing item."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unique_rules = take_unique_rules(self.child)

    def run_validation(self, data=empty):
        check_items(data)
        return super().run_validation(data)

    def to_internal_value(self, data):
        self.prefetch_related_values(data)
        records, errors = self.item_records(data)
        validated = {}
        for index, item in enumerate(data):
            if index in errors:
                continue
            self.child.instance = records.get(index)
            self.child.initial_data = item
            try:
                validated[index] = self.child.run_validation(item)
            except ValidationError as exc:
                errors[index] = _by_field(exc.detail)
        errors.update(unique_errors(self.unique_rules, validated, records))
        if errors:
            raise BulkError.for_items(errors, len(data))
        return [validated[index] for index in range(len(data))]

    def item_records(self, data) -> tuple[dict, dict]:
        """The stored record each item changes, and errors finding them: none
        when creating."""
        return {}, {}

    def prefetch_related_values(self, data):
        items = [item for item in data if isinstance(item, dict)]
        for name, field in self.child.fields.items():
            many = isinstance(field, serializers.ManyRelatedField)
            relation = field.child_relation if many else field
            if field.read_only or not isinstance(relation, BatchLookupMixin):
                continue
            values = [item[name] for item in items if name in item]
            if many:
                values = [v for value in values if isinstance(value, list) for v in value]
            relation.prefetch(values)


class EntityBulkUpdateSerializer(EntityBulkSerializer):
    """A list of `{"id": …, …fields}` changes, each applied like a PATCH."""

    def item_records(self, data):
        objects = {index: item for index, item in enumerate(data) if isinstance(item, dict)}
        records, errors = resolve_records(
            self.child.fields["id"],
            {index: item["id"] for index, item in objects.items() if "id" in item},
        )
        errors.update(
            {index: {"id": [REQUIRED]} for index, item in objects.items() if "id" not in item}
        )
        return records, errors


# The tag changes a bulk update item may hold beside its fields.
TAG_CHANGES = ("add_tags", "remove_tags")
# What else an item may hold that is not the record's: its tag changes and its comment.
ITEM_EXTRAS = (*TAG_CHANGES, "comment")


class BulkUpdateItemMixin:
    """One item of a bulk update: the record's `id`, the fields to change,
    tags to add and to remove (`add_tags`, `remove_tags`), which keep the
    record's other tags, as `…/bulk/tags/` does (`tags` replaces them all,
    so it is not taken with them), and a `comment`, as the transition
    endpoint takes one."""

    # The tool's own serializer, which the item extends.
    record_serializer_class = None

    def get_fields(self):
        fields = super().get_fields()
        for name, field in fields.items():
            field.required = name == "id"
        fields["add_tags"] = tag_names_field(
            required=False, help_text="Tag names the record gets, if it has not."
        )
        fields["remove_tags"] = tag_names_field(
            required=False, help_text="Tag names the record loses, if it has them."
        )
        fields["comment"] = comment_field(
            help_text="Why; stored on the record's audit entry of this change and given to "
            "the transition's guard, as the transition endpoint's `comment`."
        )
        return fields

    def validate(self, attrs):
        extras = {name: attrs.pop(name) for name in ITEM_EXTRAS if name in attrs}
        changes = {name: extras[name] for name in TAG_CHANGES if name in extras}
        if changes and "tag_names" in attrs:
            message = "Not with tags, which replaces all the record's tags: send one or the other."
            raise ValidationError({name: [message] for name in changes})
        check_tag_changes(
            changes.get("add_tags", []),
            changes.get("remove_tags", []),
            add_field="add_tags",
            remove_field="remove_tags",
        )
        return {**super().validate(attrs), **extras}


@cache
def bulk_update_item_serializer(serializer_class):
    """The tool's serializer with a required `id` (id or public id) naming
    the record, and every other field optional, as in a PATCH."""
    model = serializer_class.Meta.model
    name = f"{model.__name__}BulkUpdateItemSerializer"
    return type(
        name,
        (BulkUpdateItemMixin, serializer_class),
        {
            "id": EntityReferenceField(
                queryset=model.objects.all(), help_text="The record's id or public id."
            ),
            "record_serializer_class": serializer_class,
            "__doc__": BulkUpdateItemMixin.__doc__,
            "__module__": __name__,
            "__qualname__": name,
        },
    )


class BulkUpdateItemExtension(OpenApiSerializerExtension):
    """In OpenAPI a bulk update item is the tool's PATCH body plus a required
    `id`, the tag changes and the comment, so the two never drift apart (and share their
    enums)."""

    target_class = BulkUpdateItemMixin
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        item = self.target
        patch_body = auto_schema.resolve_serializer(
            item.record_serializer_class(partial=True), direction
        )
        properties = {}
        for name in ("id", *ITEM_EXTRAS):
            properties[name] = auto_schema._map_serializer_field(item.fields[name], direction)
            auto_schema._insert_field_validators(item.fields[name], properties[name])  # maxItems
        return {
            "allOf": [
                patch_body.ref,
                {"type": "object", "properties": properties, "required": ["id"]},
            ]
        }
