"""The entity serializer every tool's API is built from.

A tool overrides it by subclassing `EntitySerializer` in its `api.py` with
`Meta.model` set; otherwise `apps.core.api.registry` derives one.
"""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS
from rest_framework.relations import MANY_RELATION_KWARGS
from rest_framework.validators import UniqueValidator

from apps.core import services
from apps.core.api.field_copies import copy_fields
from apps.core.api.permissions import link_refusal
from apps.core.api.read_plan import ReadPlan, reads_alike_for_everyone, shared_plan
from apps.core.api.validators import UniqueValueValidator
from apps.core.db import json_texts
from apps.core.models import Entity, Tag, User
from apps.core.models.entity import value_taken_message
from apps.core.models.ids import PUBLIC_ID_PATTERN, parse_id
from apps.core.models.tags import MAX_TAGS_PER_RECORD, tag_key

BASE_FIELDS = (
    "id",
    "public_id",
    "name",
    "description",
    "status",
    "category",
    "tags",
    "created_at",
    "updated_at",
    "created_by",
    "updated_by",
    "archived_at",
)
READ_ONLY_FIELDS = tuple(name for name in BASE_FIELDS if name in Entity.BOOKKEEPING_FIELDS)


class UserSummarySerializer(serializers.Serializer):
    """A person wherever the API shows one: a record's authors and people,
    an audit entry's actor, a saved view's owner, `/api/v1/users/`."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)
    is_active = serializers.BooleanField(
        read_only=True,
        help_text=(
            "False for a deactivated person (someone who left): still named on what "
            "they did, but not to be chosen again."
        ),
    )


def user_summary(user) -> dict:
    """`UserSummarySerializer`'s output, for a field that reads a person itself."""
    return {"id": user.pk, "name": user.display_name, "is_active": user.is_active}


class RevertedEntrySerializer(serializers.Serializer):
    """The audit entry a revert undid, as its entry keeps it (`AuditEntry.reverted`)."""

    id = serializers.IntegerField(read_only=True, help_text="The reverted entry's id.")
    timestamp = serializers.DateTimeField(read_only=True, help_text="When its change was made.")
    actor_label = serializers.CharField(
        read_only=True, help_text="Who made it, as the entry names them; empty for no one."
    )

    def to_representation(self, instance):
        # Kept as JSON: the time is ISO 8601 text, written out as every time the API writes.
        return super().to_representation(
            {**instance, "timestamp": datetime.datetime.fromisoformat(instance["timestamp"])}
        )


REVERTED_HELP = (
    "For a revert: the entry it undid (its id, time and actor's name), which `comment` says in "
    "words with the time in UTC; null for any other change."
)


class EntityReferenceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    public_id = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


# A many-to-many field takes at most this many linked records (a 400 naming it beyond).
MAX_LINKS = 100


class LinksField(serializers.ManyRelatedField):
    """A many-to-many field: a list of at most `MAX_LINKS` links, whose
    records are found in one query for the whole list (or, in a bulk
    request, for every item's lists at once) rather than one per value.
    Each refused value is named by its position in the list, as DRF's
    `ListField` names them (`{"instruments": {"1": ["No component with id
    99."]}}`), so a client can mark the wrong one; every value is checked,
    not only up to the first refused. A value that is no list is refused
    as a whole."""

    default_error_messages = {
        "max_links": f"Ensure this field has no more than {MAX_LINKS} elements.",
    }
    max_length = MAX_LINKS  # the list's, as a list field's (the manifest shows it)

    def to_internal_value(self, data):
        if isinstance(data, str) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        data = list(data)
        if not self.allow_empty and not data:
            self.fail("empty")
        if len(data) > self.max_length:
            self.fail("max_links")
        if not self.child_relation.prefetched:
            self.child_relation.prefetch(data)
        values, errors = [], {}
        for index, item in enumerate(data):
            try:
                values.append(self.child_relation.to_internal_value(item))
            except serializers.ValidationError as exc:
                errors[index] = exc.detail
        if errors:
            raise serializers.ValidationError(errors)
        return values


class BatchLookupMixin:
    """A related field whose values are looked up all at once: a bulk
    request's for all its items (see `apps.core.api.bulk`), a many-to-many
    field's for its list (`LinksField`). `prefetch()` finds every value
    given in one query, and the field then answers from what was found.
    Without it, each value is one query, as with any related field."""

    _found: dict | None = None

    @classmethod
    def many_init(cls, *args, **kwargs):
        """`many=True` (a many-to-many field) makes a `LinksField` of it."""
        options = {key: value for key, value in kwargs.items() if key in MANY_RELATION_KWARGS}
        return LinksField(child_relation=cls(*args, **kwargs), **options)

    @property
    def prefetched(self) -> bool:
        return self._found is not None

    def lookup_key(self, data) -> tuple[str, object]:
        """`(attribute, value)` to find `data` by; fails on a value of the wrong type."""
        raise NotImplementedError

    def prefetch(self, values):
        keys = set()
        for value in values:
            try:
                keys.add(self.lookup_key(value))
            except serializers.ValidationError:
                continue  # reported when the item is validated
        self._found = self._find_many(keys)

    def find(self, data):
        """The related object `data` names, or None."""
        key = self.lookup_key(data)
        found = self._found if self._found is not None else self._find_many({key})
        return found.get(key)

    def _find_many(self, keys) -> dict:
        by_attribute = {}
        for attribute, value in keys:
            by_attribute.setdefault(attribute, set()).add(value)
        if not by_attribute:
            return {}
        condition = Q()
        for attribute, values in by_attribute.items():
            condition |= Q(**{f"{attribute}__in": values})
        return {
            (attribute, getattr(obj, attribute)): obj
            for obj in self.get_queryset().filter(condition)
            for attribute in by_attribute
        }


class EntityReferenceField(BatchLookupMixin, serializers.RelatedField):
    """A link to another entity: written as its id or public id, read as
    `{id, public_id, name}` so a client can show it without a second call.
    Written only by a caller who may read the linked tool: any other value
    is refused as any other would be, before it is looked up (`link_refusal`),
    so the answer never tells which records exist."""

    default_error_messages = {
        "does_not_exist": "No {model} with id {value!r}.",
        "incorrect_type": "Expected an id or a public id, got {data_type}.",
    }

    def lookup_key(self, data):
        model = self.get_queryset().model
        request = self.context.get("request")
        if refusal := link_refusal(getattr(request, "auth", None), model, "link"):
            raise serializers.ValidationError(refusal, code="permission_denied")
        if isinstance(data, bool) or not isinstance(data, (int, str)):
            self.fail("incorrect_type", data_type=type(data).__name__)
        text = str(data).strip().upper()
        if (number := parse_id(text)) is not None:
            return ("pk", number)
        if PUBLIC_ID_PATTERN.fullmatch(text):
            return ("public_id", text)
        # Neither an id nor a public id: no record has it (not worth a query).
        self.fail("does_not_exist", model=model._meta.verbose_name, value=data)

    def to_internal_value(self, data):
        found = self.find(data)
        if found is None:
            model = self.get_queryset().model
            self.fail("does_not_exist", model=model._meta.verbose_name, value=data)
        return found

    @reads_alike_for_everyone
    def to_representation(self, value):
        return {"id": value.pk, "public_id": value.public_id, "name": value.name}


class PrimaryKeyReferenceField(BatchLookupMixin, serializers.PrimaryKeyRelatedField):
    """A link to a record that is not an entity (a user, say), by primary key.
    An integer key is a whole number (or its digits as text): `1.5` is refused,
    never read as 1, and a number beyond 64 bits names no record (no query)."""

    def lookup_key(self, data):
        if self.pk_field is not None:
            data = self.pk_field.to_internal_value(data)
        if isinstance(data, bool):
            self.fail("incorrect_type", data_type=type(data).__name__)
        pk = self.get_queryset().model._meta.pk
        if isinstance(pk, models.IntegerField):  # the auto fields too: their subclasses
            return ("pk", self._integer_key(data))
        try:
            return ("pk", pk.to_python(data))
        except (DjangoValidationError, TypeError):
            self.fail("incorrect_type", data_type=type(data).__name__)

    def _integer_key(self, data) -> int:
        text = str(data).strip() if isinstance(data, (int, str)) else ""
        if not (text.isascii() and text.lstrip("-").isdigit()):
            self.fail("incorrect_type", data_type=type(data).__name__)
        number = parse_id(text)
        if number is None:  # zero, negative or beyond 64 bits: no record has it
            self.fail("does_not_exist", pk_value=data)
        return number

    def to_internal_value(self, data):
        found = self.find(data)
        if found is None:
            self.fail_not_found(data)
        return found

    def fail_not_found(self, data):
        self.fail("does_not_exist", pk_value=data)


class UserReferenceField(PrimaryKeyReferenceField):
    """A link to a person (a `ForeignKey` to the user model): written as the
    user's id, read as `{id, name, is_active}`, as a record's authors are.
    Only an active user can be chosen (a deactivated one is a 400 saying
    so); the one a record already names stays acceptable (a PATCH or PUT
    sends it back unchanged) after they are deactivated."""

    default_error_messages = {
        "does_not_exist": "No user with id {pk_value}.",
        "deactivated": (
            "{name} (user {pk_value}) is deactivated and cannot be chosen; choose an active person."
        ),
        "incorrect_type": "Expected a user id (a whole number), got {data_type}.",
    }

    def __init__(self, **kwargs):
        if kwargs.get("queryset") is not None:
            kwargs["queryset"] = kwargs["queryset"].filter(is_active=True)
        super().__init__(**kwargs)

    def use_pk_only_optimization(self):
        return False

    def to_internal_value(self, data):
        current = self._current_user()
        if current is not None and self.lookup_key(data) == ("pk", current.pk):
            return current
        return super().to_internal_value(data)

    def fail_not_found(self, data):
        """A deactivated person is refused as such (a query, only when refusing)."""
        _, pk = self.lookup_key(data)
        inactive = self.get_queryset().model._default_manager.filter(pk=pk, is_active=False).first()
        if inactive is not None:
            self.fail("deactivated", name=inactive.display_name, pk_value=pk)
        super().fail_not_found(data)

    def _current_user(self):
        instance = getattr(self.parent, "instance", None)
        return getattr(instance, self.source, None) if isinstance(instance, models.Model) else None

    @reads_alike_for_everyone
    def to_representation(self, value):
        return user_summary(value)


PROHIBIT_NULL_CHARACTERS = ProhibitNullCharactersValidator()

# Invisible characters that make two different texts look alike, or reorder
# what is shown ("BIDI-1\u202e"): bidirectional embeddings, overrides and
# isolates (U+202A-U+202E, U+2066-U+2069), zero-width space and (non-)joiners
# (U+200B-U+200D) and the zero-width no-break space (U+FEFF).
INVISIBLE_FORMAT_CHARACTERS = re.compile("[\u202a-\u202e\u2066-\u2069\u200b-\u200d\ufeff]")


def no_invisible_format_characters(value):
    """A single-line text (a name, an identifier, a tag) holds none of
    `INVISIBLE_FORMAT_CHARACTERS`: a unique value and its look-alike could
    not both be kept. Long text may (right-to-left writing, emoji sequences)."""
    found = INVISIBLE_FORMAT_CHARACTERS.search(value) if isinstance(value, str) else None
    if found:
        character = found.group()
        raise serializers.ValidationError(
            f"Remove the invisible character U+{ord(character):04X} "
            f"({unicodedata.name(character)}): a single-line text may hold no "
            "bidirectional controls or zero-width characters."
        )


def no_null_characters(value):
    """A JSON value's strings (keys included) hold no NUL: PostgreSQL's jsonb
    cannot store one, and text fields refuse it too (Django's validator), on
    every database."""
    for text in json_texts(value):
        PROHIBIT_NULL_CHARACTERS(text)


class StrictFieldsMixin:
    """Reject write bodies naming fields the serializer does not know, so a
    typo is a 400 instead of a silently ignored value. Read-only fields a
    client sends back unchanged are accepted and ignored."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        return super().to_internal_value(data)


def requested_fields(request) -> list[str] | None:
    """The field names `?fields=a,b` asks for, in order; None without it."""
    if request is None or "fields" not in request.query_params:
        return None
    return [name.strip() for name in request.query_params["fields"].split(",") if name.strip()]


def tag_names_field(**kwargs) -> serializers.ListField:
    """A list of tag names, checked as a record's `tags` are: wherever a
    request names tags (a record's body, bulk tagging), the same rules."""
    return serializers.ListField(
        child=serializers.CharField(
            max_length=Tag._meta.get_field("name").max_length,
            validators=[no_invisible_format_characters],
        ),
        max_length=MAX_TAGS_PER_RECORD,
        **kwargs,
    )


def check_tag_changes(added, removed, *, add_field: str, remove_field: str):
    """Tags to add and tags to remove (as `tag_names_field()` validates them):
    a name in both, in any case, is refused under `remove_field`."""
    keys = {tag_key(name) for name in added}
    both = [name for name in removed if tag_key(name) in keys]
    if both:
        raise serializers.ValidationError(
            {
                remove_field: [
                    f"“{name}” is also in {add_field}: a tag cannot be both added and removed."
                    for name in both
                ]
            }
        )


class EntitySerializer(StrictFieldsMixin, serializers.ModelSerializer):
    serializer_related_field = PrimaryKeyReferenceField

    tags = tag_names_field(
        source="tag_names",
        required=False,
        help_text="Tag names; tags are shared across tools and matched case-insensitively.",
    )
    created_by = UserSummarySerializer(read_only=True, allow_null=True)
    updated_by = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Entity
        fields = BASE_FIELDS
        read_only_fields = READ_ONLY_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._select_requested_fields()

    def get_fields(self):
        """ModelSerializer builds every field from the model again for each
        serializer; what it builds depends only on the class. Built once per
        class, then copied for each serializer (`field_copies`)."""
        cls = type(self)
        prototypes = cls.__dict__.get("_field_prototypes")
        if prototypes is None:
            prototypes = cls._field_prototypes = super().get_fields()
        return copy_fields(prototypes)

    # The fields `?fields=` leaves in a write's response (None: all of them).
    response_fields: frozenset[str] | None = None

    def _select_requested_fields(self):
        """`?fields=a,b` returns only those fields. It shapes the response
        only: a write still takes and validates every field of its body."""
        request = self.context.get("request")
        wanted = requested_fields(request)
        if wanted is None or self.parent is not None:
            return
        if not wanted:
            raise serializers.ValidationError(
                {"fields": ["Name at least one field, or leave fields out for all of them."]}
            )
        unknown = sorted(set(wanted) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {"fields": [f"Unknown field(s): {', '.join(unknown)}."]}
            )
        if request.method not in SAFE_METHODS:
            self.response_fields = frozenset(wanted)
            return
        for name in set(self.fields) - set(wanted):
            self.fields.pop(name)

    def is_valid(self, *, raise_exception=False):
        self._fields_built_before_validation = "fields" in self.__dict__
        return super().is_valid(raise_exception=raise_exception)

    @property
    def fields_chosen(self) -> bool:
        """Whether this serializer's fields may differ from its class's: built
        before anything needed them (while it was made, by a subclass), not by
        the validation of a write's body."""
        return self.__dict__.get("_fields_built_before_validation", "fields" in self.__dict__)

    def to_representation(self, instance):
        return self.read_plan.read(instance)

    @cached_property
    def read_plan(self) -> ReadPlan:
        """How this serializer reads records. The class's shared plan when the
        class alone decides the fields — all of them, none chosen by `?fields=`
        or while it was made, no `get_fields()` of a subclass — otherwise one
        of its own, made on the first record."""
        cls = type(self)
        if (
            self.response_fields is None
            and not self.fields_chosen
            and cls.get_fields is EntitySerializer.get_fields
        ):
            plan = shared_plan(cls, self.Meta.model)
            if plan is not None:
                return plan
        return ReadPlan(self, self.Meta.model, only=self.response_fields)

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if "validators" in kwargs:
            kwargs["validators"] = [
                UniqueValueValidator.replacing(v, value_taken_message(model_field))
                if type(v) is UniqueValidator
                else v
                for v in kwargs["validators"]
            ]
        if isinstance(model_field, models.JSONField):
            kwargs["validators"] = [*kwargs.get("validators", []), no_null_characters]
        if isinstance(model_field, models.CharField):
            kwargs["validators"] = [*kwargs.get("validators", []), no_invisible_format_characters]
        return field_class, kwargs

    def build_relational_field(self, field_name, relation_info):
        field_class, kwargs = super().build_relational_field(field_name, relation_info)
        if issubclass(relation_info.related_model, Entity):
            kwargs.pop("view_name", None)
            return EntityReferenceField, kwargs
        if issubclass(relation_info.related_model, User) and not relation_info.to_many:
            return UserReferenceField, kwargs
        return field_class, kwargs

    def create(self, validated_data):
        return services.create_entity(self.Meta.model, validated_data, grants=self.caller_grants)

    def update(self, instance, validated_data):
        if not self.partial:
            validated_data = {**self.values_for_omitted_fields(), **validated_data}
        return services.update_entity(instance, validated_data, grants=self.caller_grants)

    @property
    def caller_grants(self):
        """The caller's permissions, for the admin-only transitions; None
        outside a request (trusted code)."""
        return getattr(self.context.get("request"), "auth", None)

    def values_for_omitted_fields(self) -> dict:
        """PUT replaces the record: a writable field left out of the body goes
        back to its default. Status is the exception: it only moves through
        the workflow."""
        model = self.Meta.model
        values = {}
        for field in self._writable_fields:
            source = field.source
            if source == "status":
                continue
            if source == "tag_names":
                values[source] = []
                continue
            model_field = model._meta.get_field(source)
            values[source] = [] if model_field.many_to_many else model_field.get_default()
        return values


ENTITY_BASE_FIELDS = frozenset({f.name for f in Entity._meta.local_fields} | {"id", "tags"})


def tool_field_names(model) -> list[str]:
    """The fields a tool adds to the entity base, in declaration order."""
    return [
        f.name
        for f in model._meta.get_fields()
        if f.name not in ENTITY_BASE_FIELDS
        and not f.auto_created
        and (f.concrete or isinstance(f, models.ManyToManyField))
    ]
