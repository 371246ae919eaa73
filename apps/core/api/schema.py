"""How entity endpoints appear in the OpenAPI schema."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_basic_type
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
    """Groups operations by tool and documents the lookup and `?fields=`."""

    def get_tags(self):
        return [str(self.view.tool.verbose_name)]

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if "{id}" in self.path:
            parameters.append(ID_PARAMETER)
        if self.method == "GET":
            parameters.append(FIELDS_PARAMETER)
        return parameters


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
