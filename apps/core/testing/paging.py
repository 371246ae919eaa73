"""Generic tests for lists at scale: cursor pagination, counts, and search
through an index. Mixed into `EntityAPITestCase`, so every tool is held to
them."""

import base64
import json
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core.api.counts import count_rows
from apps.core.api.cursors import Cursor, encode_cursor
from apps.core.api.registry import filterset_for
from apps.core.models.indexes import CaseInsensitiveFilterIndex
from apps.core.models.search import TrigramIndex
from apps.core.testing.openapi import openapi_schema


@contextmanager
def planner_settings(**values):
    """Run PostgreSQL's planner with some plan types discouraged, to ask
    whether an index *can* answer a query on a table too small to need one."""
    with connection.cursor() as cursor:
        for name, value in values.items():
            cursor.execute(f"SET {name} = {value}")
        try:
            yield
        finally:
            for name in values:
                cursor.execute(f"RESET {name}")


class PagingAndSearchTests:
    # --- Cursor pagination ---------------------------------------------------------------

    def _walk(self, api, params, direction="next"):
        """The public ids met following `direction` links from the first
        cursor page, and the pages."""
        response = api.get(self.list_url, {**params, "cursor": ""})
        assert response.status_code == 200, response.json()
        pages = [response.json()]
        while pages[-1][direction]:
            response = api.get(pages[-1][direction])
            assert response.status_code == 200, response.json()
            pages.append(response.json())
        return [row["public_id"] for page in pages for row in page["results"]], pages

    def test_cursor_pages_through_every_record_once_newest_first(self, api):
        for n in range(7):
            self.make(n)
        expected = self._ids(api, limit=100)
        seen, pages = self._walk(api, {"limit": 3})
        assert seen == expected
        assert [len(page["results"]) for page in pages] == [3, 3, 1]
        assert pages[0]["previous"] is None
        assert pages[-1]["next"] is None

    def test_cursor_previous_links_walk_back_the_same_pages(self, api):
        for n in range(7):
            self.make(n)
        _, pages = self._walk(api, {"limit": 3})
        back = [pages[-1]]
        while back[-1]["previous"]:
            back.append(api.get(back[-1]["previous"]).json())
        assert [p["results"] for p in reversed(back)] == [p["results"] for p in pages]

    def test_cursor_follows_every_sortable_ordering(self, api):
        for n in range(5):
            self.make(n, category="Same" if n % 2 else "")
        choices = [
            value
            for value, _ in filterset_for(self.model).base_filters["ordering"].extra["choices"]
        ]
        for ordering in choices:
            whole = api.get(self.list_url, {"ordering": ordering, "cursor": "", "limit": 100})
            assert whole.status_code == 200, (ordering, whole.json())
            expected = [row["public_id"] for row in whole.json()["results"]]
            seen, _ = self._walk(api, {"ordering": ordering, "limit": 2})
            assert seen == expected, ordering
            assert len(set(seen)) == 5, ordering

    def test_cursor_keeps_the_filters(self, api):
        for n in range(5):
            self.make(n, category="Kept" if n % 2 else "Other")
        seen, _ = self._walk(api, {"category": "kept", "limit": 1})
        assert seen == self._ids(api, category="kept")
        assert len(seen) == 2

    @pytest.mark.parametrize("cursor", ["not-a-cursor", "eyJvIjpbXX0", "e30"])
    def test_an_invalid_cursor_is_a_400(self, api, cursor):
        response = api.get(self.list_url, {"cursor": cursor})
        assert response.status_code == 400
        assert "cursor" in response.json()["errors"]

    @pytest.mark.parametrize("text", ["a\x00b", "\ud800"], ids=["nul", "surrogate"])
    def test_a_cursor_holding_text_no_row_can_hold_is_a_400(self, api, text):
        cursor = encode_cursor(Cursor(("name", "-created_at", "-id"), (text, timezone.now(), 1)))
        response = api.get(self.list_url, {"ordering": "name", "cursor": cursor})
        assert response.status_code == 400
        assert response.json()["errors"] == {"cursor": ["Invalid cursor."]}

    @pytest.mark.parametrize(
        "position",
        [
            ("0001-01-01T00:00:00+14:00", 1),
            ("9999-12-31T23:59:59-14:00", 1),
            ("2026-01-01T00:00:00+00:00", 10**23),
        ],
        ids=["before year 1 in UTC", "after year 9999 in UTC", "beyond 64 bits"],
    )
    def test_a_cursor_holding_a_value_no_database_takes_is_a_400(self, api, position):
        # A cursor is base64 a client can edit: made here by hand, as one would.
        payload = {"o": ["-created_at", "-id"], "p": list(position), "r": False}
        cursor = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()
        response = api.get(self.list_url, {"cursor": cursor})
        assert response.status_code == 400
        assert response.json()["errors"] == {"cursor": ["Invalid cursor."]}

    def test_a_cursor_made_for_another_ordering_is_a_400(self, api):
        for n in range(3):
            self.make(n)
        following = api.get(self.list_url, {"cursor": "", "limit": 1}).json()["next"]
        token = following.split("cursor=")[1].split("&")[0]
        response = api.get(self.list_url, {"cursor": token, "ordering": "name"})
        assert response.status_code == 400
        assert "ordering" in response.json()["errors"]["cursor"][0]

    def test_a_cursor_with_an_offset_is_a_400(self, api):
        response = api.get(self.list_url, {"cursor": "", "offset": 10})
        assert response.status_code == 400
        assert "offset" in response.json()["errors"]

    def test_history_pages_by_cursor_too(self, api):
        record = self.make(1)
        for n in range(3):
            api.patch(self.detail_url(record.pk), {"name": f"Renamed {n}"}, format="json")
        url = self.detail_url(record.pk, "history")
        expected = [row["id"] for row in api.get(url).json()["results"]]
        body = api.get(url, {"cursor": "", "limit": 1}).json()
        seen = [row["id"] for row in body["results"]]
        while body["next"]:
            body = api.get(body["next"]).json()
            seen += [row["id"] for row in body["results"]]
        assert seen == expected
        assert len(seen) == 4

    # --- Counts ---------------------------------------------------------------------------

    def test_counts_of_small_lists_are_exact(self, api):
        for n in range(3):
            self.make(n, category="Counted" if n else "")
        for params in ({}, {"category": "counted"}, {"cursor": ""}, {"limit": 1}):
            body = api.get(self.list_url, params).json()
            assert body["count_is_estimate"] is False, params
        assert api.get(self.list_url, {"limit": 1}).json()["count"] == 3
        assert api.get(self.list_url, {"category": "counted"}).json()["count"] == 2

    def test_the_count_flag_is_in_the_openapi_schema(self):
        schema = openapi_schema()
        page = schema["components"]["schemas"][f"Paginated{self.model.__name__}List"]
        assert page["properties"]["count_is_estimate"]["type"] == "boolean"
        assert "count_is_estimate" in page["required"]
        path = schema["paths"][self.list_url]["get"]
        assert "cursor" in {p["name"] for p in path["parameters"]}

    # --- Search ---------------------------------------------------------------------------

    def _base_index(self, kind, field: str) -> str:
        """The name of the entity base's `kind` index on `field`."""
        names = [
            index.name
            for index in self.model._meta.indexes
            if isinstance(index, kind) and index.field_name == field
        ]
        assert names, f"{kind.__name__} on {field} missing: keep `*Entity.Meta.indexes`"
        return names[0]

    def test_search_matches_substrings_in_any_case(self, api):
        record = self.make(1, name="Quartz oscillator", description="Low jitter at 25 MHz")
        self.make(2)
        assert self._ids(api, search="RTZ OSC") == [record.public_id]
        assert self._ids(api, search="JITTER") == [record.public_id]
        number = record.public_id.split("-")[1]
        assert record.public_id in self._ids(api, search=number)
        assert self._ids(api, search="no such text anywhere") == []

    def test_search_takes_the_term_literally_within_one_field(self, api):
        record = self.make(1, name="Relay 50% duty_cycle", description="Hauptstraße depot")
        self.make(2, name="Relay 500 duty cycle")
        assert self._ids(api, search="50%") == [record.public_id]
        assert self._ids(api, search="duty_c") == [record.public_id]
        # Cased by the database's rules on both sides: "ß".upper() is "SS" in Python.
        assert self._ids(api, search="STRASSE") == []
        assert self._ids(api, search="straße") == [record.public_id]
        # The end of the name and the start of the description are two fields.
        assert self._ids(api, search="cycle Hauptstr") == []

    @pytest.mark.postgres
    def test_search_is_answered_from_the_search_column_index(self):
        index = self._base_index(TrigramIndex, "search_text")
        searched = filterset_for(self.model)(
            {"search": "needle"}, queryset=self.model.objects.all()
        ).qs
        # Left only bitmap scans, the planner can still answer from an index
        # only if one matches the column `search` compares.
        with planner_settings(enable_seqscan="off", enable_indexscan="off"):
            plan = searched.explain()
        assert index in plan, plan
        # The term is upper-cased once, when the query is planned; each row
        # gets a plain LIKE.
        assert "search_text ~~ '%NEEDLE%'" in plan, plan
        assert "upper(" not in plan.lower(), plan

    # --- The search column is the database's, never the user's ---------------------------

    def test_the_search_column_is_in_no_response_schema_or_manifest(self, api):
        record = self.make(1)
        for body in (
            api.get(self.detail_url(record.pk)).json(),
            api.get(self.list_url).json(),
            api.get("/api/v1/tools/").json(),
            openapi_schema(),
        ):
            assert "search_text" not in json.dumps(body)

    def test_the_search_column_is_not_audited_or_kept_in_history(self, api):
        record = self.make(1)
        response = api.patch(self.detail_url(record.pk), {"name": "Renamed"}, format="json")
        assert response.status_code == 200, response.json()
        changes = [entry["changes"] for entry in self.history(api, record)["results"]]
        assert changes[0] == {"name": {"old": record.name, "new": "Renamed"}}
        assert all("search_text" not in change for change in changes)
        kept = {field.name for field in self.model.history.model._meta.fields}
        assert "search_text" not in kept
        assert "name" in kept

    def test_the_search_column_cannot_be_filtered_sorted_or_exported(self, api):
        self.make(1)
        for params in ({"search_text": "X"}, {"search_text__icontains": "X"}):
            assert api.get(self.list_url, params).status_code == 400, params
        assert api.get(self.list_url, {"ordering": "search_text"}).status_code == 400
        assert api.get(self.export_url, {"fields": "search_text"}).status_code == 400
        header = self.read_csv(api.get(self.export_url))[0]
        assert "search_text" not in header
        assert "name" in header

    @pytest.mark.postgres
    def test_the_default_list_order_is_read_from_an_index(self):
        listed = filterset_for(self.model)({}, queryset=self.model.objects.all()).qs[:50]
        by_status = filterset_for(self.model)(
            {"status": [self.model.workflow.initial]}, queryset=self.model.objects.all()
        ).qs[:50]
        with planner_settings(
            enable_seqscan="off", enable_sort="off", enable_incremental_sort="off"
        ):
            for queryset in (listed, by_status):
                plan = queryset.explain()
                assert "Sort" not in plan, plan
                assert "Index Scan" in plan, plan

    @pytest.mark.postgres
    def test_a_category_filter_is_counted_from_an_index_alone(self):
        index = self._base_index(CaseInsensitiveFilterIndex, "category")
        initial = self.model.workflow.initial
        for params in ({"category": "Bench"}, {"category": "bench", "status": [initial]}):
            filtered = filterset_for(self.model)(params, queryset=self.model.objects.all()).qs
            with CaptureQueriesContext(connection) as queries:
                count_rows(filtered, filtered=True)
            with (
                planner_settings(enable_seqscan="off", enable_bitmapscan="off"),
                connection.cursor() as cursor,
            ):
                cursor.execute(f"EXPLAIN {queries[-1]['sql']}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
            assert f"Index Only Scan using {index}" in plan, (params, plan)
