"""The CSV export, beyond what the generic tool tests hold every tool to: no
page limit, chunked reads, streamed pieces, the exact route, cell writing."""

import csv
import http.client
import io
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from rest_framework import serializers

from apps.components.models import Component
from apps.core.api.export import PIECE_SIZE, cell_writer
from apps.core.api.serializers import EntityReferenceField
from apps.core.heartbeat import keep_alive_with
from tests.core.processes import app_server
from tests.core.slow_export_gunicorn_conf import RECORD_TIME

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


def test_each_piece_tells_the_app_server_the_request_is_alive(api, monkeypatch):
    load(5)
    beats = []
    keep_alive_with(lambda: beats.append(len(pieces)))
    monkeypatch.setattr("apps.core.api.export.PIECE_SIZE", 1)
    try:
        pieces = []
        for piece in api.get(EXPORT).streaming_content:
            pieces.append(piece)
    finally:
        keep_alive_with(None)
    # A beat before each of the five rows' pieces is handed over.
    assert beats == [0, 1, 2, 3, 4]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_export_outlasting_the_app_servers_timeout_arrives_whole():
    """gunicorn kills a sync worker that has not said it is alive for
    `--timeout` seconds. Under the production image's command, with each
    record taking a millisecond, an export of 3,000 records lasts three
    times a one-second timeout: without the heartbeat (apps/core/heartbeat.py)
    it is cut off after the first."""
    load(3000)
    with app_server(
        "--workers", "1", "--timeout", "1", config="python:tests.core.slow_export_gunicorn_conf"
    ) as server:
        client = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        started = time.monotonic()
        client.request("GET", EXPORT)
        response = client.getresponse()
        assert response.status == 200
        body = response.read()  # IncompleteRead if the stream is cut off
        assert time.monotonic() - started > 3000 * RECORD_TIME
    assert "WORKER TIMEOUT" not in server.stderr
    assert len(body.decode().splitlines()) == 3001


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


BOM = "\ufeff".encode()


def test_for_a_spreadsheet_the_file_starts_with_a_byte_order_mark(api):
    Component.objects.create(name="Capteur de pression \u2013 5 kPa", part_number="P-1")
    response = api.get(EXPORT, {"fields": "part_number,name", "byte_order_mark": "true"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content.startswith(BOM + b"part_number,name\r\n")
    assert (
        content[len(BOM) :].decode()
        == "part_number,name\r\nP-1,Capteur de pression \u2013 5 kPa\r\n"
    )


def test_without_it_or_with_false_the_file_is_unchanged(api):
    Component.objects.create(name="Sensor", part_number="P-1")
    for query in ({}, {"byte_order_mark": "false"}):
        content = b"".join(api.get(EXPORT, {"fields": "part_number", **query}).streaming_content)
        assert content == b"part_number\r\nP-1\r\n"


def test_a_byte_order_mark_that_is_no_boolean_is_a_400_naming_it(api):
    response = api.get(EXPORT, {"byte_order_mark": "excel"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"byte_order_mark": ["Must be a valid boolean."]}


def test_the_byte_order_mark_is_in_the_schema(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    export = schema["paths"]["/api/v1/components/components/export.csv"]["get"]
    [parameter] = [p for p in export["parameters"] if p["name"] == "byte_order_mark"]
    assert parameter["in"] == "query"
    assert parameter["schema"]["type"] == "boolean"
