"""Paging of entity lists: `?limit=&offset=`, or `?cursor=` for deep pages.

Every page answers `{count, count_is_estimate, next, previous, results}`.
`count` is exact unless `count_is_estimate` says otherwise (large tables on
PostgreSQL, see `apps.core.api.counts`); `next` and `previous` never depend
on it, so they are right whatever the count says.
"""

from functools import partial

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination, LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from apps.core.api.counts import count_rows
from apps.core.api.cursors import InvalidCursor, encode_cursor, keyset_page
from apps.core.db import BIGINT_MAX, planned_for_values
from apps.core.models.base import related_records_shared


def query_int(request, name, default, minimum, maximum):
    """A whole-number query parameter; out of range is a 400 naming it,
    never silently replaced."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: ["A whole number is required."]}) from None
    if value < minimum or (maximum is not None and value > maximum):
        bounds = f"between {minimum} and {maximum}" if maximum else f"at least {minimum}"
        raise ValidationError({name: [f"Must be {bounds}."]})
    return value


def limit_schema(pagination) -> dict:
    """`?limit=` in OpenAPI, with the bounds `query_int` holds it to."""
    return {
        "type": "integer",
        "minimum": 1,
        "maximum": pagination.max_limit,
        "default": pagination.default_limit,
    }


class KeysetPagination(BasePagination):
    """Cursor-only paging on the queryset's ordering (or `ordering`, when set):
    `?limit=` (default 50, at most 100) and `?cursor=`, answering
    `{next, previous, results}` with no count. See `apps.core.api.cursors`."""

    default_limit = 50
    max_limit = 100
    limit_query_param = "limit"
    cursor_query_param = "cursor"
    ordering: tuple[str, ...] | None = None

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.limit = query_int(
            request, self.limit_query_param, self.default_limit, 1, self.max_limit
        )
        if self.ordering:
            queryset = queryset.order_by(*self.ordering)
        self.token = request.query_params.get(self.cursor_query_param, "").strip()
        try:
            self.page = keyset_page(
                queryset, self.token, self.limit, read=getattr(view, "read_rows", None)
            )
        except InvalidCursor as exc:
            raise ValidationError({self.cursor_query_param: [str(exc)]}) from None
        return self.page.rows

    def get_next_link(self):
        return self._link(self.page.next)

    def get_previous_link(self):
        return self._link(self.page.previous)

    def _link(self, cursor):
        if cursor is None:
            return None
        url = replace_query_param(self.request.build_absolute_uri(), "limit", self.limit)
        return replace_query_param(url, self.cursor_query_param, encode_cursor(cursor))

    def get_paginated_response(self, data):
        return Response(
            {
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {**link, "description": "The next page; null on the last."},
                "previous": {**link, "description": "The previous page; null on the first."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.limit_query_param,
                "required": False,
                "in": "query",
                "description": (
                    f"Results per page (1-{self.max_limit}, default {self.default_limit})."
                ),
                "schema": limit_schema(self),
            },
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where to continue: the cursor of a `next` or `previous` link.",
                "schema": {"type": "string"},
            },
        ]


class EntityPagination(LimitOffsetPagination):
    """`?limit=` (default 50, at most 100) with `?offset=`, or with `?cursor=`:
    keyset pagination on the list's ordering, as fast on page 20,000 as on
    page 1. Start it with an empty `cursor=` and follow `next` / `previous`."""

    default_limit = 50
    max_limit = 100
    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.limit = self.get_limit(request)
        self.keyset = None
        # A page's authors (and other related records) made once each, not once a row.
        with related_records_shared(queryset):
            if self.cursor_query_param in request.query_params:
                rows, known = self._cursor_page(queryset, request, view)
            else:
                rows, known = self._offset_page(queryset, request, view)
        # The view may know a faster way to the same count (EntityViewSet.count_rows).
        # Counted with the response, once the page is serialised: a count the
        # view sent with its page is waited for only then (EntityViewSet.list).
        count = getattr(view, "count_rows", count_rows)
        self.count_rows = partial(count, queryset, filtered=is_filtered(request, view), known=known)
        return rows

    def _offset_page(self, queryset, request, view):
        self.offset = self.get_offset(request)
        # The view may know a faster way to the same rows (EntityViewSet.read_page).
        read = getattr(view, "read_page", read_page)
        size = self.limit + 1
        rows = read(queryset, self.offset, size)
        self.has_next = len(rows) == size
        told = page_tells_count(self.offset, len(rows), size)
        return rows[: self.limit], self.offset + len(rows) if told else None

    def _cursor_page(self, queryset, request, view):
        if self.offset_query_param in request.query_params:
            raise ValidationError({self.offset_query_param: ["Not allowed with a cursor."]})
        self.keyset = KeysetPagination()
        self.keyset.max_limit = self.max_limit
        rows = self.keyset.paginate_queryset(queryset, request, view)
        first_and_only = not self.keyset.token and self.keyset.page.next is None
        return rows, len(rows) if first_and_only else None

    def get_limit(self, request):
        return query_int(request, self.limit_query_param, self.default_limit, 1, self.max_limit)

    def get_offset(self, request):
        # A page (and the row that tells whether another follows) must fit after it.
        largest = BIGINT_MAX - self.max_limit - 1
        return query_int(request, self.offset_query_param, 0, 0, largest)

    def get_next_link(self):
        if self.keyset:
            return self.keyset.get_next_link()
        if not self.has_next:
            return None
        url = replace_query_param(self.request.build_absolute_uri(), "limit", self.limit)
        return replace_query_param(url, self.offset_query_param, self.offset + self.limit)

    def get_previous_link(self):
        if self.keyset:
            return self.keyset.get_previous_link()
        if self.offset <= 0:
            return None
        url = replace_query_param(self.request.build_absolute_uri(), "limit", self.limit)
        if self.offset - self.limit <= 0:
            return remove_query_param(url, self.offset_query_param)
        return replace_query_param(url, self.offset_query_param, self.offset - self.limit)

    def get_paginated_response(self, data):
        self.count = self.count_rows()
        return Response(
            {
                "count": self.count.value,
                "count_is_estimate": self.count.is_estimate,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "count_is_estimate", "next", "previous", "results"]
        properties = response["properties"]
        properties["count"]["description"] = (
            "The number of matching records; exact unless `count_is_estimate`."
        )
        properties["count_is_estimate"] = {
            "type": "boolean",
            "description": (
                "True when `count` is not exact: on a large unfiltered list it is "
                "the database's estimate; on a filtered list it is the cap and "
                "there are at least that many matches."
            ),
        }
        response["properties"] = {
            name: properties[name]
            for name in ("count", "count_is_estimate", "next", "previous", "results")
        }
        return response

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.limit_query_param: limit_schema(self),
            self.offset_query_param: {"type": "integer", "minimum": 0},
        }
        for parameter in parameters:
            parameter["schema"] = bounds[parameter["name"]]
        parameters.append(
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": (
                    "Keyset pagination for deep pages: send it empty for the first page, "
                    "then follow `next` / `previous`. Not combined with `offset`."
                ),
                "schema": {"type": "string"},
            }
        )
        return parameters


def page_tells_count(offset: int, rows_read: int, size: int) -> bool:
    """Whether a page read as up to `size` rows from `offset` (one more than
    it shows, to see whether another follows) tells the list's count: a
    short page ends the list, unless it is empty past the start."""
    return rows_read < size and (rows_read > 0 or offset == 0)


def read_page(queryset, offset: int, size: int) -> list:
    return list(queryset[offset : offset + size])


def is_filtered(request, view) -> bool:
    """Whether the request narrows the list with any filter (ordering and
    paging do not count)."""
    filterset_class = getattr(view, "filterset_class", None)
    filters = set(filterset_class.base_filters) - {"ordering"} if filterset_class else set()
    return any(name in filters for name in request.query_params)


class FilteredListPlannedForValues:
    """Mixed into a DRF list view: a list narrowed by any filter
    (`is_filtered`) is planned for the filters' values on every request,
    never on a plan PostgreSQL kept for the statement
    (`apps.core.db.planned_for_values`). How many records carry the value
    asked (a tag, a status, an actor) decides the best plan, and a kept plan
    is made for a value as common as the average: a tag's capped count at a
    million records took 299 ms on it, 17 ms planned for the tag."""

    def list(self, request, *args, **kwargs):
        with planned_for_values(is_filtered(request, self)):
            return super().list(request, *args, **kwargs)
