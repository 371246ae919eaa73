"""How the API appears in the OpenAPI schema: every operation with the error
responses it can give, in the one error shape (`ApiAutoSchema`, the default),
and entity endpoints grouped by tool, with the lookup, `?fields=` and the
conditional-request headers (`EntityAutoSchema`)."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_basic_type, get_doc, list_hash
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated

from apps.core.api.enum_names import enum_owner
from apps.core.api.serializers import EntitySerializer

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
IF_MATCH_PARAMETER = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=(
        "The record's ETag from your last read: the write is refused with 412 if the "
        "record has changed since. Required (else 428) when the deployment sets "
        "API_REQUIRE_IF_MATCH."
    ),
)
IF_NONE_MATCH_PARAMETER = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="An ETag you hold: 304 with no body while the record still has it.",
)
ETAG_HEADER = {
    "ETag": {
        "schema": {"type": "string", "example": '"42-3"'},
        "description": "The record's version, for If-Match and If-None-Match.",
    }
}
RETRY_AFTER_HEADER = {
    "Retry-After": {
        "schema": {"type": "integer", "example": 5},
        "description": "Seconds to wait before trying again.",
    }
}

ERROR_RESPONSES = {
    400: "Invalid input: `errors` names each field or query parameter at fault, and why.",
    401: "No or invalid credentials.",
    403: "The caller lacks the permission this needs; `detail` names it.",
    404: "No such record.",
    409: (
        "The record's current state does not allow it; `code` says why: "
        "`transition_not_allowed` (with `allowed`), `transition_vetoed`, `not_archived`, "
        "`nothing_to_revert`, `not_revertible`, `revert_conflict` (with `errors` by field), "
        "`already_linked`, `conflict`."
    ),
    412: "If-Match no longer matches: the record has changed. Its current ETag is in `ETag`.",
    413: "The body is larger than the server accepts (`DATA_UPLOAD_MAX_MEMORY_SIZE`).",
    428: "This deployment requires If-Match on writes to a record.",
    429: "Too many requests; retry after the seconds in `Retry-After`.",
    503: (
        "The database or the shared cache could not serve the request; `code` says why: "
        "`database_timeout` (a query ran past the statement timeout), `database_busy` (a "
        "deadlock or lock conflict; retry after `Retry-After`) — both changed nothing — "
        "`database_unavailable` or `cache_unavailable` (retry after `Retry-After`)."
    ),
}


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {
            "oneOf": [
                {"type": "array", "items": {"type": "string"}},
                {"type": "object", "description": "Errors inside a nested value, by key."},
            ]
        },
        "example": {"name": ["This field may not be blank."]},
    }
)
class FieldErrorsField(serializers.DictField):
    pass


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API."""

    detail = serializers.CharField(help_text="What went wrong, for a person.")
    code = serializers.CharField(help_text="What went wrong, for a program: `invalid`, …")
    errors = FieldErrorsField(help_text="Messages by field; empty unless fields are at fault.")
    allowed = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="With `transition_not_allowed`: the statuses the record can move to now.",
    )


class ApiAutoSchema(AutoSchema):
    """Every API operation documents the errors it can answer, in the one
    error shape: every caller must be signed in (401) and is rate-limited
    (429), and any may find the database or the shared cache unable to
    serve it (503); an operation that takes query parameters refuses bad
    ones (400);
    one guarded by more than sign-in refuses callers without the
    permission (403); one whose path names an object may not find it (404)."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        error = {
            "application/json": {"schema": self.resolve_serializer(ErrorSerializer, "response").ref}
        }
        for code in self.error_statuses(operation):
            response = {"description": ERROR_RESPONSES[code], "content": error}
            if code == 412:
                response["headers"] = ETAG_HEADER
            declared = operation["responses"].setdefault(str(code), response)
            if code in (429, 503):  # an operation's own 503 may be retried too
                declared.setdefault("headers", RETRY_AFTER_HEADER)
        return operation

    def error_statuses(self, operation: dict) -> list[int]:
        codes = [401, 429, 503]
        if any(parameter["in"] == "query" for parameter in operation.get("parameters", [])):
            codes.append(400)
        if any(p is not IsAuthenticated for p in self.view.permission_classes):
            codes.append(403)
        if any(parameter["in"] == "path" for parameter in operation.get("parameters", [])):
            codes.append(404)
        return sorted(set(codes))


class StrictQueryAutoSchema(ApiAutoSchema):
    """For a view that refuses an unknown query parameter on every operation:
    each declares the 400, whether or not it takes parameters."""

    def error_statuses(self, operation: dict) -> list[int]:
        return sorted({*super().error_statuses(operation), 400})


class EntityAutoSchema(ApiAutoSchema):
    """Groups operations by tool, documents the lookup, `?fields=`,
    conditional requests and error responses once for every entity, and
    gives each entity its own enums."""

    def get_tags(self):
        return [str(self.view.tool.verbose_name)]

    @property
    def is_detail(self) -> bool:
        return "{id}" in self.path

    @property
    def is_write(self) -> bool:
        return self.method not in SAFE_METHODS

    def returns_record(self) -> bool:
        """Whether the operation answers one record (and so its ETag)."""
        serializer = self.get_response_serializers()
        serializer_class = serializer if isinstance(serializer, type) else type(serializer)
        return issubclass(serializer_class, EntitySerializer) and self.view.action != "list"

    def carries_etag(self) -> bool:
        """Whether the operation's 200 carries the record's ETag: it answers
        the record, or what a write to it would do (a serializer marked
        `carries_record_etag`, declared as the 200 of its responses)."""
        responses = self.get_response_serializers()
        answer = responses.get(200) if isinstance(responses, dict) else responses
        return self.returns_record() or getattr(answer, "carries_record_etag", False)

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
        if self.is_detail:
            parameters.append(ID_PARAMETER)
        if self.method == "GET" and (self.returns_record() or self.view.detail is False):
            parameters.append(FIELDS_PARAMETER)
        if self.is_detail and self.is_write:
            parameters.append(IF_MATCH_PARAMETER)
        if self.is_detail and self.method == "GET" and self.returns_record():
            parameters.append(IF_NONE_MATCH_PARAMETER)
        return parameters

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        """drf-spectacular names enums by field name and shares one enum among
        fields with the same choices, so two tools with a `size` of different
        values, or the default workflow in many tools, leave it guessing
        (warnings, hash-suffixed names). Each entity owns its fields' choice
        sets, named `<Entity><Field>Enum` (`LabAssetSizeEnum`, see
        `apps.core.api.enum_names`), so one tool's enums never depend on
        another's, nor on the entity's name."""
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        enum = (schema or {}).get("items", schema)
        if isinstance(enum, dict) and "x-spec-enum-id" in enum:
            enum["x-spec-enum-id"] = list_hash(enum_owner(self.view.model, field.field_name))
        return schema

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None or not self.carries_etag():
            return operation
        responses = operation["responses"]
        for code in ("200", "201"):
            if code in responses:
                responses[code].setdefault("headers", {}).update(ETAG_HEADER)
        if self.method == "GET" and self.returns_record():
            responses.setdefault(
                "304",
                {"description": "Not modified: If-None-Match holds the current ETag."}
                | {"headers": ETAG_HEADER},
            )
        return operation

    def error_statuses(self, operation: dict) -> list[int]:
        """Every entity endpoint validates its query parameters (400) and is
        guarded (401, 403, 429); records are looked up (404); writes may
        conflict with the record's state (409) and have a body too large (413);
        any may find the database or the shared cache unable to serve it (503);
        writes to one record honour If-Match (412, 428). An operation's own
        declaration of a status wins."""
        codes = [400, 401, 403, 429, 503]
        if self.is_detail:
            codes.append(404)
        if self.is_write:
            codes += [409, 413]
        if self.is_write and self.is_detail:
            codes += [412, 428]
        return sorted(codes)


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


class UserReferenceFieldExtension(OpenApiSerializerFieldExtension):
    """Written as a user's id; read as `{id, name}`, as a record's authors are."""

    target_class = "apps.core.api.serializers.UserReferenceField"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {**build_basic_type(OpenApiTypes.INT), "description": "An active user's id."}
        from apps.core.api.serializers import UserSummarySerializer

        return auto_schema.resolve_serializer(UserSummarySerializer, direction).ref


class LinksFieldExtension(OpenApiSerializerFieldExtension):
    """A many-to-many field: a list of links, at most `MAX_LINKS` in a request."""

    target_class = "apps.core.api.serializers.LinksField"

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema["maxItems"] = self.target.max_length
        return schema
