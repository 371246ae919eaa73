"""Generic tests of the CSV export (`…/export.csv`), held against every tool
through `EntityAPITestCase`."""

import csv
import datetime
import io
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers

from apps.core.api.registry import entity_path, serializer_for
from apps.core.testing.openapi import openapi_schema


def as_cell(value, field) -> str:
    """A value of the API's JSON as the export writes it in a cell of
    `field` (a serializer field): the documented rules, from the other side."""
    if value is None:
        return ""
    if isinstance(field, serializers.JSONField):
        return json.dumps(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(as_cell(v, None) for v in value)
    if isinstance(value, dict):  # a link to a record, or a user
        return value["public_id"] if "public_id" in value else value["name"]
    return str(value)


class ExportAPITests:
    # --- Helpers --------------------------------------------------------------------

    @property
    def export_url(self) -> str:
        return reverse(f"{self.slug}:{self.model._meta.model_name}-export")

    @staticmethod
    def read_csv(response) -> list[list[str]]:
        assert response.status_code == 200, response.content[:500]
        assert response.streaming
        text = b"".join(response.streaming_content).decode("utf-8")
        return list(csv.reader(io.StringIO(text)))

    def export_column(self, api, name, **params) -> list[str]:
        header, *rows = self.read_csv(api.get(self.export_url, params))
        return [row[header.index(name)] for row in rows]

    def list_column(self, api, name, **params) -> list[str]:
        response = api.get(self.list_url, {**params, "limit": 100})
        assert response.status_code == 200, response.json()
        field = serializer_for(self.model)().fields[name]
        return [as_cell(row[name], field) for row in response.json()["results"]]

    # --- Tests ------------------------------------------------------------------------------

    def test_export_streams_the_list_as_a_csv_attachment(self, api):
        kept, archived, newest = self.make(1), self.make(2), self.make(3)
        api.delete(self.detail_url(archived.pk))
        response = api.get(self.export_url)
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        today = timezone.localdate().isoformat()
        filename = f"{self.slug}-{entity_path(self.model)}-{today}.csv"
        assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
        header, *rows = self.read_csv(response)
        assert header == list(api.get(self.detail_url(kept.pk)).json())
        public_ids = [row[header.index("public_id")] for row in rows]
        assert public_ids == [newest.public_id, kept.public_id]

    def test_export_cells_are_the_api_values_flattened(self, api):
        data = {**self.valid_data(1), "tags": ["Beta", "alpha"], "category": "Bench"}
        created = api.post(self.list_url, data, format="json").json()
        stored = api.get(self.detail_url(created["id"])).json()
        header, row = self.read_csv(api.get(self.export_url))
        cells = dict(zip(header, row, strict=True))
        fields = serializer_for(self.model)().fields
        assert cells == {name: as_cell(value, fields[name]) for name, value in stored.items()}
        assert cells["tags"] == "alpha, Beta"
        assert cells["created_by"] == "Tool Tester"
        created = self.model.objects.get(pk=stored["id"]).created_at
        assert datetime.datetime.fromisoformat(cells["created_at"]) == created

    def test_export_defuses_cells_a_spreadsheet_would_run_as_formulas(self, api):
        self.make(1, name="=1+2", description="@SUM(A1)", category="+cmd", tags=["-x"])
        header, row = self.read_csv(api.get(self.export_url))
        cells = dict(zip(header, row, strict=True))
        assert (cells["name"], cells["description"]) == ("'=1+2", "'@SUM(A1)")
        assert (cells["category"], cells["tags"]) == ("'+cmd", "'-x")

    def test_export_defuses_a_formula_after_a_semicolon_or_a_tab_inside_a_cell(self, api):
        """Excel in German, French or Dutch splits a line at `;`: the part
        after it is a cell of its own, and would run as a formula."""
        self.make(1, name="Resistor;=cmd|' /C calc'!A0", description="a\t+b;-c", category="x;@y;z")
        header, row = self.read_csv(api.get(self.export_url))
        cells = dict(zip(header, row, strict=True))
        assert cells["name"] == "Resistor;'=cmd|' /C calc'!A0"
        assert cells["description"] == "a\t'+b;'-c"
        assert cells["category"] == "x;'@y;z"

    def test_export_takes_the_list_filters_search_and_ordering(self, api):
        self.make(1, name="Beta", category="Bench")
        self.make(2, name="alpha", category="Bench", tags=["picked"])
        self.make(3, name="Gamma", category="Field")
        for params in (
            {"category": "bench", "ordering": "name"},
            {"ordering": "-name"},
            {"search": "gamma"},
            {"tag": "PICKED"},
        ):
            exported = self.export_column(api, "public_id", **params)
            assert exported == self.list_column(api, "public_id", **params), params

    def test_export_refuses_unknown_parameters_and_paging(self, api):
        for params in ({"stauts": "ACTIVE"}, {"limit": "10"}, {"ordering": "bogus"}):
            response = api.get(self.export_url, params)
            assert response.status_code == 400, params
            assert response["Content-Type"] == "application/json"
            assert set(response.json()["errors"]) == set(params)

    def test_export_fields_picks_the_columns_in_the_order_given(self, api):
        record = self.make(1)
        header, row = self.read_csv(api.get(self.export_url, {"fields": "name,public_id"}))
        assert (header, row) == (["name", "public_id"], [record.name, record.public_id])
        response = api.get(self.export_url, {"fields": "name,bogus"})
        assert response.status_code == 400
        assert "fields" in response.json()["errors"]

    def test_export_answers_csv_whatever_the_client_accepts(self, api):
        self.make(1)
        response = api.get(self.export_url, HTTP_ACCEPT="text/csv")
        assert len(self.read_csv(response)) == 2
        response = api.get(self.export_url, {"bogus": "1"}, HTTP_ACCEPT="text/csv")
        assert response.status_code == 400
        assert response.json()["code"] == "invalid"

    def test_export_query_count_does_not_grow_with_the_rows(self, api):
        self.make(0, tags=["one", "two"])
        few = self._count_export_queries(api)
        for n in range(1, 20):
            self.make(n, tags=["one", f"tag-{n}"])
        assert self._count_export_queries(api) == few

    def _count_export_queries(self, api) -> int:
        with CaptureQueriesContext(connection) as queries:
            self.read_csv(api.get(self.export_url))
        return len(queries)

    def test_export_needs_read_permission(self, client_with):
        writer = client_with(f"{self.slug}:write")
        response = writer.get(self.export_url)
        assert response.status_code == 403
        assert f"{self.slug}:read" in response.json()["detail"]
        assert client_with(f"{self.slug}:read").get(self.export_url).status_code == 200

    def test_export_is_in_the_openapi_schema_as_text_csv(self):
        schema = openapi_schema()
        path = f"/api/v1/{self.slug}/{entity_path(self.model)}/export.csv"
        operation = schema["paths"][path]["get"]
        assert list(operation["responses"]["200"]["content"]) == ["text/csv"]
        parameters = {p["name"] for p in operation["parameters"]}
        assert {"status", "search", "ordering", "tag", "fields"} <= parameters
        assert not {"limit", "offset"} & parameters
