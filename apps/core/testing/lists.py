"""Generic tests of a tool's list: its page envelope, paging, ordering,
filters, search and archived records, each record listed as its detail
shows it, and a query count that does not grow with the page. Mixed into
`EntityAPITestCase`, so every tool is held to them (lists at scale — cursors,
counts, indexes — are in `paging.py`)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.api.registry import filterset_for
from apps.core.api.serializers import tool_field_names
from apps.core.models import User
from apps.core.models.search import unsearchable_field


class ListTests:
    """Mixed into `EntityAPITestCase`; uses its fixtures and helpers."""

    def test_list_returns_a_page_envelope_newest_first(self, api):
        first, second = self.make(1), self.make(2)
        response = api.get(self.list_url)
        assert response.status_code == 200
        body = response.json()
        assert set(body) >= {"count", "next", "previous", "results"}
        assert body["count"] == 2
        assert [row["public_id"] for row in body["results"]] == [second.public_id, first.public_id]

    def test_list_pages_with_limit_and_offset(self, api):
        for n in range(3):
            self.make(n)
        body = api.get(self.list_url, {"limit": 2, "offset": 1}).json()
        assert len(body["results"]) == 2
        assert body["count"] == 3
        assert body["previous"] is not None

    @pytest.mark.parametrize("limit", ["0", "101", "many"])
    def test_list_rejects_a_limit_out_of_range(self, api, limit):
        response = api.get(self.list_url, {"limit": limit})
        assert response.status_code == 400
        assert "limit" in response.json()["errors"]

    @pytest.mark.parametrize("offset", ["-1", "many", str(2**63)])
    def test_list_rejects_an_offset_out_of_range(self, api, offset):
        for url in (self.list_url, self.list_url + f"{self.make(1).pk}/history/"):
            response = api.get(url, {"offset": offset})
            assert response.status_code == 400, url
            assert "offset" in response.json()["errors"]

    def test_list_rejects_a_tag_with_a_null_character(self, api):
        for url in (self.list_url, self.list_url + "export.csv"):
            response = api.get(url, {"tag": "a\x00b"})
            assert response.status_code == 400, url
            assert response.json()["errors"] == {"tag": ["Null characters are not allowed."]}

    def test_list_rejects_an_unknown_query_parameter(self, api):
        response = api.get(self.list_url, {"stauts": "ACTIVE"})
        assert response.status_code == 400
        assert response.json()["errors"] == {"stauts": ["Unknown query parameter."]}

    def test_list_orders_by_every_sortable_field(self, api):
        self.make(1)
        choices = [
            value
            for value, _ in filterset_for(self.model).base_filters["ordering"].extra["choices"]
        ]
        assert "-created_at" in choices
        for value in choices:
            assert api.get(self.list_url, {"ordering": value}).status_code == 200, value

    def test_list_orders_by_name(self, api):
        self.make(1, name="Beta"), self.make(2, name="alpha"), self.make(3, name="Gamma")
        names = [r["name"] for r in api.get(self.list_url, {"ordering": "-name"}).json()["results"]]
        assert names == sorted(names, reverse=True)

    def test_list_rejects_an_unknown_ordering_naming_what_sorts(self, api):
        response = api.get(self.list_url, {"ordering": "no_such_field"})
        assert response.status_code == 400
        (message,) = response.json()["errors"]["ordering"]
        assert message.startswith("no_such_field is not sortable. Sort by one of: id, public_id, ")
        for value, _ in filterset_for(self.model).base_filters["ordering"].extra["choices"]:
            assert value.lstrip("-") in message

    def test_list_ignores_empty_entries_of_an_ordering(self, api):
        self.make(1, name="Beta"), self.make(2, name="alpha"), self.make(3, name="Gamma")
        newest_first = [r["id"] for r in api.get(self.list_url).json()["results"]]
        for ordering in ("", ",", ",,"):
            response = api.get(self.list_url, {"ordering": ordering})
            assert response.status_code == 200, ordering
            assert [r["id"] for r in response.json()["results"]] == newest_first
        response = api.get(self.list_url, {"ordering": ",-name,"})
        assert response.status_code == 200
        names = [r["name"] for r in response.json()["results"]]
        assert names == sorted(names, reverse=True)
        response = api.get(self.list_url, {"ordering": " , "})
        assert response.status_code == 400
        assert "ordering" in response.json()["errors"]

    def test_list_filters_by_repeated_status(self, api):
        draft = self.make(1)
        active = self.make(2, status=self.model.workflow.statuses[1].value)
        statuses = [draft.status, active.status]
        body = api.get(self.list_url + "?" + "&".join(f"status={s}" for s in statuses)).json()
        assert body["count"] == 2
        body = api.get(self.list_url, {"status": active.status}).json()
        assert [r["public_id"] for r in body["results"]] == [active.public_id]

    def test_list_filters_by_category_tag_creator_and_dates(self, api, user):
        tagged = self.make(1, category="Bench", tags=["Calibrated", "urgent"])
        self.make(2, category="Field")
        assert self._ids(api, category="bench") == [tagged.public_id]
        assert self._ids(api, tag="calibrated") == [tagged.public_id]
        assert self._ids(api, tag=["URGENT", "calibrated"]) == [tagged.public_id]
        assert self._ids(api, tag=["urgent", "missing"]) == []
        assert self._ids(api, tag=["urgent", "URGENT", " urgent "]) == [tagged.public_id]
        made_nothing = User.objects.create_user(username="made-nothing")
        assert self._ids(api, created_by=str(made_nothing.pk)) == []
        assert self._ids(api, created_by="me") == []  # `make()` writes as nobody
        after = tagged.created_at.isoformat()
        assert tagged.public_id in self._ids(api, created_after=after)
        assert self._ids(api, created_before=after) == []

    def test_list_filter_by_many_tags_is_one_subquery(self, api):
        names = [f"tag-{n}" for n in range(40)]
        carrying = self.make(1, tags=names)
        self.make(2, tags=names[:-1])
        with CaptureQueriesContext(connection) as captured:
            assert self._ids(api, tag=names) == [carrying.public_id]
        links = self.model.tags_link()[0]._meta.db_table
        for query in captured.captured_queries:  # its tags, and the filter: not one per tag
            sql = query["sql"]
            assert sql.count(f'FROM "{links}"') + sql.count(f'JOIN "{links}"') <= 2, sql

    def test_list_searches_public_id_name_and_description(self, api):
        match = self.make(1, name="Needle in a haystack", description="")
        described = self.make(2, description="Mentions the NEEDLE too")
        self.make(3)
        assert set(self._ids(api, search="needle")) == {match.public_id, described.public_id}
        assert self._ids(api, search=match.public_id.lower()) == [match.public_id]

    def test_list_searches_the_tools_searched_fields_and_no_other_text(self, api):
        record = self.make(1)
        stored = api.get(self.detail_url(record.pk)).json()
        searched = self.model.searched_fields
        for name in tool_field_names(self.model):
            value = stored[name]
            if unsearchable_field(self.model, name) or not value:
                continue
            # A value another searched field holds too is found through that one.
            elsewhere = any(value.lower() in str(stored.get(f) or "").lower() for f in searched)
            found = record.public_id in self._ids(api, search=value)
            assert found == (name in searched or elsewhere), name

    def test_list_filters_on_every_tool_field(self, api):
        record = self.make(1)
        stored = api.get(self.detail_url(record.pk)).json()
        filters = filterset_for(self.model).base_filters
        for name in tool_field_names(self.model):
            value = stored[name]
            if self.model._meta.get_field(name).is_relation and isinstance(value, dict):
                value = value["id"]
            if self.model._meta.get_field(name).many_to_many and value:
                value = value[0]["id"]
            if name in filters and value not in (None, "", [], {}) and not isinstance(value, list):
                assert record.public_id in self._ids(api, **{name: value}), name
            for lookup in ("in", "gte", "lte", "icontains"):
                param = f"{name}__{lookup}"
                if param in filters and value not in (None, "", [], {}):
                    response = api.get(self.list_url, {param: value})
                    assert response.status_code == 200, (param, response.json())

    def test_list_filters_by_the_records_a_many_link_holds(self, api):
        """`?spares=<id>`: the records linked to it; `?spares__in=<id>,<id>`:
        to any of them; each record once, however many of its links match."""
        for name in self._many_link_names():
            first, second = self.make(1), self.make(2)
            (one,), (other,) = (getattr(r, name).all() for r in (first, second))
            both = self.make(3, **{name: [one.pk, other.pk]})
            assert set(self._ids(api, **{name: one.pk})) == {first.public_id, both.public_id}
            both_ids = f"{one.pk},{other.pk}"
            found = self._ids(api, **{f"{name}__in": both_ids})
            assert sorted(found) == sorted([first.public_id, second.public_id, both.public_id])
            assert api.get(self.list_url, {f"{name}__in": both_ids}).json()["count"] == 3
            api.patch(self.detail_url(first.pk), {name: []}, format="json")
            assert self._ids(api, **{name: one.pk}) == [both.public_id]

    def test_list_filter_by_a_many_link_is_a_subquery_not_a_join(self, api):
        """A join lists a record once per link it matches, and only DISTINCT,
        which sorts every match, would list it once."""
        for name in self._many_link_names():
            record = self.make(1)
            links = self.model._meta.get_field(name).remote_field.through._meta.db_table
            ids = ",".join(str(linked.pk) for linked in getattr(record, name).all())
            for params in ({name: ids}, {f"{name}__in": ids}):
                with CaptureQueriesContext(connection) as captured:
                    assert self._ids(api, **params) == [record.public_id]
                records = f'FROM "{self.model._meta.db_table}"'  # not the page's links
                for sql in (q["sql"] for q in captured.captured_queries if records in q["sql"]):
                    assert f'JOIN "{links}"' not in sql, sql
                    assert "DISTINCT" not in sql.upper(), sql

    def test_list_rejects_a_many_link_filter_naming_no_record(self, api):
        for name in self._many_link_names():
            linked = getattr(self.make(1), name).get()
            for param, value in (
                (name, "2147483647"),
                (name, "twelve"),
                (name, linked.public_id),
                (f"{name}__in", f"{linked.pk},2147483647"),
            ):
                response = api.get(self.list_url, {param: value})
                assert response.status_code == 400, (param, value)
                assert list(response.json()["errors"]) == [param], (param, value)
            response = api.get(f"{self.list_url}?{name}={linked.pk}&{name}={linked.pk}")
            assert response.status_code == 400
            assert list(response.json()["errors"]) == [name]

    def _many_link_names(self) -> list[str]:
        """The tool's many-to-many links to other records."""
        return [
            name
            for name in tool_field_names(self.model)
            if self.model._meta.get_field(name).many_to_many
        ]

    def test_list_hides_archived_records_unless_asked(self, api):
        kept, archived = self.make(1), self.make(2)
        api.delete(self.detail_url(archived.pk))
        assert self._ids(api) == [kept.public_id]
        assert set(self._ids(api, include_archived="true")) == {kept.public_id, archived.public_id}
        assert self._ids(api, status=self.model.workflow.archived) == [archived.public_id]

    def test_list_shows_each_record_as_its_detail_does(self, api):
        # Records that share tags and linked records: a list reads each tag or
        # linked record once for the page, and every record still gets its own.
        first = self.make(1, tags=["shared", "own 1"])
        links = {
            name: [linked.pk for linked in getattr(first, name).all()]
            for name in self._many_link_names()
        }
        records = [first, self.make(2, tags=["shared"], **links)]
        records.append(self.make(3, tags=["own 3", "shared"], **links))
        response = api.get(self.list_url)
        assert response.status_code == 200
        listed = {row["id"]: row for row in response.json()["results"]}
        for record in records:
            assert listed[record.pk] == api.get(self.detail_url(record.pk)).json()

    def test_list_query_count_does_not_grow_with_the_page(self, api, user):
        self.make(0, tags=["one", "two"])
        single = self._count_list_queries(api)
        for n in range(1, 50):
            self.make(n, tags=["one", f"tag-{n}"])
        assert self._count_list_queries(api) == single

    def _count_list_queries(self, api) -> int:
        api.get(self.list_url)  # per-process reads (the table's size) happen once
        with CaptureQueriesContext(connection) as queries:
            assert api.get(self.list_url, {"limit": 50}).status_code == 200
        return len(queries)

    def _ids(self, api, **params) -> list[str]:
        response = api.get(self.list_url, params)
        assert response.status_code == 200, response.json()
        return [row["public_id"] for row in response.json()["results"]]
