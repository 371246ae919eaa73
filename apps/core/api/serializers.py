"""The entity serializer every tool's API is built from.

A tool overrides it by subclassing `EntitySerializer` in its `api.py` with
`Meta.model` set; otherwise `apps.core.api.registry` derives one.
"""

from django.db import models
from rest_framework import serializers

from apps.core import services
from apps.core.models import Entity

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
READ_ONLY_FIELDS = (
    "public_id",
    "created_at",
    "updated_at",
    "created_by",
    "updated_by",
    "archived_at",
)


class UserSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)


class EntityReferenceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    public_id = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class EntityReferenceField(serializers.RelatedField):
    """A link to another entity: written as its id or public id, read as
    `{id, public_id, name}` so a client can show it without a second call."""

    default_error_messages = {
        "does_not_exist": "No {model} with id {value!r}.",
        "incorrect_type": "Expected an id or a public id, got {data_type}.",
    }

    def to_internal_value(self, data):
        queryset = self.get_queryset()
        if isinstance(data, bool) or not isinstance(data, (int, str)):
            self.fail("incorrect_type", data_type=type(data).__name__)
        lookup = {"pk": int(data)} if str(data).isdigit() else {"public_id": str(data).upper()}
        try:
            return queryset.get(**lookup)
        except queryset.model.DoesNotExist:
            self.fail("does_not_exist", model=queryset.model._meta.verbose_name, value=data)

    def to_representation(self, value):
        return {"id": value.pk, "public_id": value.public_id, "name": value.name}


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


class EntitySerializer(StrictFieldsMixin, serializers.ModelSerializer):
    tags = serializers.ListField(
        child=serializers.CharField(max_length=64),
        source="tag_names",
        required=False,
        max_length=50,
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

    def _select_requested_fields(self):
        """`?fields=a,b` returns only those fields."""
        request = self.context.get("request")
        if request is None or "fields" not in request.query_params or self.parent is not None:
            return
        wanted = [f.strip() for f in request.query_params["fields"].split(",") if f.strip()]
        unknown = sorted(set(wanted) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {"fields": [f"Unknown field(s): {', '.join(unknown)}."]}
            )
        for name in set(self.fields) - set(wanted):
            self.fields.pop(name)

    def build_relational_field(self, field_name, relation_info):
        field_class, kwargs = super().build_relational_field(field_name, relation_info)
        if issubclass(relation_info.related_model, Entity):
            kwargs.pop("view_name", None)
            return EntityReferenceField, kwargs
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
