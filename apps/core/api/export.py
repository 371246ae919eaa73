"""CSV export: `GET …/export.csv` streams the list — same filters, same
ordering, no page limit — as a spreadsheet.

Columns are the serializer's fields (`?fields=` picks them, in the order
given). Cells: dates in ISO 8601, decimals exact, tags joined with ", ",
links to other entities as their public id, users as their name. A text cell
a spreadsheet would read as a formula (starting with = + - @, tab or CR) gets
a leading `'`, and so does such a start after a `;` or a tab inside a cell.
`?byte_order_mark=true` starts the file with a UTF-8 byte-order mark, for a
spreadsheet. Rows are read `EXPORT_CHUNK_SIZE` at a time and written as they
come, so memory stays flat however many rows there are.
"""

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.fields import SkipField
from rest_framework.negotiation import BaseContentNegotiation

from apps.core.api.registry import entity_path
from apps.core.api.serializers import (
    EntityReferenceField,
    UserReferenceField,
    UserSummarySerializer,
    requested_fields,
)
from apps.core.heartbeat import still_working

LIST_SEPARATOR = ", "
# U+FEFF, which UTF-8 writes as EF BB BF: a spreadsheet reads the file as UTF-8.
BYTE_ORDER_MARK = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The same after a `;` or a tab inside a cell: a spreadsheet that splits cells
# at `;` (Excel in German, French, Dutch) or at tabs starts a cell there.
FORMULA_INSIDE = re.compile("(?<=[;\t])(?=[" + re.escape("".join(FORMULA_STARTS)) + "])")
# Rows are handed to the server in pieces of about this many characters.
PIECE_SIZE = 64 * 1024


def defuse(text: str) -> str:
    """Keep a spreadsheet from running a cell as a formula (CSV injection),
    nor the part of it after a `;` or a tab, which some split into a cell."""
    if ";" in text or "\t" in text:  # rare: the search is kept off the common cell
        text = FORMULA_INSIDE.sub("'", text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell_writer(field: serializers.Field) -> Callable[[object], str]:
    """How a value of one serializer field is written in a cell."""
    if isinstance(field, serializers.ManyRelatedField):
        one = cell_writer(field.child_relation)
        return lambda values: LIST_SEPARATOR.join(one(value) for value in values)
    if isinstance(field, EntityReferenceField):
        return lambda record: defuse(record.public_id)
    if isinstance(field, (UserSummarySerializer, UserReferenceField)):
        return lambda user: defuse(user.display_name)
    if isinstance(field, serializers.ListField):
        return lambda values: defuse(
            LIST_SEPARATOR.join(str(field.child.to_representation(v)) for v in values)
        )
    if isinstance(field, serializers.BooleanField):
        return lambda value: "true" if value else "false"
    if isinstance(
        field, (serializers.IntegerField, serializers.FloatField, serializers.DecimalField)
    ):
        return lambda value: str(field.to_representation(value))
    if isinstance(
        field, (serializers.JSONField, serializers.DictField, serializers.BaseSerializer)
    ):
        return lambda value: defuse(
            json.dumps(field.to_representation(value), cls=DjangoJSONEncoder)
        )
    return lambda value: defuse(str(field.to_representation(value)))


@dataclass(frozen=True)
class Column:
    name: str
    field: serializers.Field
    write: Callable[[object], str]

    def cell(self, record) -> str:
        try:
            value = self.field.get_attribute(record)
        except SkipField:
            return ""
        return "" if value is None else self.write(value)


def export_columns(serializer, requested: list[str] | None) -> list[Column]:
    """The serializer's readable fields, in the order `?fields=` gives them."""
    readable = {name: field for name, field in serializer.fields.items() if not field.write_only}
    names = dict.fromkeys(requested) if requested else readable
    return [
        Column(name, readable[name], cell_writer(readable[name]))
        for name in names
        if name in readable
    ]


def csv_pieces(
    columns: list[Column], records: Iterable, *, byte_order_mark: bool = False
) -> Iterator[str]:
    """The header row and one row per record, in pieces of about PIECE_SIZE;
    the app server hears that the request is alive with each piece (an
    export may outlast its timeout: apps/core/heartbeat.py). With
    `byte_order_mark`, the file starts with one (U+FEFF)."""
    buffer = io.StringIO()
    if byte_order_mark:
        buffer.write(BYTE_ORDER_MARK)
    writer = csv.writer(buffer)
    writer.writerow([column.name for column in columns])
    for record in records:
        writer.writerow([column.cell(record) for column in columns])
        if buffer.tell() >= PIECE_SIZE:
            still_working()
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


class IgnoreClientContentNegotiation(BaseContentNegotiation):
    """The export is CSV whatever the Accept header asks for, so `Accept:
    text/csv` is no 406; its errors are rendered as every other error."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ExportQuerySerializer(serializers.Serializer):
    """What the export takes besides the list's filters, ordering and `fields`."""

    byte_order_mark = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "`true`: the file starts with a UTF-8 byte-order mark, by which a spreadsheet "
            "(Excel) knows it is UTF-8 and shows text beyond ASCII as it is; for a file "
            "opened in one. Default `false`: no mark, for programs."
        ),
    )


class ExportModelMixin:
    """`GET …/export.csv`: the filtered, ordered list as a streamed CSV file."""

    @extend_schema(
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR,
                description="A header row, then one row per record. Cells: ISO 8601 dates, "
                "exact decimals, tags joined with ', ', links as public ids, users by name.",
            )
        },
        parameters=[ExportQuerySerializer],
        description="Every record the list would show for the same filters and ordering, "
        "without paging, as CSV. `?fields=` picks the columns, in order.",
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="export.csv",
        url_name="export",
        pagination_class=None,
        content_negotiation_class=IgnoreClientContentNegotiation,
        action_query_params={"GET": frozenset(ExportQuerySerializer().fields)},
    )
    def export(self, request, *args, **kwargs):
        query = ExportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        columns = export_columns(self.get_serializer(), requested_fields(request))
        records = self.filter_queryset(self.get_queryset())
        response = StreamingHttpResponse(
            csv_pieces(
                columns,
                records.iterator(chunk_size=settings.EXPORT_CHUNK_SIZE),
                byte_order_mark=query.validated_data["byte_order_mark"],
            ),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{self.export_filename()}"'
        # A file of records is kept by no cache, the browser's own included.
        response["Cache-Control"] = "no-store"
        return response

    def export_filename(self) -> str:
        today = timezone.localdate().isoformat()
        return f"{self.tool.slug}-{entity_path(self.model)}-{today}.csv"
