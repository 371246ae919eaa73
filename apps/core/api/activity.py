"""`GET /api/v1/activity/`: the suite-wide activity feed.

The audit entries of every tool the caller may read (`<tool>:read`), newest
first, filterable by tool, entity, actor, action, time and request id.
Paged by cursor on `(timestamp, id)`, so a page costs the same at the top of
a table of millions as deep inside it or inside a date range, and the table
is never counted. Each filter that narrows the feed has an index that
returns its entries already in that order, type by type (see
`AuditEntry.Meta.indexes`), and a caller of some tools, or a feed narrowed
to a tool, an entity type, actions or an actor, has each of its entity
types read from one (`ActivityView.reads_by_type`).
"""

from functools import partial

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers

from apps.core.api.activity_reads import each_action, each_type, existing_records, read_by_type
from apps.core.api.filters import IntegerFilter, IsoDateTimeFilter, refuse_unknown_or_repeated
from apps.core.api.pagination import KeysetPagination
from apps.core.api.permissions import ReadsAnyTool, require
from apps.core.api.read_plan import ReadPlan
from apps.core.api.serializers import (
    REVERTED_HELP,
    RevertedEntrySerializer,
    UserSummarySerializer,
)
from apps.core.audit import concealed
from apps.core.db import planned_for_values
from apps.core.models import AuditAction, AuditEntry
from apps.core.models.users import summaries_only
from apps.core.permissions import READ
from apps.core.tools import installed_tools


def tool_content_types() -> dict[str, list[ContentType]]:
    """The content types of each installed tool's entities, by tool slug."""
    return {
        tool.slug: list(ContentType.objects.get_for_models(*tool.entity_models()).values())
        for tool in installed_tools()
    }


def entity_label(content_type: ContentType) -> str:
    """How the feed names an entity type: `<tool>.<model>`, e.g. `components.component`."""
    return f"{content_type.app_label}.{content_type.model}"


# --- Filters -----------------------------------------------------------------------------


def _tool_choices(tools: dict[str, list[ContentType]]):
    """The slugs of `tools` (`tool_content_types()`)."""
    return [(slug, slug) for slug in tools]


def _entity_choices(tools: dict[str, list[ContentType]]):
    """The entity types of `tools` as the feed names them."""
    labels = [entity_label(ct) for types in tools.values() for ct in types]
    return [(label, label) for label in labels]


class InstalledNameFilter(django_filters.ChoiceFilter):
    """A tool's or an entity type's name, one of those installed: in the
    schema a string, as its choices change as tools come and go."""

    def __init__(self, *args, help_text: str, **kwargs):
        super().__init__(*args, help_text=help_text, **kwargs)
        extend_schema_field({"type": "string", "description": help_text})(self)


class ActivityFilterSet(django_filters.FilterSet):
    """The feed's filters. The three that decide which entity types and
    actions the feed reads — `tool`, `entity` and `action` — are applied
    together by `narrow()`, which keeps what they decided (`types_read`,
    `actions_read`) for a feed read by type (`read_by_type`); the others
    as django-filter applies them."""

    tool = InstalledNameFilter(
        choices=_tool_choices,  # of the request's tools: bound in __init__
        help_text="A tool's slug. Asking for a tool you may not read is a 403.",
    )
    entity = InstalledNameFilter(
        choices=_entity_choices,  # of the request's tools: bound in __init__
        help_text="An entity type as `<tool>.<model>`, e.g. `components.component`.",
    )
    actor = IntegerFilter(field_name="actor", help_text="User id.")
    action = django_filters.MultipleChoiceFilter(
        choices=AuditAction.choices,
        help_text="Repeatable: `?action=ARCHIVE&action=RESTORE`.",
    )
    since = IsoDateTimeFilter(
        field_name="timestamp",
        lookup_expr="gte",
        help_text="Entries at or after this time (ISO 8601; a date means its midnight, UTC).",
    )
    until = IsoDateTimeFilter(
        field_name="timestamp",
        lookup_expr="lt",
        help_text="Entries before this time (ISO 8601; a date means its midnight, UTC).",
    )
    request_id = django_filters.UUIDFilter(help_text="The X-Request-ID of the request.")

    class Meta:
        model = AuditEntry
        fields = []

    # The filters `narrow()` applies, together.
    NARROWING_TYPES_AND_ACTIONS = ("tool", "entity", "action")

    def __init__(
        self,
        *args,
        tools: dict[str, list[ContentType]],
        readable: list[ContentType],
        by_type: bool = False,
        **kwargs,
    ):
        """`tools`: the installed tools' entity types by slug, and
        `readable`: those of the tools the caller may read, as the view
        found them for the request (`ActivityView.tools`, `.readable_types`;
        `tool_content_types()` costs about 6 µs a tool). `by_type`: whether
        the feed is read by type, each of its types (and actions) in turn.
        The tool and entity filters' choices are made only if a value is to
        be checked, as django-filter's own."""
        super().__init__(*args, **kwargs)
        self.tools, self.readable, self.by_type = tools, readable, by_type
        self.filters["tool"].extra["choices"] = partial(_tool_choices, tools)
        self.filters["entity"].extra["choices"] = partial(_entity_choices, tools)

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        queryset = self.narrow(queryset, data)
        for name, value in data.items():
            if name not in self.NARROWING_TYPES_AND_ACTIONS:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def narrow(self, queryset, data):
        """The entries of the entity types and actions the feed reads:
        those of the tools the caller may read, narrowed to a tool
        (`?tool=`, a 403 if the caller may not read it) and to an entity
        type (`?entity=`, likewise); of the actions asked for, each once, or
        of any. Either all at once, or, read by type, of the type (and
        action) whose turn it is (`each_type()`, `each_action()`)."""
        types = self.readable
        if slug := data.get("tool"):
            self._require_read(slug)
            types = [ct for ct in types if ct in self.tools[slug]]
        if label := data.get("entity"):
            self._require_read(label.split(".", 1)[0])
            types = [ct for ct in types if entity_label(ct) == label]
        self.types_read = types
        self.actions_read = list(dict.fromkeys(data.get("action") or ()))
        if self.by_type:
            queryset = queryset.filter(content_type=each_type())
            return queryset.filter(action=each_action()) if self.actions_read else queryset
        queryset = queryset.filter(content_type__in=types)
        return queryset.filter(action__in=self.actions_read) if self.actions_read else queryset

    def _require_read(self, slug):
        require(self.request.auth, slug, READ)


# --- Paging, permission, output -------------------------------------------------------------


class ActivityPagination(KeysetPagination):
    """Newest first; `{next, previous, results}`, no count. Ordered by time
    rather than by id alone so that a date range is one index range scan."""

    ordering = ("-timestamp", "-id")


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {
            "type": "object",
            "properties": {"old": {}, "new": {}, "hidden": {"type": "boolean"}},
            "required": ["old", "new"],
        },
        "example": {"quantity_on_hand": {"old": 40, "new": 38}},
    }
)
class ChangesField(serializers.JSONField):
    """`{"field": {"old": …, "new": …}}`: the fields that changed; a field the
    API does not show as `{"old": null, "new": null, "hidden": true}`."""


# The id a record's URL is reversed with, once a page per entity type, and
# then replaced by each record's: no record has it.
STAND_IN_ID = 0


class ActivityEntrySerializer(serializers.ModelSerializer):
    tool = serializers.SerializerMethodField(help_text="The tool's slug.")
    entity = serializers.SerializerMethodField(help_text="`<tool>.<model>`.")
    actor = UserSummarySerializer(read_only=True, allow_null=True)
    url = serializers.SerializerMethodField(
        help_text="The record in the API; null once it no longer exists."
    )
    changes = ChangesField(
        read_only=True, help_text="The fields that changed, each with its old and new value."
    )
    reverted = RevertedEntrySerializer(read_only=True, allow_null=True, help_text=REVERTED_HELP)

    class Meta:
        model = AuditEntry
        fields = (
            "id",
            "timestamp",
            "action",
            "tool",
            "entity",
            "object_id",
            "public_id",
            "object_label",
            "actor",
            "actor_label",
            "request_id",
            "changes",
            "comment",
            "reverted",
            "url",
        )
        read_only_fields = fields

    def to_representation(self, instance):
        return self.read_plan.read(instance)

    @cached_property
    def read_plan(self) -> ReadPlan:
        """How the page's entries are read out: each field's way decided
        once a page, not once an entry (`apps/core/api/read_plan.py`)."""
        return ReadPlan(self, AuditEntry)

    def get_tool(self, entry) -> str:
        return ContentType.objects.get_for_id(entry.content_type_id).app_label

    def get_entity(self, entry) -> str:
        return entity_label(ContentType.objects.get_for_id(entry.content_type_id))

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_url(self, entry):
        record = (entry.content_type_id, entry.object_id, entry.public_id)
        if record not in self.context["existing"]:
            return None
        if entry.content_type_id not in self._record_urls:
            self._record_urls[entry.content_type_id] = self._record_url(entry.content_type_id)
        url = self._record_urls[entry.content_type_id]
        if url is None:
            return None
        head, _, tail = url.rpartition(f"/{STAND_IN_ID}/")
        return f"{head}/{entry.object_id}/{tail}"

    @cached_property
    def _record_urls(self) -> dict[int, str | None]:
        """A record's URL by entity type, for the stand-in id: its route is
        reversed once a page, as `reverse()` costs about 20 µs a call."""
        return {}

    def _record_url(self, content_type_id: int) -> str | None:
        content_type = ContentType.objects.get_for_id(content_type_id)
        try:
            path = reverse(
                f"{content_type.app_label}:{content_type.model}-detail",
                kwargs={"id": STAND_IN_ID},
            )
        except NoReverseMatch:  # the tool serves no such records
            return None
        return self.context["request"].build_absolute_uri(path)


# --- Which feeds are read by type (`activity_reads.read_by_type`) ------------------------------

# What a feed read by type may be narrowed by: a tool or an entity type,
# whose entity types are then the ones read; actions, each of which is then
# read type by type from the index on type, action and time
# (`core_audit_type_action_idx`); an actor, read type by type from the index
# on actor, type and time (`core_audit_actor_type_idx`), and with actions
# pair by pair from the index on actor, type, action and time
# (`core_audit_actor_action_idx`); what those and the index on type and time
# (`core_audit_type_time_idx`) serve as they go; and the answer's format.
# A request id has an index of its own, and a request writes few entries.
PARAMETERS_READ_BY_TYPE = frozenset(
    {"tool", "entity", "action", "actor", "since", "until", "cursor", "limit", "format"}
)

# Of those, the ones that narrow which entries are read: a feed narrowed by
# any of them is read by type whoever asks. In one statement it is walked in
# time order, and PostgreSQL takes a filter and an order to be independent:
# a tool whose entries are all older than the rest, an action whose entries
# are rare and old (a hundred deletes among a million entries), or a busy
# actor's entries in a tool where they are old, had the trail walked or
# scanned whole (100 to 300 ms at a million entries, and longer as the trail
# grows; docs/performance.md).
NARROWING = frozenset({"tool", "entity", "action", "actor"})


# --- The view ------------------------------------------------------------------------------------


class ActivityFilterBackend(DjangoFilterBackend):
    """django-filter's, handing the filterset what the view found for the
    request, and the view the filterset, whose narrowing it reads by."""

    def get_filterset_kwargs(self, request, queryset, view):
        return {
            **super().get_filterset_kwargs(request, queryset, view),
            "tools": view.tools,
            "readable": view.readable_types,
            "by_type": view.reads_by_type,
        }

    def get_filterset(self, request, queryset, view):
        view.filterset = super().get_filterset(request, queryset, view)
        return view.filterset


class ActivityView(generics.ListAPIView):
    permission_classes = [ReadsAnyTool]
    serializer_class = ActivityEntrySerializer
    filter_backends = [ActivityFilterBackend]
    filterset_class = ActivityFilterSet
    pagination_class = ActivityPagination

    @cached_property
    def tools(self) -> dict[str, list[ContentType]]:
        """The installed tools' entity types, by slug: found once a request."""
        return tool_content_types()

    @cached_property
    def readable_tools(self) -> list[str]:
        """The slugs of the tools the caller may read."""
        return self.request.auth.readable(self.tools)

    @cached_property
    def readable_types(self) -> list[ContentType]:
        """The entity types of every tool the caller may read."""
        return [ct for slug in self.readable_tools for ct in self.tools[slug]]

    def get_queryset(self):
        """Every tool's entries: the filterset narrows them to the types and
        actions the feed reads (`ActivityFilterSet.narrow`)."""
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI generator
            return AuditEntry.objects.none()
        return self.entries()

    def entries(self):
        """Every tool's audit entries, as the feed shows them."""
        return AuditEntry.objects.select_related("actor").defer(*summaries_only("actor"))

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        refuse_unknown_or_repeated(
            request.query_params,
            ActivityFilterSet.base_filters,
            frozenset({"cursor", "limit", "format"}),
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "existing": getattr(self, "_existing", set())}

    @extend_schema(
        operation_id="activity_list",
        tags=["Activity"],
        description=(
            "The audit entries of every tool you may read, newest first. Paged by "
            "cursor: follow `next` / `previous`; there is no count."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @cached_property
    def reads_by_type(self) -> bool:
        """Whether the page is read entity type by entity type (`read_by_type`).

        One statement walks the whole trail in time order and skips the
        entries it does not read: right for a caller of every tool, whose
        walk skips nothing but the entries of records outside every tool,
        but a caller of quiet tools, a feed of one tool, of a rare action or
        of an actor busy elsewhere, whose entries are old, waits for the
        walk past everyone else's (100 to 300 ms at a million entries, and
        longer as the trail grows). So a caller of some tools, or a feed
        narrowed to a tool, an entity type, actions or an actor, with no
        other filter but a time range, has each of its types' (or of its
        pairs of a type and an action) newest entries read from an index on
        type (and action, or the actor) and time instead, which costs the
        same whatever their ages (about 10 µs a type), and whose plan no
        value changes. A request id has an index of its own. `LATERAL` is
        PostgreSQL's."""
        params = self.request.query_params
        narrowed = any(any(params.getlist(name)) for name in NARROWING)
        return (
            connection.vendor == "postgresql"
            and set(params) <= PARAMETERS_READ_BY_TYPE
            and (narrowed or len(self.readable_tools) < len(self.tools))
        )

    def read_rows(self, queryset, size: int) -> list:
        """The first `size` entries of the page's queryset (`keyset_page`)."""
        if not self.reads_by_type:
            return list(queryset[:size])
        types, actions = self.filterset.types_read, self.filterset.actions_read or [None]
        keys = [(ct.pk, action) for ct in types for action in actions]
        return read_by_type(queryset, self.entries(), keys, size)

    def paginate_queryset(self, queryset):
        # Read in one statement, a feed narrowed to the caller's entity types
        # is planned for them, never on a plan PostgreSQL kept for the
        # statement (`apps.core.db.planned_for_values`), which is made for
        # types as common as the average: a plan kept for callers of busy
        # tools walked the whole trail for a caller of quiet ones (260 ms
        # against 5 at a million entries, docs/performance.md). Read by
        # type, and for which of the page's records still exist (by id), any
        # plan is the same.
        with planned_for_values(not self.reads_by_type):
            page = super().paginate_queryset(queryset)
        self._existing = existing_records(page)
        for entry in page:  # an entry written before its field was hidden, too
            model = ContentType.objects.get_for_id(entry.content_type_id).model_class()
            if model is not None:
                entry.changes = concealed(model, entry.changes)
        return page
