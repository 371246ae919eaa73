"""`GET /api/v1/tools/`: what the front end needs to render every tool.

The manifest lists the tools the caller may read and, for each entity, its
fields (as the API reads and writes them), filters, statuses, transitions
and default ordering — so the React app renders any tool with no per-tool
code. Each tool's part is derived from code, so it is built and rendered
once per process and only the caller's permissions are applied per request.
"""

import hashlib
from functools import cache

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.text import capfirst
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.json import JSONRenderer, dumps
from apps.core.api.permissions import HasGrants
from apps.core.api.registry import filterset_for, serializer_for
from apps.core.api.serializers import EntityReferenceField, UserReferenceField
from apps.core.integrations import linear
from apps.core.models import Entity
from apps.core.permissions import Grants
from apps.core.tools import installed_tools

# --- The shape, for OpenAPI and for building ----------------------------------------------


class ChoiceManifestSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class RelationManifestSerializer(serializers.Serializer):
    entity = serializers.CharField(help_text="`<tool>.<entity>` of the linked records.")
    api_path = serializers.CharField(allow_null=True)
    many = serializers.BooleanField()


class FieldManifestSerializer(serializers.Serializer):
    name = serializers.CharField()
    type = serializers.ChoiceField(
        choices=[
            "string", "text", "integer", "decimal", "number", "boolean", "date", "datetime",
            "time", "email", "url", "uuid", "json", "choice", "relation", "tags", "user",
        ]
    )  # fmt: skip
    label = serializers.CharField()
    help_text = serializers.CharField(allow_blank=True)
    required = serializers.BooleanField()
    read_only = serializers.BooleanField()
    nullable = serializers.BooleanField()
    max_length = serializers.IntegerField(allow_null=True)
    unique = serializers.BooleanField(help_text="No two records may hold the same value.")
    min = serializers.CharField(allow_null=True, help_text="Smallest value, as a string.")
    max = serializers.CharField(allow_null=True, help_text="Largest value, as a string.")
    decimal_places = serializers.IntegerField(allow_null=True)
    choices = ChoiceManifestSerializer(many=True, allow_null=True)
    default = serializers.JSONField(allow_null=True)
    relation = RelationManifestSerializer(allow_null=True)
    filter_lookups = serializers.ListField(
        child=serializers.CharField(),
        help_text="Query parameters: `field` for exact, `field__<lookup>` for the others.",
    )
    sortable = serializers.BooleanField()


class StatusManifestSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    color = serializers.CharField()
    locked = serializers.BooleanField(
        required=False,  # always sent; optional only for clients written before it
        help_text="A record in this status keeps its fields: only the tool's admins may "
        "edit them (409 `record_locked` for others). Moving it on is open as the "
        "transitions say.",
    )


class TransitionManifestSerializer(serializers.Serializer):
    source = serializers.CharField()
    target = serializers.CharField()
    admin_only = serializers.BooleanField()


class SearchedFieldManifestSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()


class EntityManifestSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="`<tool>.<entity>`")
    label = serializers.CharField()
    label_plural = serializers.CharField()
    api_path = serializers.CharField()
    id_prefix = serializers.CharField()
    fields = FieldManifestSerializer(many=True)
    filters = serializers.ListField(
        child=serializers.CharField(), help_text="Every list query parameter."
    )
    searched_fields = SearchedFieldManifestSerializer(
        many=True, help_text="The fields `?search=` looks in, in order, with their labels."
    )
    statuses = StatusManifestSerializer(many=True)
    initial_status = serializers.CharField()
    archived_status = serializers.CharField()
    transitions = TransitionManifestSerializer(many=True)
    default_ordering = serializers.ListField(child=serializers.CharField())


class ToolManifestSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    icon = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    api_path = serializers.CharField()
    permissions = serializers.ListField(
        child=serializers.ChoiceField(choices=["read", "write", "admin"]),
        help_text="What the caller may do in this tool.",
    )
    entities = EntityManifestSerializer(many=True)


class IntegrationsManifestSerializer(serializers.Serializer):
    linear = serializers.BooleanField(
        help_text="Records can be linked to Linear issues: this deployment is connected to Linear."
    )


class AttachmentLimitsSerializer(serializers.Serializer):
    max_bytes = serializers.IntegerField(
        help_text="The most bytes an attachment's file may hold (`ATTACHMENT_MAX_BYTES`)."
    )
    max_per_record = serializers.IntegerField(
        help_text="The most attachments a record may have (`ATTACHMENT_MAX_PER_RECORD`)."
    )


class ManifestSerializer(serializers.Serializer):
    tools = ToolManifestSerializer(many=True)
    integrations = IntegrationsManifestSerializer(
        help_text="The services outside the suite this deployment is connected to."
    )
    attachments = AttachmentLimitsSerializer(
        help_text="What a record's files may be: the web app says so before it uploads one."
    )


# --- Building ---------------------------------------------------------------------------

FIELD_TYPES = [
    (serializers.ChoiceField, "choice"),
    (serializers.BooleanField, "boolean"),
    (serializers.DecimalField, "decimal"),
    (serializers.IntegerField, "integer"),
    (serializers.FloatField, "number"),
    (serializers.DateTimeField, "datetime"),
    (serializers.DateField, "date"),
    (serializers.TimeField, "time"),
    (serializers.EmailField, "email"),
    (serializers.URLField, "url"),
    (serializers.UUIDField, "uuid"),
    (serializers.JSONField, "json"),
]


def _field_type(name: str, field, model_field) -> str:
    if name == "tags":
        return "tags"
    if name in ("created_by", "updated_by") or isinstance(field, UserReferenceField):
        return "user"
    if isinstance(field, (EntityReferenceField, serializers.ManyRelatedField)):
        return "relation"
    for field_class, type_name in FIELD_TYPES:
        if isinstance(field, field_class):
            return type_name
    if isinstance(model_field, models.TextField):
        return "text"
    return "string"


def _relation(model_field) -> dict | None:
    if (
        model_field is None
        or not model_field.is_relation
        or not issubclass(model_field.related_model, Entity)
    ):
        return None
    related = model_field.related_model
    return {
        "entity": related._meta.label_lower,
        "api_path": _entity_api_path(related),
        "many": model_field.many_to_many,
    }


# Callable defaults whose value is always the same: a JSON field's `default=dict`
# or `default=list` (a literal `{}` would be shared by every record).
CONSTANT_FACTORIES = (dict, list)


def _default(model_field):
    if model_field is None or not model_field.has_default():
        return None
    value = model_field.default
    if value in CONSTANT_FACTORIES:
        return value()
    if callable(value):  # made anew for each record (`timezone.now`): no one value
        return None
    return str(value) if not isinstance(value, (bool, int, float, str, list, dict)) else value


def _bound(value):
    return None if value is None else str(value)


def _field_manifest(model, name: str, field, filters: list[str], sortable: set[str]) -> dict:
    try:
        model_field = model._meta.get_field(field.source)
    except FieldDoesNotExist:  # a computed field (tags) has no model field
        model_field = None
    # Only fixed choices: a relation's "choices" would be every linked record.
    choices = field.choices if isinstance(field, serializers.ChoiceField) else None
    child = getattr(field, "child_relation", None)
    return {
        "name": name,
        "type": _field_type(name, child or field, model_field),
        "label": str(field.label or name),
        "help_text": str(field.help_text or ""),
        "required": bool(field.required),
        "read_only": bool(field.read_only),
        "nullable": bool(getattr(field, "allow_null", False)),
        "max_length": getattr(field, "max_length", None),
        "unique": bool(getattr(model_field, "unique", False))
        and not getattr(model_field, "primary_key", False),
        "min": _bound(getattr(field, "min_value", None)),
        "max": _bound(getattr(field, "max_value", None)),
        "decimal_places": getattr(field, "decimal_places", None),
        "choices": [{"value": str(v), "label": str(label)} for v, label in choices.items()]
        if choices
        else None,
        "default": field.default if field.default is not empty else _default(model_field),
        "relation": _relation(model_field),
        "filter_lookups": sorted(
            {
                "exact" if f == name else f.split("__", 1)[1]
                for f in filters
                if f == name or f.startswith(f"{name}__")
            }
        ),
        "sortable": name in sortable,
    }


def _label(model, serializer, name: str) -> str:
    """A field's label as its manifest entry gives it, or its model field's
    when the serializer leaves the field out."""
    field = serializer.fields.get(name)
    if field is not None and field.label:
        return str(field.label)
    return str(capfirst(model._meta.get_field(name).verbose_name))


def _entity_api_path(model) -> str:
    return reverse(f"{model._meta.app_label}:{model._meta.model_name}-list")


def _entity_manifest(model) -> dict:
    serializer = serializer_for(model)()
    filterset = filterset_for(model)
    filters = list(filterset.base_filters)
    workflow = model.workflow
    sortable = {value for value, _ in filterset.base_filters["ordering"].extra["choices"]}
    return {
        "name": model._meta.label_lower,
        "label": str(model._meta.verbose_name).capitalize(),
        "label_plural": str(model._meta.verbose_name_plural).capitalize(),
        "api_path": _entity_api_path(model),
        "id_prefix": model.id_prefix,
        "fields": [
            _field_manifest(model, name, field, filters, sortable)
            for name, field in serializer.fields.items()
        ],
        "filters": filters,
        "searched_fields": [
            {"name": name, "label": _label(model, serializer, name)}
            for name in model.searched_fields
        ],
        "statuses": [
            {"value": s.value, "label": s.label, "color": s.color, "locked": s.locked}
            for s in workflow.statuses
        ],
        "initial_status": workflow.initial,
        "archived_status": workflow.archived,
        "transitions": [
            {"source": t.source, "target": t.target, "admin_only": t.admin_only}
            for t in workflow.all_transitions()
        ],
        "default_ordering": list(model._meta.ordering),
    }


@cache
def tool_manifests() -> dict[str, dict]:
    """Each installed tool's manifest, without the caller's permissions."""
    return {
        tool.slug: {
            "slug": tool.slug,
            "name": str(tool.verbose_name),
            "icon": tool.icon,
            "description": tool.description,
            "api_path": f"/api/v1/{tool.slug}/",
            "entities": [_entity_manifest(model) for model in tool.entity_models()],
        }
        for tool in installed_tools()
    }


def integrations() -> dict[str, bool]:
    """Which services outside the suite this deployment is connected to: read
    per request, as they are settings, not code."""
    return {"linear": linear.is_configured()}


def attachment_limits() -> dict[str, int]:
    """Read per request, as they are settings."""
    return {
        "max_bytes": settings.ATTACHMENT_MAX_BYTES,
        "max_per_record": settings.ATTACHMENT_MAX_PER_RECORD,
    }


def manifest_for(grants: Grants) -> dict:
    """The tools `grants` may read, with what the caller may do in each."""
    return {
        "tools": [
            {**manifest, "permissions": grants.levels_for(slug)}
            for slug, manifest in tool_manifests().items()
            if grants.allows(slug, "read")
        ],
        "integrations": integrations(),
        "attachments": attachment_limits(),
    }


@cache
def _tool_json_heads() -> dict[str, bytes]:
    """Each tool's manifest as compact JSON, its closing brace left off so
    the caller's permissions can follow."""
    return {slug: dumps(manifest)[:-1] for slug, manifest in tool_manifests().items()}


@cache
def _levels_json(levels: tuple[str, ...]) -> bytes:
    return dumps(list(levels))


def manifest_json(grants: Grants) -> bytes:
    """`manifest_for(grants)` exactly as the JSON renderer writes it, joined
    from each tool's JSON made once per process: rendering the whole
    manifest per request took 20 ms with 141 tools, joining takes well
    under one, for any set of permissions."""
    parts = [
        head + b',"permissions":' + _levels_json(tuple(grants.levels_for(slug))) + b"}"
        for slug, head in _tool_json_heads().items()
        if grants.allows(slug, "read")
    ]
    return (
        b'{"tools":['
        + b",".join(parts)
        + b'],"integrations":'
        + dumps(integrations())
        + b',"attachments":'
        + dumps(attachment_limits())
        + b"}"
    )


@cache
def _code_digest() -> str:
    return hashlib.sha256(repr(tool_manifests()).encode()).hexdigest()


def forget_manifests():
    """Make the manifests again on their next use: for tests that give a
    model another workflow or fields (in production they change with the code)."""
    for made_once in (tool_manifests, _tool_json_heads, _code_digest):
        made_once.cache_clear()


def manifest_etag(grants: Grants) -> str:
    """Changes when the code (a deploy), the caller's permissions, the
    connected services or the attachments' limits change."""
    permissions = sorted(grants.permissions)
    state = (
        f"{_code_digest()}{permissions}{sorted(integrations().items())}"
        f"{sorted(attachment_limits().items())}"
    )
    return '"' + hashlib.sha256(state.encode()).hexdigest()[:32] + '"'


def warm():
    """Build every per-process part now (apps.core.startup calls this before
    the first request)."""
    _tool_json_heads()
    _code_digest()


class ToolManifestView(APIView):
    """The tools the caller may use, and how to render each."""

    permission_classes = [HasGrants]

    @extend_schema(responses=ManifestSerializer, operation_id="tools_manifest", tags=["Platform"])
    def get(self, request):
        etag = manifest_etag(request.auth)
        renderer = request.accepted_renderer
        if etag in request.headers.get("If-None-Match", ""):
            response = Response(status=304)
        elif type(renderer) is JSONRenderer and not renderer.get_indent(
            request.accepted_media_type, {}
        ):
            response = HttpResponse(manifest_json(request.auth), content_type=renderer.media_type)
        else:  # the browsable API (DEBUG), or indented JSON
            response = Response(manifest_for(request.auth))
        response["ETag"] = etag
        patch_cache_control(response, private=True, max_age=60)
        return response
