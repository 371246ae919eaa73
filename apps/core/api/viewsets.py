"""`EntityViewSet`: the standard API of every entity, combined from small
capabilities. A tool subclasses it in its `api.py` to add or change one."""

from functools import partial

from django.db import connections
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.viewsets import _check_attr_name, _is_extra_action

from apps.core.api import registry
from apps.core.api.attachments import AttachmentModelMixin
from apps.core.api.bulk import BulkModelMixin
from apps.core.api.counts import capped_limit, count_rows, counted_by, counted_with_page
from apps.core.api.etags import ConditionalRequestMixin
from apps.core.api.export import ExportModelMixin
from apps.core.api.filters import SEARCH_MAX_LENGTH, EntityFilterSet, refuse_unknown_or_repeated
from apps.core.api.history import HistoryModelMixin
from apps.core.api.linear_issues import LinearIssueModelMixin
from apps.core.api.mixins import ArchiveModelMixin, RestoreModelMixin
from apps.core.api.pagination import (
    EntityPagination,
    FilteredListPlannedForValues,
    is_filtered,
    page_tells_count,
    read_page,
)
from apps.core.api.permissions import ToolPermission
from apps.core.api.reads import (
    SNAPSHOT_VERSION,
    entity_count_query,
    entity_counted_page_query,
    entity_list,
    entity_locked_record_query,
    entity_page_query,
    entity_queryset,
    entity_record_query,
    lockable,
    page_one_value_at_a_time,
    reads_ids_first,
    shared_entity_queryset,
)
from apps.core.api.schema import EntityAutoSchema
from apps.core.api.transitions import TransitionModelMixin
from apps.core.db import run_pipelined
from apps.core.models.ids import RECORD_ID_KINDS, parse_id
from apps.core.prepared import read_ids_first
from apps.core.tools import tool_for_model

# Query parameters every endpoint understands, besides a list's filters.
COMMON_QUERY_PARAMS = frozenset({"fields", "format"})
PAGINATION_QUERY_PARAMS = frozenset({"limit", "offset", "cursor"})
OFFSET_PAGE_QUERY_PARAMS = frozenset({"limit", "offset"})
# Actions answering a page, which take the pagination parameters.
PAGED_ACTIONS = frozenset({"list", "history"})


class EntityViewSet(
    ConditionalRequestMixin,
    TransitionModelMixin,
    HistoryModelMixin,
    LinearIssueModelMixin,
    AttachmentModelMixin,
    BulkModelMixin,
    ExportModelMixin,
    RestoreModelMixin,
    ArchiveModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    FilteredListPlannedForValues,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    model = None
    # An action may declare the permission level it needs ("admin").
    permission_level = None
    # An action may declare the query parameters it reads, by method
    # (`{"DELETE": frozenset({"link"})}`): any other is a 400.
    action_query_params: dict[str, frozenset[str]] = {}

    permission_classes = [ToolPermission]
    filter_backends = [DjangoFilterBackend]
    pagination_class = EntityPagination
    schema = EntityAutoSchema()
    lookup_url_kwarg = "id"
    lookup_value_regex = r"[0-9]+|[A-Za-z]{2,5}-[0-9]+"
    # While a list runs in its pipeline (`list`): sends a statement in it.
    send_in_pipeline = None
    # `(how, answer)`: the list's count, sent with its page (`read_page`);
    # `answer()` waits for it.
    sent_count = None
    # `(lookup, record)`: the record a write locked and read (`lock_record`),
    # until `find_object` takes it.
    locked_record = None

    @classmethod
    def get_extra_actions(cls):
        """The `@action` methods, as DRF finds them, read from the class
        dictionaries: DRF's `inspect.getmembers` gets every attribute of the
        class, a third of building the routes at start-up."""
        members = {}
        for klass in reversed(cls.__mro__):
            members.update(vars(klass))
        return [
            _check_attr_name(method, name)
            for name, method in sorted(members.items())
            if _is_extra_action(method)
        ]

    @property
    def tool(self):
        return tool_for_model(self.model)

    @property
    def filterset_class(self):
        return registry.filterset_for(self.model)

    def get_queryset(self):
        return entity_queryset(self.model)

    def get_serializer_class(self):
        return registry.serializer_for(self.model)

    def get_object(self):
        try:
            instance = self.find_object(self.object_lookup())
        except self.model.DoesNotExist:
            value = self.kwargs[self.lookup_url_kwarg]
            raise Http404(f"No {self.model._meta.verbose_name} {value}.") from None
        self.check_object_permissions(self.request, instance)
        return instance

    def find_object(self, lookup: dict):
        """The record `lookup` names: the one this request's write locked
        (`lock_record`), else read. The platform's own queryset reads it
        with SQL compiled once per process (`apps/core/prepared.py`); a
        viewset with a `get_queryset()` of its own is compiled as usual."""
        locked, self.locked_record = self.locked_record, None
        if locked is not None and locked[0] == lookup:
            return locked[1]
        [(field, value)] = lookup.items()
        if self.reads_prepared(field):
            return entity_record_query(self.model, field).get(value)
        return self.get_queryset().get(**lookup)

    def lock_record(self, lookup: dict):
        """The record a write names, its row locked: with the platform's own
        queryset, read in full by the statement that locks it, and kept for
        `find_object` (one statement where a lock and a read were two). A
        record that another writer changed while the lock waited is read
        again, holding the lock, as it is now."""
        [(field, value)] = lookup.items()
        if not self.locks_with_read(field):
            return super().lock_record(lookup)
        record = next(iter(entity_locked_record_query(self.model, field).fetch(value)), None)
        if record is not None and getattr(record, SNAPSHOT_VERSION) != record.version:
            record = next(iter(entity_record_query(self.model, field).fetch(value)), None)
        if record is not None:
            record.read_under_lock = True  # its version is the stored one (`Entity.save`)
            self.locked_record = (lookup, record)
        return record

    def reads_prepared(self, field: str) -> bool:
        """Whether records looked up by `field` are read with the platform's
        own queryset, on SQL compiled once (`find_object`, `lock_record`)."""
        return type(self).get_queryset is EntityViewSet.get_queryset and field in RECORD_ID_KINDS

    def locks_with_read(self, field: str) -> bool:
        """Whether a write's lock reads the record too (`lock_record`):
        PostgreSQL locks no row of a grouped or distinct query, which a
        model's own manager may make."""
        return self.reads_prepared(field) and lockable(self.model)

    def filter_queryset(self, queryset):
        """The list a request asks for. A list whose pages are read prepared
        (`list_shape`) is the same `entity_list` the filterset would build,
        made without one: nothing the request asks needs the filterset's
        validation, and making it was 5 % of a list's CPU, 10 % of a search's."""
        shape = self.list_shape
        if shape is None:
            return super().filter_queryset(queryset)
        name, value = shape
        return entity_list(self.model, name)(value)

    def list(self, request, *args, **kwargs):
        """DRF's list. On PostgreSQL, a list read prepared (`list_shape`) whose
        count is sent with its page (`read_page`) runs in one pipeline
        (`apps.core.db.run_pipelined`), and the count is waited for only once
        the page is serialised (`EntityPagination.get_paginated_response`):
        the server counts while the records are made and written."""
        if self.list_counted_by is None or self.list_counted_with_page:
            return super().list(request, *args, **kwargs)
        list_page = super().list

        def listed(send):
            self.send_in_pipeline, self.sent_count = send, None
            try:
                return list_page(request, *args, **kwargs)
            finally:
                self.send_in_pipeline = None

        return run_pipelined(shared_entity_queryset(self.model).db, listed)

    def read_page(self, queryset, offset: int, size: int) -> list:
        """`queryset[offset : offset + size]`, read (for the pagination). On
        PostgreSQL, when the page does not tell the list's count, the count
        `count_rows` will ask for is read with the page: a search's capped
        count in the page's own statement on a table `counted_with_page()`,
        which finds the matches once for both; any other sent in the list's
        pipeline as soon as the page's rows are read, and waited for once the
        page is serialised (`list`). A list read as Django reads it may be
        read by its ids first (`reads_ids_first`)."""
        shape = self.list_shape
        if shape is None:
            return self.read_rows(queryset, size, offset)
        name, value = shape
        if self.list_counted_with_page:
            return self._read_counted_page(name, value, offset, size)
        page = entity_page_query(self.model, name)
        counted, send = self.list_counted_by, self.send_in_pipeline  # `list` sets send
        statement = send and self._count_statement(name, value, counted, queryset.db)
        if not statement:
            return page.fetch(value, offset, offset + size)

        def count_unless_told(rows_read):
            if not page_tells_count(offset, rows_read, size):
                self.sent_count = counted, send(*statement)

        return page.fetch(value, offset, offset + size, then=count_unless_told)

    def _read_counted_page(self, name: str, value: str, offset: int, size: int) -> list:
        """A page with its capped count, read in one statement: PostgreSQL
        finds a search's matches once for both, and plans one `LIKE`."""
        limit = capped_limit()
        records, counted = entity_counted_page_query(self.model, name).fetch(
            value, offset, offset + size, up_to=limit
        )
        if counted is not None:  # an empty page past the start: count_rows counts
            self.sent_count = "up_to", partial(min, counted, limit)
        return records

    def reads_ids_first(self, queryset) -> bool:
        """Whether a page of this request's list is read by its ids first
        (`reads.reads_ids_first`)."""
        return reads_ids_first(queryset, filtered=is_filtered(self.request, self))

    def read_rows(self, queryset, size: int, offset: int = 0) -> list:
        """`size` rows of `queryset` from `offset` (a page of a list read as
        Django reads it, or a keyset page): sorted by a column descending or
        filtered by it in any case, one of its values at a time where
        `reads.page_one_value_at_a_time` can; else by their ids first where
        `reads_ids_first` says so."""
        bounds = (offset, offset + size)
        page = page_one_value_at_a_time(queryset, self.get_queryset(), bounds)
        if page is not None:
            return list(page)
        if self.reads_ids_first(queryset):
            return list(read_ids_first(queryset, self.get_queryset(), bounds))
        return read_page(queryset, offset, size)

    @cached_property
    def list_counted_by(self) -> str | None:
        """How `count_rows` will count this request's list, read prepared on
        PostgreSQL, as `counts.counted_by` says: "up_to" or "exact"; None
        for any other list, or if by the planner's estimate. Known before the
        page is read, so the count can be sent with it."""
        if self.list_shape is None:
            return None
        queryset = shared_entity_queryset(self.model)  # as `get_queryset()`'s, not copied
        if connections[queryset.db].vendor != "postgresql":
            return None
        return counted_by(queryset, filtered=is_filtered(self.request, self))

    @cached_property
    def list_counted_with_page(self) -> bool:
        """Whether this request's list reads its capped count in its page's
        own statement (`counts.counted_with_page`)."""
        return self.list_counted_by == "up_to" and counted_with_page(
            shared_entity_queryset(self.model)
        )

    def _count_statement(self, name: str, value: str, counted: str, using: str):
        """`(sql, params)` of the count `count_rows` runs as `counted` says;
        None if it is not kept."""
        if counted == "up_to":
            query = entity_count_query(self.model, name, capped_limit())
        else:  # as count_rows asks it: the same cached query
            query = entity_count_query(self.model, name)
        return query.statement(value, using)

    def count_rows(self, queryset, *, filtered: bool, known: int | None):
        """The list's count (for the pagination), `counts.count_rows`'s."""
        shape = self.list_shape
        if shape is None:
            return count_rows(queryset, filtered=filtered, known=known)
        name, value = shape
        return count_rows(
            queryset,
            filtered=filtered,
            known=known,
            exact=partial(entity_count_query(self.model, name).count, value),
            up_to=lambda limit: entity_count_query(self.model, name, limit).count(value),
            sent=self.sent_count,
        )

    @cached_property
    def list_shape(self) -> tuple[str, str] | None:
        """`(shape, value)` when this request's list is an `entity_list`, whose
        pages and counts are read with SQL compiled once: the whole list, or
        a search, and nothing else asked but the page. None for any other
        request, and for a viewset or filterset that changes a step of how a
        list is built (its reads are then compiled as usual). Worked out once
        per request: its page and its count both ask."""
        view, filterset = type(self), self.filterset_class
        if not (
            self.action == "list"
            and view.list is EntityViewSet.list
            and view.get_queryset is EntityViewSet.get_queryset
            and view.filter_queryset is EntityViewSet.filter_queryset
            and self.filter_backends is EntityViewSet.filter_backends
            and filterset.__init__ is EntityFilterSet.__init__
            and filterset.qs is EntityFilterSet.qs
            and filterset.filter_queryset is EntityFilterSet.filter_queryset
            and filterset.filter_search is EntityFilterSet.filter_search
        ):
            return None
        params = self.request.query_params
        asked = params.keys() - OFFSET_PAGE_QUERY_PARAMS
        if not asked:
            return "all", self.model.workflow.archived
        terms = params.getlist("search")
        if asked != {"search"} or len(terms) != 1:
            return None
        # A term the filter's form field takes, cleaned as it cleans it: one
        # not blank once stripped, not too long, with no NUL (a 400 from the form).
        term = terms[0].strip()
        if term and len(term) <= SEARCH_MAX_LENGTH and "\x00" not in term:
            return "search", term
        return None

    def object_lookup(self) -> dict:
        """By numeric id (`/42/`) or by public id (`/CMP-0001/`); digits no
        id can be (past 64 bits) match nothing, without a query."""
        value = str(self.kwargs[self.lookup_url_kwarg])
        if not value.isdigit():
            return {"public_id": value.upper()}
        number = parse_id(value)
        return {"pk": number} if number is not None else {"pk__in": []}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.reject_unknown_query_params(request)
        self.check_requested_fields(request)

    def check_requested_fields(self, request):
        """`?fields=` names fields of the records, and is checked before
        anything is written (the serializer checks it as it is made): a
        DELETE or a bulk archive, whose answers hold no record, refuse a
        name no field has as every other action does, rather than write and
        ignore it."""
        if self.action not in (None, "metadata") and "fields" in request.query_params:
            self.get_serializer()

    def reject_unknown_query_params(self, request):
        """A typo in a query parameter is a 400, never a silently ignored
        filter, and so is a second value for a parameter that takes one.
        Every read of the collection (the list, the export) takes the list's
        filters; only paged actions take `limit`, `offset` and `cursor`. A
        method the path does not take (no action) is left to its 405, and
        OPTIONS describes the path whatever the query asks."""
        if self.action in (None, "metadata"):
            return
        others = COMMON_QUERY_PARAMS | self.action_query_params.get(request.method, frozenset())
        if self.action in PAGED_ACTIONS:
            others = others | PAGINATION_QUERY_PARAMS
        filters = {}
        if self.detail is False and request.method in SAFE_METHODS:
            filters = self.filterset_class.base_filters
        refuse_unknown_or_repeated(request.query_params, filters, others)

    def detail_url(self, instance) -> str:
        path = reverse(
            f"{self.tool.slug}:{self.basename}-detail", kwargs={self.lookup_url_kwarg: instance.pk}
        )
        return self.request.build_absolute_uri(path)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = serializer.save()
        return Response(
            serializer.data,
            status=status.HTTP_201_CREATED,
            headers={"Location": self.detail_url(instance)},
        )
