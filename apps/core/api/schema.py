"""How entity endpoints appear in the OpenAPI schema."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_basic_type, list_hash
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

ID_PARAMETER = OpenApiParameter(
    "id",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The record's numeric id (`42`) or public id (`CMP-0001`).",
)
FIELDS_PARAMETER = OpenApiParameter(
    "fields",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    description="Comma-separated field names: return only these fields.",
)


class EntityAutoSchema(AutoSchema):
    """Groups operations by tool, documents the lookup and `?fields=`, and
    gives each entity its own enums."""

    def get_tags(self):
        return [str(self.view.tool.verbose_name)]

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if "{id}" in self.path:
            parameters.append(ID_PARAMETER)
        if self.method == "GET":
            parameters.append(FIELDS_PARAMETER)
        return parameters

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        """drf-spectacular names enums by field name and shares one enum among
        fields with the same choices, so two tools with a `size` of different
        values, or the default workflow in many tools, leave it guessing
        (warnings, hash-suffixed names). Owning the choice set by its entity
        names it after the entity when the name is shared (`LabAssetSizeEnum`)
        and keeps one tool's enums independent of the others'."""
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        enum = (schema or {}).get("items", schema)
        if isinstance(enum, dict) and "x-spec-enum-id" in enum:
            owner = [self.view.model._meta.label, field.field_name, enum["x-spec-enum-id"]]
            enum["x-spec-enum-id"] = list_hash(owner)
        return schema


class EntityReferenceFieldExtension(OpenApiSerializerFieldExtension):
    """Written as an id or a public id; read as `{id, public_id, name}`."""

    target_class = "apps.core.api.serializers.EntityReferenceField"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {
                "oneOf": [
                    build_basic_type(OpenApiTypes.INT),
                    {**build_basic_type(OpenApiTypes.STR), "example": "CMP-0001"},
                ]
            }
        from apps.core.api.serializers import EntityReferenceSerializer

        return auto_schema.resolve_serializer(EntityReferenceSerializer, direction).ref
