"""`/api/v1/saved-views/`: lists of an entity as people filtered, searched
and sorted them, kept under a name (`apps.core.models.SavedView`).

A caller sees their own views and those others share, of the entities of
the tools they may read; only a view's owner changes or deletes it. A
view's query is checked by the entity's list itself
(`apps.core.api.list_queries`): a saved view never holds a query its list
would refuse.
"""

from functools import cached_property

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from apps.core.api.activity import InstalledNameFilter, entity_label, tool_content_types
from apps.core.api.filters import refuse_unknown_or_repeated
from apps.core.api.list_queries import normalised_list_query
from apps.core.api.pagination import KeysetPagination
from apps.core.api.permissions import HasGrants, require
from apps.core.api.schema import StrictQueryAutoSchema
from apps.core.api.serializers import (
    StrictFieldsMixin,
    UserSummarySerializer,
    no_invisible_format_characters,
)
from apps.core.models import SavedView
from apps.core.models.ids import parse_id
from apps.core.models.users import summaries_only
from apps.core.permissions import READ

# The longest query string a view keeps, as sent (a URL's query rarely passes 2,000).
QUERY_MAX_LENGTH = 4096


def installed_entity_types() -> dict[str, ContentType]:
    """The entity types of every installed tool, by the name the API gives
    them (`<tool>.<model>`, as the manifest names its entities)."""
    return {entity_label(ct): ct for types in tool_content_types().values() for ct in types}


# --- Output and input -------------------------------------------------------------------


@extend_schema_field(
    {
        "type": "string",
        "description": "The entity as the manifest names it: `<tool>.<entity>`.",
        "example": "components.component",
    }
)
class EntityTypeField(serializers.Field):
    """An installed entity type, written and read as `<tool>.<model>`."""

    default_error_messages = {
        "invalid": "Not a valid string.",
        "unknown": "No entity '{name}': name one as the manifest does, `<tool>.<entity>`.",
    }

    def get_attribute(self, instance):
        # The content type from Django's cache, not a query per view.
        return ContentType.objects.get_for_id(instance.content_type_id)

    def to_representation(self, value):
        return entity_label(value)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        content_type = installed_entity_types().get(data)
        if content_type is None:
            self.fail("unknown", name=data)
        return content_type


class SavedViewSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """A saved view: an entity's list under a name, with whose it is."""

    entity = EntityTypeField(
        source="content_type",
        help_text=(
            "The entity whose list this is, `<tool>.<entity>`; set when the view is "
            "made, and never changed."
        ),
    )
    query = serializers.CharField(
        max_length=QUERY_MAX_LENGTH,
        allow_blank=True,
        required=False,
        help_text=(
            "The list's query string, as its URL holds it (`status=ACTIVE&search=sensor`). "
            "Checked as the list checks it; stored without `limit`, `offset`, `cursor` "
            "and `format`, without blank values, each parameter and value once, sorted."
        ),
    )
    owner = UserSummarySerializer(
        read_only=True,
        allow_null=True,
        help_text=(
            "Who made the view; null for a view shared by a person since deleted, "
            "which no one may change."
        ),
    )
    is_mine = serializers.SerializerMethodField(help_text="Whether you own this view.")

    class Meta:
        model = SavedView
        fields = (
            "id",
            "entity",
            "name",
            "query",
            "shared",
            "owner",
            "is_mine",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("created_at", "updated_at")
        extra_kwargs = {
            "name": {
                "help_text": "Unique among your views of the entity, in any case.",
                "validators": [no_invisible_format_characters],
            },
            "shared": {"help_text": "Shown to everyone who may read the entity's tool."},
        }

    def get_is_mine(self, view) -> bool:
        return view.owner_id == self.context["request"].user.pk

    def validate_entity(self, content_type):
        if self.instance is not None and content_type.pk != self.instance.content_type_id:
            raise serializers.ValidationError(
                "A saved view's entity cannot be changed; save a new view instead."
            )
        # A tool's slug is its app label.
        require(self.context["request"].auth, content_type.app_label, READ)
        return content_type

    def validate(self, attrs):
        content_type = self.content_type_of(attrs)
        if "query" in attrs:
            try:
                attrs["query"] = normalised_list_query(
                    content_type.model_class(), attrs["query"], self.context["request"]
                )
            except serializers.ValidationError as exc:
                raise serializers.ValidationError({"query": exc.detail}) from None
        if "name" in attrs:
            taken = self.name_taken(attrs["name"], content_type)
            if taken is not None:
                raise self.name_taken_error(taken)
        return attrs

    def content_type_of(self, attrs) -> ContentType:
        """The entity type of the view `attrs` make or change."""
        if "content_type" in attrs:
            return attrs["content_type"]
        return ContentType.objects.get_for_id(self.instance.content_type_id)

    def name_taken(self, name: str, content_type: ContentType) -> str | None:
        """The name, as it was saved, of the caller's other view of
        `content_type` called `name` in any case, alike on SQLite and
        PostgreSQL (`SavedViewQuerySet.saved_name_like`); None if there is none."""
        views = SavedView.objects.filter(
            owner=self.context["request"].user, content_type=content_type
        )
        if self.instance is not None:
            views = views.exclude(pk=self.instance.pk)
        return views.saved_name_like(name)

    def name_taken_error(self, name: str) -> serializers.ValidationError:
        return serializers.ValidationError(
            {"name": [f"You already have a saved view of this entity named '{name}'."]}
        )

    def save(self, **kwargs):
        """Saved in a transaction of its own. A name that another request of
        the same person took after `validate` looked is refused as
        `validate` refuses it, not a server error."""
        try:
            with transaction.atomic():
                return super().save(**kwargs)
        except IntegrityError:
            name = self.validated_data.get("name")
            taken = name and self.name_taken(name, self.content_type_of(self.validated_data))
            if not taken:
                raise
            raise self.name_taken_error(taken) from None


# --- Filters, paging, permission, schema ------------------------------------------------------


def _entity_choices():
    return [(label, label) for label in installed_entity_types()]


class SavedViewFilterSet(django_filters.FilterSet):
    entity = InstalledNameFilter(
        choices=_entity_choices,
        method="filter_entity",
        help_text=(
            "An entity as `<tool>.<entity>`, e.g. `components.component`. Asking for one "
            "of a tool you may not read is a 403."
        ),
    )

    class Meta:
        model = SavedView
        fields = []

    def filter_entity(self, queryset, name, value):
        content_type = installed_entity_types()[value]
        require(self.request.auth, content_type.app_label, READ)
        return queryset.filter(content_type=content_type)


class SavedViewPagination(KeysetPagination):
    """By name (ties by id), paged by cursor like the activity feed: `{next,
    previous, results}`, no count."""

    ordering = ("name", "id")


class OwnerChangesIt(HasGrants):
    """Any authenticated caller; a view is changed or deleted by its owner alone."""

    message = "Only its owner may change or delete a saved view."

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or obj.owner_id == request.user.pk


class SavedViewAutoSchema(StrictQueryAutoSchema):
    """Every operation refuses an unknown query parameter (400); a view is
    looked up by its numeric id; a write's body may be refused (400) or too
    large (413). A view in a response has every field."""

    def get_tags(self):
        return ["Saved views"]

    def get_operation_id(self):
        return f"saved_views_{self.view.action}"

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if "{id}" in self.path:
            parameters.append(OpenApiParameter("id", int, OpenApiParameter.PATH))
        return parameters

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "response" and isinstance(serializer, SavedViewSerializer):
            schema["required"] = sorted(schema["properties"])
        return schema

    def error_statuses(self, operation: dict) -> list[int]:
        codes = set(super().error_statuses(operation))
        if self.method not in SAFE_METHODS:
            codes.add(413)
        return sorted(codes)


# --- The view ------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        description=(
            "Your saved views and those others share, of the entities of the tools you may "
            "read, by name. Paged by cursor: follow `next` / `previous`; there is no count."
        )
    ),
    retrieve=extend_schema(description="One saved view you own or another shares."),
    create=extend_schema(
        description="Save a list of an entity whose tool you may read; you own the view."
    ),
    partial_update=extend_schema(
        description="Change the name, query or sharing of a view you own; only what is sent."
    ),
    destroy=extend_schema(description="Delete a view you own."),
)
class SavedViewViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [OwnerChangesIt]
    serializer_class = SavedViewSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = SavedViewFilterSet
    pagination_class = SavedViewPagination
    schema = SavedViewAutoSchema()
    # A view is changed field by field (PATCH), never replaced.
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    lookup_url_kwarg = "id"
    lookup_value_regex = "[0-9]+"

    @cached_property
    def readable_types(self) -> list[ContentType]:
        """The entity types of every tool the caller may read."""
        tools = tool_content_types()
        return [ct for slug in self.request.auth.readable(tools) for ct in tools[slug]]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI generator
            return SavedView.objects.none()
        return (
            SavedView.objects.visible_to(self.request.user, self.readable_types)
            .select_related("owner")
            .defer(*summaries_only("owner"))
        )

    def get_object(self):
        """A view the caller may see, by id; a 404 for any other, whether it
        exists or not."""
        key = self.kwargs[self.lookup_url_kwarg]
        view = self.get_queryset().filter(pk=parse_id(key)).first()
        if view is None:
            raise Http404(f"No saved view {key}.")
        self.check_object_permissions(self.request, view)
        return view

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.action in (None, "metadata"):  # a 405, or OPTIONS: whatever the query
            return
        filters = SavedViewFilterSet.base_filters if self.action == "list" else {}
        others = {"cursor", "limit", "format"} if self.action == "list" else {"format"}
        refuse_unknown_or_repeated(request.query_params, filters, frozenset(others))

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        view = serializer.save(owner=request.user)
        path = reverse("saved-view-detail", kwargs={self.lookup_url_kwarg: view.pk})
        return Response(
            serializer.data,
            status=status.HTTP_201_CREATED,
            headers={"Location": request.build_absolute_uri(path)},
        )
