"""The generic tool tests: every tool, generated or hand-written, is held to
the platform's behaviour by inheriting them.

    class TestComponentAPI(EntityAPITestCase):
        model = Component

Valid and invalid bodies are derived from the model (see `samples`); set
`create_data`, `invalid_create_data` or `update_data` where a tool's rules
need more than the derivation knows.
"""

import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from apps.core.api.registry import entity_path, filterset_for, serializer_for
from apps.core.api.serializers import tool_field_names
from apps.core.models import AuditEntry, User
from apps.core.permissions import Grants
from apps.core.testing.admin import AdminTests
from apps.core.testing.bulk import BulkAPITests
from apps.core.testing.etags import ConditionalRequestTests
from apps.core.testing.export import ExportAPITests
from apps.core.testing.history import HistoryTests
from apps.core.testing.openapi import openapi_schema
from apps.core.testing.paging import PagingAndSearchTests
from apps.core.testing.robustness import RobustnessTests
from apps.core.testing.samples import create_record, create_sample, invalid_value, sample_data
from apps.core.testing.transitions import TransitionTests
from apps.core.tools import tool_for_model


def client_for(user, *permissions: str) -> APIClient:
    """An API client authenticated as `user`, holding exactly `permissions`
    (the token is bypassed; the permission checks are not)."""
    client = APIClient()
    client.force_authenticate(user, token=Grants(frozenset(permissions)))
    return client


@pytest.mark.django_db
class EntityAPITestCase(
    AdminTests,
    TransitionTests,
    ConditionalRequestTests,
    HistoryTests,
    BulkAPITests,
    ExportAPITests,
    PagingAndSearchTests,
    RobustnessTests,
):
    model = None
    create_data: dict | None = None
    invalid_create_data: dict | None = None
    update_data: dict | None = None

    # --- Fixtures and helpers ---------------------------------------------------

    @pytest.fixture
    def user(self, db):
        return User.objects.create_user(
            username="tool-tester",
            email="tester@example.com",
            first_name="Tool",
            last_name="Tester",
        )

    @pytest.fixture
    def client_with(self, user):
        """A client authenticated as `user` holding exactly the given permissions."""
        return lambda *permissions: client_for(user, *permissions)

    @pytest.fixture
    def api(self, client_with):
        slug = self.slug
        return client_with(f"{slug}:read", f"{slug}:write", f"{slug}:admin")

    @property
    def slug(self) -> str:
        return tool_for_model(self.model).slug

    @property
    def list_url(self) -> str:
        return reverse(f"{self.slug}:{self.model._meta.model_name}-list")

    def detail_url(self, key, action: str | None = None) -> str:
        name = f"{self.slug}:{self.model._meta.model_name}-{action or 'detail'}"
        return reverse(name, kwargs={"id": key})

    def valid_data(self, n: int = 1) -> dict:
        return (
            dict(self.create_data) if self.create_data is not None else sample_data(self.model, n)
        )

    def invalid_cases(self) -> dict:
        if self.invalid_create_data is not None:
            return dict(self.invalid_create_data)
        cases = {"name": "   "}
        for name in tool_field_names(self.model):
            bad = invalid_value(self.model._meta.get_field(name))
            if bad is not None:
                cases[name] = bad
        return cases

    def changed_data(self) -> dict:
        if self.update_data is not None:
            return dict(self.update_data)
        return {"name": "Renamed by the generic tests", "description": "Changed."}

    def audit_entries(self, **filters):
        """This model's audit entries (linked records made by the samples have their own)."""
        content_type = ContentType.objects.get_for_model(self.model)
        return AuditEntry.objects.filter(content_type=content_type, **filters)

    def latest_entry(self, record) -> AuditEntry:
        return self.audit_entries(object_id=record.pk).order_by("-id").first()

    def make(self, n: int = 1, **overrides):
        """A stored record, created with the same validation as a POST."""
        if self.create_data is not None:
            return create_record(self.model, {**self.create_data, **overrides})
        return create_sample(self.model, n, **overrides)

    # --- List -----------------------------------------------------------------------

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

    def test_list_rejects_an_unknown_ordering(self, api):
        response = api.get(self.list_url, {"ordering": "no_such_field"})
        assert response.status_code == 400
        assert "ordering" in response.json()["errors"]

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
        assert self._ids(api, created_by=str(user.pk + 1000)) == []
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

    def test_list_filters_on_every_tool_field(self, api):
        record = self.make(1)
        stored = api.get(self.detail_url(record.pk)).json()
        filters = filterset_for(self.model).base_filters
        for name in tool_field_names(self.model):
            value = stored[name]
            if self.model._meta.get_field(name).is_relation and isinstance(value, dict):
                value = value["id"]
            if name in filters and value not in (None, "", [], {}) and not isinstance(value, list):
                assert record.public_id in self._ids(api, **{name: value}), name
            for lookup in ("in", "gte", "lte", "icontains"):
                param = f"{name}__{lookup}"
                if param in filters and value not in (None, "", [], {}):
                    response = api.get(self.list_url, {param: value})
                    assert response.status_code == 200, (param, response.json())

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
            for name in tool_field_names(self.model)
            if self.model._meta.get_field(name).many_to_many
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

    # --- Retrieve ------------------------------------------------------------------

    def test_retrieve_by_id_and_by_public_id(self, api):
        record = self.make(1)
        by_id = api.get(self.detail_url(record.pk))
        by_public_id = api.get(self.detail_url(record.public_id.lower()))
        assert by_id.status_code == by_public_id.status_code == 200
        assert by_id.json() == by_public_id.json()
        assert by_id.json()["public_id"] == record.public_id

    def test_retrieve_unknown_record_is_a_json_404(self, api):
        response = api.get(self.detail_url(self.model.id_prefix + "-999999"))
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json()["code"] == "not_found"

    def test_fields_parameter_returns_only_those_fields(self, api):
        record = self.make(1)
        body = api.get(self.detail_url(record.pk), {"fields": "public_id,name"}).json()
        assert body == {"public_id": record.public_id, "name": record.name}
        response = api.get(self.list_url, {"fields": "name,bogus"})
        assert response.status_code == 400
        assert "fields" in response.json()["errors"]

    @pytest.mark.parametrize("blank", ["", " , "])
    def test_fields_parameter_naming_no_field_is_a_400(self, api, blank):
        record = self.make(1)
        for url in (self.list_url, self.detail_url(record.pk), self.list_url + "export.csv"):
            response = api.get(url, {"fields": blank})
            assert response.status_code == 400, url
            assert response.json()["errors"] == {
                "fields": ["Name at least one field, or leave fields out for all of them."]
            }

    def test_fields_parameter_shapes_only_the_response_of_a_write(self, api):
        url = f"{self.list_url}?fields=public_id"
        response = api.post(url, {**self.valid_data(1), "category": "Given"}, format="json")
        assert response.status_code == 201, response.json()
        assert list(response.json()) == ["public_id"]
        record = self.model.objects.get(public_id=response.json()["public_id"])
        assert record.category == "Given"  # written, though not shown
        url = f"{self.detail_url(record.pk)}?fields=name"
        response = api.patch(url, {"description": "Changed by a shaped write."}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json() == {"name": record.name}
        record.refresh_from_db()
        assert record.description == "Changed by a shaped write."

    # --- Create ---------------------------------------------------------------------

    def test_create_returns_201_with_location_and_server_set_fields(self, api, user):
        data = {**self.valid_data(1), "public_id": "XX-1", "created_by": 99}
        response = api.post(self.list_url, data, format="json")
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["public_id"].startswith(f"{self.model.id_prefix}-")
        assert body["created_by"] == {"id": user.pk, "name": "Tool Tester"}
        assert body["status"] == self.model.workflow.initial
        assert response["Location"].endswith(self.detail_url(body["id"]))
        assert self.model.objects.get(pk=body["id"]).created_by == user

    def test_create_rejects_each_invalid_field_and_writes_nothing(self, api):
        failures = []
        for field, bad in self.invalid_cases().items():
            response = api.post(self.list_url, {**self.valid_data(1), field: bad}, format="json")
            if response.status_code != 400 or field not in response.json().get("errors", {}):
                failures.append((field, bad, response.status_code, response.content[:200]))
        assert failures == []
        assert not self.model.objects.exists()
        assert not self.audit_entries().exists()

    def test_create_rejects_unknown_fields(self, api):
        response = api.post(self.list_url, {**self.valid_data(1), "colour": "red"}, format="json")
        assert response.status_code == 400
        assert response.json()["errors"] == {"colour": ["Unknown field."]}

    # --- Update, archive, restore ------------------------------------------------------

    def test_patch_changes_only_the_fields_sent(self, api):
        record = self.make(1, category="Kept")
        response = api.patch(self.detail_url(record.pk), self.changed_data(), format="json")
        assert response.status_code == 200, response.json()
        body = response.json()
        for name, value in self.changed_data().items():
            assert body[name] == value
        assert body["category"] == "Kept"

    def test_put_replaces_the_record(self, api):
        record = self.make(1, category="Dropped", description="Dropped too")
        data = self.valid_data(2)
        response = api.put(self.detail_url(record.pk), data, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["name"] == data["name"]
        assert response.json()["category"] == ""
        assert response.json()["description"] == ""

    def test_each_write_answers_the_record_as_its_detail_then_shows_it(self, api):
        # A write's response is made from the record it wrote (its tags, its
        # links, its authors and times as stored), not read again.
        created = api.post(self.list_url, {**self.valid_data(1), "tags": ["b", "a"]}, format="json")
        assert created.status_code == 201, created.json()
        url = self.detail_url(created.json()["id"])
        assert created.json() == api.get(url).json()
        changed = {**self.changed_data(), "tags": ["c", "a"]}
        patched = api.patch(url, changed, format="json")
        assert patched.status_code == 200, patched.json()
        assert patched.json() == api.get(url).json()
        assert api.delete(url).status_code == 204
        restored = api.post(self.detail_url(created.json()["id"], "restore"))
        assert restored.status_code == 200, restored.json()
        assert restored.json() == api.get(url).json()

    def test_delete_archives_and_restore_brings_back(self, api):
        record = self.make(1)
        assert api.delete(self.detail_url(record.pk)).status_code == 204
        record.refresh_from_db()
        assert record.status == self.model.workflow.archived
        assert record.archived_at is not None
        response = api.post(self.detail_url(record.pk, "restore"))
        assert response.status_code == 200
        assert response.json()["status"] == self.model.workflow.restore_to
        assert response.json()["archived_at"] is None

    def test_restore_of_a_record_not_archived_is_a_409(self, api):
        record = self.make(1)
        response = api.post(self.detail_url(record.pk, "restore"))
        assert response.status_code == 409
        assert response.json()["code"] == "not_archived"

    # --- Audit ------------------------------------------------------------------------------

    def test_every_api_write_is_audited_once_with_actor_and_request_id(self, api, user):
        request_id = str(uuid.uuid4())
        response = api.post(
            self.list_url, self.valid_data(1), format="json", HTTP_X_REQUEST_ID=request_id
        )
        assert response["X-Request-ID"] == request_id
        pk = response.json()["id"]
        api.patch(self.detail_url(pk), self.changed_data(), format="json")
        api.delete(self.detail_url(pk))
        api.post(self.detail_url(pk, "restore"))
        entries = list(self.audit_entries(object_id=pk).order_by("id"))
        assert [e.action for e in entries] == ["CREATE", "UPDATE", "ARCHIVE", "RESTORE"]
        assert {e.actor_id for e in entries} == {user.pk}
        assert entries[0].request_id == uuid.UUID(request_id)
        assert len({e.request_id for e in entries}) == 4
        assert entries[1].changes
        for name, value in self.changed_data().items():
            assert entries[1].changes[name]["new"] == value

    def test_a_patch_that_changes_nothing_writes_no_audit_or_history(self, api):
        record = self.make(1)
        before = (AuditEntry.objects.count(), record.history.count())
        response = api.patch(self.detail_url(record.pk), {"name": record.name}, format="json")
        assert response.status_code == 200
        assert (AuditEntry.objects.count(), record.history.count()) == before

    # --- Permissions -------------------------------------------------------------------------

    def test_unauthenticated_requests_are_401(self):
        response = APIClient().get(self.list_url)
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"

    def test_read_permission_allows_reading_only(self, client_with):
        record = self.make(1)
        reader = client_with(f"{self.slug}:read")
        assert reader.get(self.list_url).status_code == 200
        assert reader.get(self.detail_url(record.pk)).status_code == 200
        response = reader.post(self.list_url, self.valid_data(2), format="json")
        assert response.status_code == 403
        assert f"{self.slug}:write" in response.json()["detail"]
        assert reader.delete(self.detail_url(record.pk)).status_code == 403

    def test_write_permission_without_read_cannot_list(self, client_with):
        writer = client_with(f"{self.slug}:write")
        response = writer.get(self.list_url)
        assert response.status_code == 403
        assert f"{self.slug}:read" in response.json()["detail"]

    def test_permissions_of_another_tool_grant_nothing(self, client_with):
        outsider = client_with("other-tool:read", "other-tool:write")
        assert outsider.get(self.list_url).status_code == 403

    # --- Schema and manifest -------------------------------------------------------------------

    def test_the_entity_is_in_the_manifest_with_every_field(self, client_with):
        body = client_with(f"{self.slug}:read").get("/api/v1/tools/").json()
        tool = next(t for t in body["tools"] if t["slug"] == self.slug)
        entity = next(e for e in tool["entities"] if e["name"] == self.model._meta.label_lower)
        assert entity["api_path"] == self.list_url
        assert entity["id_prefix"] == self.model.id_prefix
        fields = {f["name"]: f for f in entity["fields"]}
        assert list(fields) == list(serializer_for(self.model)().fields)
        filters = filterset_for(self.model).base_filters
        for name in tool_field_names(self.model):
            if name in filters:
                assert "exact" in fields[name]["filter_lookups"], name
        assert [s["value"] for s in entity["statuses"]] == [
            v for v, _ in self.model.workflow.choices
        ]

    def test_endpoints_are_in_the_openapi_schema(self):
        schema = openapi_schema()
        base = f"/api/v1/{self.slug}/{entity_path(self.model)}/"
        assert set(schema["paths"][base]) >= {"get", "post"}
        assert set(schema["paths"][base + "{id}/"]) >= {"get", "put", "patch", "delete"}
        parameters = {p["name"] for p in schema["paths"][base]["get"]["parameters"]}
        assert {"status", "search", "ordering", "limit", "offset", "tag"} <= parameters
