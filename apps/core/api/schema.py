"""How entity endpoints appear in the OpenAPI schema."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_basic_type, get_doc
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

    def get_description(self):
        """An operation's own docstring (or `extend_schema`), never the class
        docstring of whichever capability mixin comes first in the viewset."""
        handler = getattr(self.view, getattr(self.view, "action", None) or "", None)
        return get_doc(handler) if handler else ""

    def get_operation_id(self):
        # A route named after a file (`export.csv`) gets an id without the dot.
        return super().get_operation_id().replace(".", "_")

    def get_filter_backends(self):
        """Every read of the collection (the list, the export) takes the list's filters."""
        if self.method == "GET" and getattr(self.view, "detail", None) is False:
            return self.view.filter_backends
        return super().get_filter_backends()

    def get_response_serializers(self):
        """A capability whose responses depend on the tool's serializer (the
        bulk writes) describes them with the view's `schema_responses()`."""
        responses = getattr(self.view, "schema_responses", lambda: None)()
        return super().get_response_serializers() if responses is None else responses

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
