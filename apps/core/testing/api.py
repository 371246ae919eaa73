"""The generic tool tests: every tool, generated or hand-written, is held to
the platform's behaviour by inheriting them.

    class TestComponentAPI(EntityAPITestCase):
        model = Component

Valid and invalid bodies are derived from the model (see `samples`); set
`sample_values` (a field's value, or a callable making it), or
`create_data`, `invalid_create_data` or `update_data`, where a tool's rules
need more than the derivation knows.
"""

import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from rest_framework.test import APIClient

from apps.core.api.registry import entity_path, filterset_for, serializer_for
from apps.core.api.serializers import tool_field_names
from apps.core.models import AuditEntry, User
from apps.core.permissions import Grants
from apps.core.testing.admin import AdminTests
from apps.core.testing.attachments import AttachmentTests
from apps.core.testing.bulk import BulkAPITests
from apps.core.testing.bulk_tags import BulkTagsAPITests
from apps.core.testing.etags import ConditionalRequestTests
from apps.core.testing.export import ExportAPITests
from apps.core.testing.history import HistoryTests
from apps.core.testing.links import LinkTests
from apps.core.testing.lists import ListTests
from apps.core.testing.openapi import openapi_schema
from apps.core.testing.paging import PagingAndSearchTests
from apps.core.testing.robustness import RobustnessTests
from apps.core.testing.samples import (
    create_record,
    given_values,
    invalid_value,
    linked_tools,
    sample_data,
)
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
    ListTests,
    AttachmentTests,
    AdminTests,
    TransitionTests,
    ConditionalRequestTests,
    HistoryTests,
    LinkTests,
    BulkAPITests,
    BulkTagsAPITests,
    ExportAPITests,
    PagingAndSearchTests,
    RobustnessTests,
):
    model = None
    # A field's sample value where the derived one breaks a rule of the tool,
    # by field name: a value, or a callable given the sample's number `n`
    # that returns one (`lambda n: User.objects.create_user(f"approver-{n}").pk`).
    # Every body and record the tests make uses it (`valid_data()`, `make()`).
    sample_values: dict = {}
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
        """Every permission on the tool, and read on the tools it links to."""
        slug = self.slug
        linked = [f"{tool}:read" for tool in linked_tools(self.model)]
        return client_with(f"{slug}:read", f"{slug}:write", f"{slug}:admin", *linked)

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
        if self.create_data is not None:
            return {**self.create_data, **given_values(self.sample_values, n)}
        return sample_data(self.model, n, self.sample_values)

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
        """A stored record, created from `valid_data(n)` with the same
        validation as a POST."""
        return create_record(self.model, {**self.valid_data(n), **overrides})

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
        assert body["created_by"] == {"id": user.pk, "name": "Tool Tester", "is_active": True}
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
        response = api.post(self.list_url, self.valid_data(1), format="json")
        request_id = response["X-Request-ID"]
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

    def test_write_permission_without_read_writes_and_returns_nothing(self, client_with):
        """Every endpoint answers with records, so every one needs read as well
        as its own level: a writer alone gets no record back from a write."""
        record = self.make(1)
        writer = client_with(f"{self.slug}:write", f"{self.slug}:admin")
        replacement, new, items = self.valid_data(2), self.valid_data(3), self.bulk_items(1, 5)
        before = (self.model.objects.count(), AuditEntry.objects.count())
        responses = [
            writer.patch(self.detail_url(record.pk), {}, format="json"),
            writer.put(self.detail_url(record.pk), replacement, format="json"),
            writer.post(self.list_url, new, format="json"),
            writer.patch(self.bulk_url, [{"id": record.pk}], format="json"),
            writer.post(self.bulk_url, items, format="json"),
            writer.delete(self.detail_url(record.pk)),
            writer.post(self.detail_url(record.pk, "restore")),
        ]
        assert [r.status_code for r in responses] == [403] * len(responses)
        for response in responses:
            assert response.json()["detail"] == f"You need the '{self.slug}:read' permission."
        assert (self.model.objects.count(), AuditEntry.objects.count()) == before

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
        searched = {f["name"]: f["label"] for f in entity["searched_fields"]}
        assert list(searched) == list(self.model.searched_fields)
        assert all(searched[n] == fields[n]["label"] for n in searched if n in fields)

    def test_endpoints_are_in_the_openapi_schema(self):
        schema = openapi_schema()
        base = f"/api/v1/{self.slug}/{entity_path(self.model)}/"
        assert set(schema["paths"][base]) >= {"get", "post"}
        assert set(schema["paths"][base + "{id}/"]) >= {"get", "put", "patch", "delete"}
        parameters = {p["name"] for p in schema["paths"][base]["get"]["parameters"]}
        assert {"status", "search", "ordering", "limit", "offset", "tag"} <= parameters
