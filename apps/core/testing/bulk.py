"""Generic tests of the bulk writes (`…/bulk/`, `…/bulk/archive/`), held
against every tool through `EntityAPITestCase`; bulk tagging's are in
bulk_tags.py."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from apps.core.api.registry import entity_path
from apps.core.api.serializers import tool_field_names
from apps.core.models import AuditEntry
from apps.core.models.tags import MAX_TAGS_PER_RECORD
from apps.core.testing.openapi import openapi_schema


class BulkAPITests:
    # --- Helpers ---------------------------------------------------------------------

    @property
    def bulk_url(self) -> str:
        return reverse(f"{self.slug}:{self.model._meta.model_name}-bulk-create")

    @property
    def bulk_archive_url(self) -> str:
        return reverse(f"{self.slug}:{self.model._meta.model_name}-bulk-archive")

    def bulk_items(self, count: int, start: int = 0) -> list[dict]:
        """Valid, distinct create bodies. A tool whose `create_data` holds a
        unique value overrides this."""
        return [self.valid_data(n) for n in range(start, start + count)]

    def unique_field_names(self) -> list[str]:
        return [
            name
            for name in tool_field_names(self.model)
            if getattr(self.model._meta.get_field(name), "unique", False)
        ]

    def api_value(self, api, record, name):
        """A field of a stored record as a client would send it back."""
        value = api.get(self.detail_url(record.pk)).json()[name]
        return value["id"] if isinstance(value, dict) else value

    def entries(self, action=None):
        entries = AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model)
        ).order_by("id")
        return list(entries.filter(action=action) if action else entries)

    @staticmethod
    def failing_indexes(response) -> list[int]:
        assert response.status_code == 400, response.json()
        assert isinstance(response.json()["errors"], list)
        return [error["index"] for error in response.json()["errors"]]

    @staticmethod
    def assert_refused_as_a_whole(response, code):
        assert response.status_code == 400
        assert response.json()["code"] == code
        assert response.json()["errors"] == []

    # --- Bulk create ----------------------------------------------------------------------

    def test_bulk_create_returns_201_with_every_record_in_request_order(self, api, user):
        items = self.bulk_items(3)
        response = api.post(self.bulk_url, items, format="json")
        assert response.status_code == 201, response.json()
        body = response.json()
        assert [row["name"] for row in body] == [item["name"] for item in items]
        assert len({row["public_id"] for row in body}) == 3
        assert all(row["public_id"].startswith(f"{self.model.id_prefix}-") for row in body)
        assert all(
            row["created_by"] == {"id": user.pk, "name": "Tool Tester", "is_active": True}
            for row in body
        )
        assert self.model.objects.count() == 3

    def test_bulk_writes_answer_each_record_as_its_detail_then_shows_it(self, api):
        # Records that share tags: each answered with its own, as read after.
        items = [
            {**item, "tags": ["shared", f"own {n}"]} for n, item in enumerate(self.bulk_items(3))
        ]
        created = api.post(self.bulk_url, items, format="json")
        assert created.status_code == 201, created.json()
        for row in created.json():
            assert row == api.get(self.detail_url(row["id"])).json()
        changes = [{"id": row["id"], "tags": ["shared", "again"]} for row in created.json()[:2]]
        updated = api.patch(self.bulk_url, changes, format="json")
        assert updated.status_code == 200, updated.json()
        for row in updated.json():
            assert row == api.get(self.detail_url(row["id"])).json()

    def test_bulk_create_reports_every_failing_item_and_writes_nothing(self, api):
        cases = list(self.invalid_cases().items())
        items = self.bulk_items(len(cases) + 1)
        for item, (field, bad) in zip(items[1:], cases, strict=True):
            item[field] = bad
        response = api.post(self.bulk_url, items, format="json")
        assert self.failing_indexes(response) == list(range(1, len(items)))
        body = response.json()
        assert body["code"] == "invalid"
        assert body["detail"] == f"{len(cases)} of {len(items)} failed; nothing was written."
        for error, (field, _) in zip(body["errors"], cases, strict=True):
            assert field in error["errors"], (field, error)
        assert not self.model.objects.exists()
        assert self.entries() == []

    def test_bulk_create_reports_items_that_are_not_objects(self, api):
        response = api.post(self.bulk_url, [self.valid_data(0), 7, "text", None], format="json")
        assert self.failing_indexes(response) == [1, 2, 3]
        for error in response.json()["errors"]:  # by field, as every item's errors
            assert list(error["errors"]) == ["non_field_errors"], error
        assert not self.model.objects.exists()

    def test_bulk_update_reports_items_that_are_not_objects(self, api):
        record = self.make(0)
        items = [{"id": record.pk, "name": "Renamed in bulk"}, None, 7, ["text"]]
        response = api.patch(self.bulk_url, items, format="json")
        assert self.failing_indexes(response) == [1, 2, 3]
        for error in response.json()["errors"]:
            assert list(error["errors"]) == ["non_field_errors"], error
        record.refresh_from_db()
        assert record.name != "Renamed in bulk"

    def test_bulk_create_refuses_duplicates_of_a_unique_field(self, api):
        unique = self.unique_field_names()
        if not unique:
            pytest.skip("the model has no unique field")
        name = unique[0]
        stored = self.make(0)
        items = self.bulk_items(3, start=1)
        items[1][name] = items[0][name]
        items[2][name] = self.api_value(api, stored, name)
        response = api.post(self.bulk_url, items, format="json")
        assert self.failing_indexes(response) == [1, 2]
        errors = response.json()["errors"]
        assert errors[0]["errors"][name] == ["Same as item 0 of this request; must be unique."]
        assert name in errors[1]["errors"]
        assert self.model.objects.count() == 1

    @pytest.mark.parametrize(
        ("body", "code"),
        [({"name": "an object"}, "invalid_body"), ([], "empty"), ("text", "invalid_body")],
    )
    def test_bulk_create_refuses_a_body_that_is_not_a_list_of_items(self, api, body, code):
        self.assert_refused_as_a_whole(api.post(self.bulk_url, body, format="json"), code)

    def test_bulk_create_refuses_more_than_the_limit_before_any_work(self, api):
        items = [self.valid_data(0)] * 1001
        with CaptureQueriesContext(connection) as queries:
            response = api.post(self.bulk_url, items, format="json")
        assert response.status_code == 400
        assert response.json()["code"] == "too_many_items"
        assert response.json()["detail"] == "At most 1000 items per request; got 1001."
        transaction_control = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT")
        assert [q["sql"] for q in queries if not q["sql"].startswith(transaction_control)] == []

    def test_the_limit_is_a_setting(self, api):
        with override_settings(BULK_MAX_ITEMS=2):
            assert api.post(self.bulk_url, self.bulk_items(3), format="json").status_code == 400
            assert api.post(self.bulk_url, self.bulk_items(2), format="json").status_code == 201

    def test_bulk_create_audits_each_record_once_under_the_request_id(self, api, user):
        response = api.post(self.bulk_url, self.bulk_items(3), format="json")
        assert response.status_code == 201, response.json()
        request_id = response["X-Request-ID"]
        entries = self.entries()
        assert sorted(e.object_id for e in entries) == sorted(row["id"] for row in response.json())
        assert {e.action for e in entries} == {"CREATE"}
        assert {str(e.request_id) for e in entries} == {request_id}
        assert {e.actor_id for e in entries} == {user.pk}

    @pytest.mark.postgres
    def test_bulk_create_query_count_does_not_grow_with_the_items(self, api):
        if any(f.name != "tags" for f in self.model._meta.many_to_many):
            pytest.skip("a tool's own many-to-many fields are set record by record")
        few = [{**item, "tags": ["bulk", f"few-{n}"]} for n, item in enumerate(self.bulk_items(10))]
        many = [
            {**item, "tags": ["bulk", f"many-{n}"]}
            for n, item in enumerate(self.bulk_items(100, start=10))
        ]
        api.post(self.bulk_url, self.bulk_items(1, start=200), format="json")  # warms caches
        counts = []
        for items in (few, many):
            with CaptureQueriesContext(connection) as queries:
                response = api.post(self.bulk_url, items, format="json")
            assert response.status_code == 201, response.json()
            counts.append(len(queries))
        assert counts[0] == counts[1]

    # --- Bulk update --------------------------------------------------------------------------

    def test_bulk_update_changes_each_record_named_by_id_or_public_id(self, api):
        first, second = self.make(1), self.make(2)
        second.refresh_from_db()
        version = second.version
        changed = self.changed_data()
        items = [
            {"id": first.pk, **changed},
            {"id": second.public_id.lower(), "category": "Bulk"},
        ]
        response = api.patch(self.bulk_url, items, format="json")
        assert response.status_code == 200, response.json()
        body = response.json()
        assert [row["id"] for row in body] == [first.pk, second.pk]
        for name, value in changed.items():
            assert body[0][name] == value
        assert body[1]["category"] == "Bulk"
        assert body[1]["name"] == second.name
        second.refresh_from_db()
        assert (second.category, second.version) == ("Bulk", version + 1)

    def test_bulk_update_reports_every_failing_item_and_writes_nothing(self, api):
        cases = list(self.invalid_cases().items())
        records = [self.make(n) for n in range(len(cases) + 1)]
        items = [{"id": records[0].pk, "name": "Renamed in bulk"}]
        items += [
            {"id": record.pk, field: bad}
            for record, (field, bad) in zip(records[1:], cases, strict=True)
        ]
        items += [
            {"id": f"{self.model.id_prefix}-999999", "name": "Unknown"},
            {"name": "Without an id"},
            {"id": records[0].public_id, "description": "The same record again"},
        ]
        response = api.patch(self.bulk_url, items, format="json")
        assert self.failing_indexes(response) == list(range(1, len(items)))
        errors = response.json()["errors"]
        for error, (field, _) in zip(errors[: len(cases)], cases, strict=True):
            assert field in error["errors"], (field, error)
        unknown, no_id, again = (e["errors"]["id"] for e in errors[-3:])
        assert unknown == [f"No {self.model._meta.verbose_name} with id '{items[-3]['id']}'."]
        assert no_id == ["This field is required."]
        assert again == ["Same record as item 0 of this request."]
        records[0].refresh_from_db()
        assert records[0].name != "Renamed in bulk"
        assert self.entries("UPDATE") == []

    def test_bulk_update_audits_each_changed_record_once_under_the_request_id(self, api, user):
        renamed, retagged, untouched = self.make(1), self.make(2), self.make(3)
        untouched.refresh_from_db()
        version = untouched.version
        items = [
            {"id": renamed.pk, "name": "Renamed in bulk"},
            {"id": retagged.pk, "tags": ["Bulk"]},
            {"id": untouched.pk, "name": untouched.name},
        ]
        response = api.patch(self.bulk_url, items, format="json")
        assert response.status_code == 200, response.json()
        request_id = response["X-Request-ID"]
        assert response.json()[1]["tags"] == ["Bulk"]
        updates = self.entries("UPDATE")
        assert sorted(e.object_id for e in updates) == sorted([renamed.pk, retagged.pk])
        assert {str(e.request_id) for e in updates} == {request_id}
        assert {e.actor_id for e in updates} == {user.pk}
        by_record = {e.object_id: e.changes for e in updates}
        assert by_record[renamed.pk] == {"name": {"old": renamed.name, "new": "Renamed in bulk"}}
        assert by_record[retagged.pk] == {"tags": {"old": [], "new": ["Bulk"]}}
        untouched.refresh_from_db()
        assert untouched.version == version

    def test_bulk_update_refuses_a_unique_value_another_record_holds(self, api):
        unique = self.unique_field_names()
        if not unique:
            pytest.skip("the model has no unique field")
        name = unique[0]
        first, second = self.make(1), self.make(2)
        taken = [{"id": first.pk, name: self.api_value(api, second, name)}]
        assert self.failing_indexes(api.patch(self.bulk_url, taken, format="json")) == [0]
        fresh = self.bulk_items(1, start=9)[0][name]
        twice = [{"id": first.pk, name: fresh}, {"id": second.pk, name: fresh}]
        assert self.failing_indexes(api.patch(self.bulk_url, twice, format="json")) == [1]
        own = [{"id": first.pk, name: self.api_value(api, first, name)}]
        assert api.patch(self.bulk_url, own, format="json").status_code == 200

    # --- The workflow, item by item ----------------------------------------------------------

    def test_bulk_update_obeys_the_workflow_for_every_item(self, api):
        """Uses the workflow helpers of `TransitionTests`."""
        missing = self.missing_transitions()
        if not missing:
            pytest.skip("The workflow allows every move.")
        items, records = [], []
        for n, transition in enumerate(self.open_transitions()[:1]):
            records.append(self.in_status(transition.source, n))
            items.append({"id": records[-1].pk, "status": transition.target})
        refused_from = len(items)
        for n, (source, target) in enumerate(missing, start=10):
            records.append(self.in_status(source, n))
            items.append({"id": records[-1].pk, "status": target, "name": "Not saved"})
        response = api.patch(self.bulk_url, items, format="json")
        assert self.failing_indexes(response) == list(range(refused_from, len(items)))
        for error, (source, _) in zip(response.json()["errors"], missing, strict=True):
            (message,) = error["errors"]["status"]
            labels = [self.workflow.status(value).label for value in self.allowed_from(source)]
            assert message.endswith(f"Allowed: {', '.join(labels)}.")
        for record in records:
            before = (record.status, record.name)
            record.refresh_from_db()
            assert (record.status, record.name) == before
        assert self.entries("UPDATE") == []

    def test_bulk_create_refuses_the_archived_status(self, api):
        items = self.bulk_items(2)
        items[1]["status"] = self.model.workflow.archived
        response = api.post(self.bulk_url, items, format="json")
        assert self.failing_indexes(response) == [1]
        assert "status" in response.json()["errors"][0]["errors"]
        assert not self.model.objects.exists()

    # --- Bulk archive --------------------------------------------------------------------------

    def test_bulk_archive_archives_each_record_and_lists_them(self, api):
        first, second, archived = self.make(1), self.make(2), self.make(3)
        api.delete(self.detail_url(archived.pk))
        ids = [first.pk, second.public_id, archived.pk]
        response = api.post(self.bulk_archive_url, {"ids": ids}, format="json")
        assert response.status_code == 200, response.json()
        request_id = response["X-Request-ID"]
        assert response.json() == {
            "archived": [
                {"id": r.pk, "public_id": r.public_id, "name": r.name}
                for r in (first, second, archived)
            ]
        }
        archived_status = self.model.workflow.archived
        assert set(self.model.objects.values_list("status", flat=True)) == {archived_status}
        entries = [e for e in self.entries("ARCHIVE") if str(e.request_id) == request_id]
        assert sorted(e.object_id for e in entries) == [first.pk, second.pk]

    def test_bulk_archive_is_all_or_nothing(self, api):
        record = self.make(1)
        ids = [record.pk, f"{self.model.id_prefix}-999999", record.public_id, [1]]
        response = api.post(self.bulk_archive_url, {"ids": ids}, format="json")
        assert self.failing_indexes(response) == [1, 2, 3]
        assert response.json()["detail"] == "3 of 4 failed; nothing was written."
        record.refresh_from_db()
        assert record.status != self.model.workflow.archived

    @pytest.mark.parametrize(
        ("body", "code"),
        [
            ({}, "invalid_body"),
            ([1, 2], "invalid_body"),
            ({"ids": [1], "comment": "extra"}, "invalid_body"),
            ({"ids": 1}, "invalid_body"),
            ({"ids": []}, "empty"),
        ],
    )
    def test_bulk_archive_refuses_a_body_without_a_list_of_ids(self, api, body, code):
        self.assert_refused_as_a_whole(api.post(self.bulk_archive_url, body, format="json"), code)

    # --- Permissions and schema ------------------------------------------------------------------

    def test_bulk_writes_need_write_permission(self, client_with):
        record = self.make(1)
        reader = client_with(f"{self.slug}:read")
        responses = [
            reader.post(self.bulk_url, self.bulk_items(1, start=5), format="json"),
            reader.patch(self.bulk_url, [{"id": record.pk, "name": "No"}], format="json"),
            reader.post(self.bulk_archive_url, {"ids": [record.pk]}, format="json"),
            reader.post(self.bulk_tags_url, {"ids": [record.pk], "add": ["no"]}, format="json"),
        ]
        assert [r.status_code for r in responses] == [403, 403, 403, 403]
        assert all(f"{self.slug}:write" in r.json()["detail"] for r in responses)

    def test_bulk_endpoints_are_in_the_openapi_schema(self):
        schema = openapi_schema()
        base = f"/api/v1/{self.slug}/{entity_path(self.model)}/"
        bulk = schema["paths"][base + "bulk/"]
        for method, code in (("post", "201"), ("patch", "200")):
            request = bulk[method]["requestBody"]["content"]["application/json"]["schema"]
            response = bulk[method]["responses"][code]["content"]["application/json"]["schema"]
            assert request["type"] == response["type"] == "array"
            assert bulk[method]["responses"]["400"]
        item = schema["components"]["schemas"][f"{self.model.__name__}BulkUpdateItemRequest"]
        tag_changes = item["allOf"][1]["properties"]
        for name in ("add_tags", "remove_tags"):
            assert tag_changes[name]["items"]["type"] == "string"
            assert tag_changes[name]["maxItems"] == MAX_TAGS_PER_RECORD
        assert "post" in schema["paths"][base + "bulk/archive/"]
        tags = schema["paths"][base + "bulk/tags/"]["post"]
        request = tags["requestBody"]["content"]["application/json"]["schema"]
        assert request == {"$ref": "#/components/schemas/BulkTagsRequest"}
        response = tags["responses"]["200"]["content"]["application/json"]["schema"]
        assert response == {"$ref": "#/components/schemas/BulkTagsResult"}
        assert set(schema["components"]["schemas"]["BulkTagsRequest"]["properties"]) == {
            "ids",
            "add",
            "remove",
        }
