"""The CSV export, beyond what the generic tool tests hold every tool to: no
page limit, chunked reads, streamed pieces, the exact route, cell writing."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from rest_framework import serializers

from apps.components.models import Component
from apps.core.api.export import PIECE_SIZE, cell_writer
from apps.core.api.serializers import EntityReferenceField

pytestmark = pytest.mark.django_db

EXPORT = "/api/v1/components/components/export.csv"


def load(count, **fields):
    rows = [
        Component(name=f"Part {n}", part_number=f"P-{n}", unit_cost=Decimal("0.10"), **fields)
        for n in range(count)
    ]
    created = Component.objects.bulk_create(rows)
    return created


def rows(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_export_is_not_paged_and_reads_rows_a_chunk_at_a_time(api):
    created = load(130)
    with override_settings(EXPORT_CHUNK_SIZE=50), CaptureQueriesContext(connection) as queries:
        header, *body = rows(api.get(EXPORT, {"fields": "public_id,unit_cost,tags"}))
    assert header == ["public_id", "unit_cost", "tags"]
    assert [row[0] for row in body] == [record.public_id for record in reversed(created)]
    assert {row[1] for row in body} == {"0.10"}
    if connection.vendor == "postgresql":
        assert len(queries) == 1  # the tags come with the rows, read in chunks from a cursor
    else:
        assert len(queries) == 1 + 3  # the rows, then the tags of each chunk of 50


def test_rows_are_streamed_in_pieces(api):
    load(300, description="x" * 500)
    response = api.get(EXPORT)
    pieces = list(response.streaming_content)
    assert len(pieces) > 1
    assert all(len(piece) < PIECE_SIZE + 2000 for piece in pieces)


def test_the_route_is_exactly_export_csv(api):
    load(1)
    assert api.get(EXPORT + "/").status_code == 404
    assert api.get(EXPORT.replace(".csv", "")).status_code == 404
    assert api.get(EXPORT.replace("export.csv", "exportxcsv")).status_code == 404
    assert len(rows(api.get(EXPORT, {"format": "json"}))) == 2


def test_cells_are_written_by_the_kind_of_field():
    first, second = load(2)
    links = EntityReferenceField(queryset=Component.objects.all(), many=True)
    assert cell_writer(links)([first, second]) == f"{first.public_id}, {second.public_id}"
    assert cell_writer(serializers.IntegerField())(-5) == "-5"
    assert cell_writer(serializers.DecimalField(max_digits=6, decimal_places=3))(
        Decimal("-1.5")
    ) == ("-1.500")
    assert cell_writer(serializers.BooleanField())(False) == "false"
    assert cell_writer(serializers.JSONField())({"a": [1, "=x"]}) == '{"a": [1, "=x"]}'
    assert cell_writer(serializers.CharField())("-1 dB") == "'-1 dB"
    assert cell_writer(serializers.CharField())("\rcmd") == "'\rcmd"
