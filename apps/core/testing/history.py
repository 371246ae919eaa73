"""Generic tests of a record's history and of reverting one of its entries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.api.serializers import tool_field_names
from apps.core.context import acting_as
from apps.core.models import AuditEntry, User
from apps.core.testing.samples import sample_value

# An entry's time, 15:03 at UTC+1: a revert's comment names it in UTC, 14:03.
SIX_DECEMBER_1403 = datetime.datetime(
    2026, 12, 6, 15, 3, tzinfo=datetime.timezone(datetime.timedelta(hours=1))
)

HISTORY_FIELDS = {
    "id",
    "action",
    "actor",
    "actor_label",
    "timestamp",
    "request_id",
    "changes",
    "comment",
    "reverted",
}


class HistoryTests:
    """Mixed into `EntityAPITestCase`; uses its fixtures and helpers."""

    def history(self, client, record, **params):
        response = client.get(self.detail_url(record.pk, "history"), params)
        assert response.status_code == 200, response.json()
        return response.json()

    def revert(self, client, record, audit_id, headers=None, **extra):
        url = self.detail_url(record.pk, "revert")
        body = {"audit_id": audit_id, **extra}
        return client.post(url, body, format="json", headers=headers)

    def preview(self, client, record, audit_id, **extra):
        return client.get(self.detail_url(record.pk, "revert"), {"audit_id": audit_id, **extra})

    def rename(self, client, record, name):
        response = client.patch(self.detail_url(record.pk), {"name": name}, format="json")
        assert response.status_code == 200, response.json()
        return self.latest_entry(record)

    # --- History --------------------------------------------------------------------------

    def test_history_lists_the_records_entries_newest_first(self, api, user):
        created = api.post(self.list_url, self.valid_data(1), format="json")
        record = self.model.objects.get(pk=created.json()["id"])
        api.patch(self.detail_url(record.pk), self.changed_data(), format="json")
        api.delete(self.detail_url(record.pk))
        body = self.history(api, record)
        assert body["count"] == 3
        rows = body["results"]
        assert [row["action"] for row in rows] == ["ARCHIVE", "UPDATE", "CREATE"]
        assert [row["id"] for row in rows] == sorted((row["id"] for row in rows), reverse=True)
        assert set(rows[0]) == HISTORY_FIELDS
        assert rows[0]["actor"] == {"id": user.pk, "name": "Tool Tester", "is_active": True}
        assert rows[0]["actor_label"] == "Tool Tester"
        assert rows[-1]["request_id"] == created["X-Request-ID"]
        assert rows[0]["changes"]["status"] == {
            "old": self.model.workflow.initial,
            "new": self.model.workflow.archived,
        }

    def test_history_shows_an_entry_without_actor_as_null(self, api):
        record = self.make(1)  # created outside a request: no actor
        (row,) = self.history(api, record)["results"]
        assert row["actor"] is None
        assert row["actor_label"] == ""

    def test_history_pages_with_limit_and_offset(self, api):
        record = self.make(1)
        for n in range(3):
            api.patch(self.detail_url(record.pk), {"name": f"Name {n}"}, format="json")
        body = self.history(api, record, limit=2, offset=1)
        assert body["count"] == 4
        assert [row["changes"]["name"]["new"] for row in body["results"]] == ["Name 1", "Name 0"]
        response = api.get(self.detail_url(record.pk, "history"), {"limit": 0})
        assert response.status_code == 400
        assert "limit" in response.json()["errors"]

    def test_history_shows_only_this_records_entries(self, api):
        record, other = self.make(1), self.make(2)
        api.patch(self.detail_url(other.pk), self.changed_data(), format="json")
        assert [row["action"] for row in self.history(api, record)["results"]] == ["CREATE"]

    def test_history_needs_only_read_permission(self, client_with):
        record = self.make(1)
        reader = client_with(f"{self.slug}:read")
        assert self.history(reader, record)["count"] == 1
        writer = client_with(f"{self.slug}:write")
        assert writer.get(self.detail_url(record.pk, "history")).status_code == 403

    def test_history_of_an_unknown_record_is_a_404(self, api):
        url = self.detail_url(f"{self.model.id_prefix}-999999", "history")
        assert api.get(url).status_code == 404

    def test_history_query_count_does_not_grow_with_the_page(self, api):
        record = self.make(1)
        single = self._count_history_queries(api, record)
        for n in range(5):
            api.patch(self.detail_url(record.pk), {"name": f"Name {n}"}, format="json")
        assert self._count_history_queries(api, record) == single

    def _count_history_queries(self, api, record) -> int:
        with CaptureQueriesContext(connection) as queries:
            self.history(api, record)
        return len(queries)

    # --- Revert ------------------------------------------------------------------------------

    def test_revert_puts_the_changed_fields_back_as_an_audited_update(self, api, user):
        record = self.make(1, tags=["kept"])
        original = api.get(self.detail_url(record.pk)).json()
        api.patch(self.detail_url(record.pk), self.changed_data(), format="json")
        update = self.latest_entry(record)
        AuditEntry.objects.filter(pk=update.pk).update(timestamp=SIX_DECEMBER_1403)
        api.patch(self.detail_url(record.pk), {"tags": ["later"]}, format="json")
        response = self.revert(api, record, update.pk)
        assert response.status_code == 200, response.json()
        body = response.json()
        for name in self.changed_data():
            assert body[name] == original[name], name
        assert body["tags"] == ["later"]  # a later change to another field stays
        revert = self.latest_entry(record)
        assert revert.action == "UPDATE"
        assert revert.comment == "Reverted the change of 6 Dec 2026, 14:03 UTC by Tool Tester."
        assert revert.actor == user
        assert {name: change["new"] for name, change in revert.changes.items()} == {
            name: change["old"] for name, change in update.changes.items()
        }

    def test_revert_of_a_change_made_by_no_one_names_only_its_time(self, api):
        record = self.make(1)
        record.name = "Changed by a script"
        with acting_as(None):  # a unit of its own, by no one
            record.save()
        update = self.latest_entry(record)
        AuditEntry.objects.filter(pk=update.pk).update(timestamp=SIX_DECEMBER_1403)
        assert self.revert(api, record, update.pk).status_code == 200
        assert self.latest_entry(record).comment == "Reverted the change of 6 Dec 2026, 14:03 UTC."

    def test_revert_puts_tags_back(self, api):
        record = self.make(1, tags=["alpha", "beta"])
        api.patch(self.detail_url(record.pk), {"tags": ["gamma"]}, format="json")
        response = self.revert(api, record, self.latest_entry(record).pk)
        assert response.status_code == 200, response.json()
        assert response.json()["tags"] == ["alpha", "beta"]

    def test_revert_of_the_creation_is_a_409(self, api):
        record = self.make(1)
        response = self.revert(api, record, self.latest_entry(record).pk)
        assert response.status_code == 409
        assert response.json()["code"] == "nothing_to_revert"

    def test_revert_of_another_records_entry_is_a_400_naming_audit_id(self, api):
        record, other = self.make(1), self.make(2)
        for audit_id in (self.latest_entry(other).pk, 2**31 - 1):
            response = self.revert(api, record, audit_id)
            assert response.status_code == 400
            assert list(response.json()["errors"]) == ["audit_id"]

    def test_a_revert_body_with_unknown_fields_is_a_400(self, api):
        record = self.make(1)
        response = self.revert(api, record, self.latest_entry(record).pk, why="oops")
        assert response.status_code == 400
        assert response.json()["errors"] == {"why": ["Unknown field."]}

    def test_revert_needs_write_permission(self, client_with):
        record = self.make(1)
        reader = client_with(f"{self.slug}:read")
        assert self.revert(reader, record, self.latest_entry(record).pk).status_code == 403

    def test_reverting_a_status_change_and_its_preview_obey_the_workflow(self, api):
        workflow = self.model.workflow
        moves = [t for t in workflow.all_transitions() if not t.admin_only and t.guard is None]
        for n, move in enumerate(moves):
            record = self.make(n)
            self.model.objects.filter(pk=record.pk).update(status=move.source)
            url = self.detail_url(record.pk, "transition")
            assert api.post(url, {"to": move.target}, format="json").status_code == 200
            entry = self.latest_entry(record)
            preview = self.preview(api, record, entry.pk)
            response = self.revert(api, record, entry.pk)
            back = workflow.transition(move.target, move.source)
            if back is not None and not back.admin_only and back.guard is None:
                assert preview.status_code == 200, (move, preview.json())
                assert preview.json()["changes"][0]["restored"] == move.source
                assert response.status_code == 200, (move, response.json())
                assert response.json()["status"] == move.source
            elif back is None:
                for refused in (preview, response):
                    assert refused.status_code == 409, move
                    assert refused.json()["code"] == "transition_not_allowed"

    def test_a_revert_or_preview_breaking_a_unique_value_is_a_409_naming_the_field(self, api):
        unique = [
            self.model._meta.get_field(name)
            for name in tool_field_names(self.model)
            if getattr(self.model._meta.get_field(name), "unique", False)
            and not self.model._meta.get_field(name).is_relation
            and self.model._meta.get_field(name).editable
        ]
        if not unique:
            pytest.skip("The model has no unique field of its own.")
        for n, field in enumerate(unique, start=1):
            taken = sample_value(field, 1000 + n)
            record = self.make(n, **{field.name: taken})
            changed = sample_value(field, 2000 + n)
            api.patch(self.detail_url(record.pk), {field.name: changed}, format="json")
            self.make(100 + n, **{field.name: taken})
            entry = self.latest_entry(record)
            for response in (
                self.preview(api, record, entry.pk),
                self.revert(api, record, entry.pk),
            ):
                assert response.status_code == 409, field.name
                body = response.json()
                assert body["code"] == "revert_conflict"
                assert field.name in body["errors"]
            assert api.get(self.detail_url(record.pk)).json()[field.name] == changed

    # --- Revert preview ----------------------------------------------------------------------

    def test_revert_preview_says_what_each_field_would_become_and_writes_nothing(self, api):
        record = self.make(1)
        api.patch(self.detail_url(record.pk), self.changed_data(), format="json")
        update = self.latest_entry(record)
        etag = api.get(self.detail_url(record.pk))["ETag"]
        count = AuditEntry.objects.count()
        response = self.preview(api, record, update.pk)
        assert response.status_code == 200, response.json()
        assert response["ETag"] == etag
        body = response.json()
        assert body["audit_id"] == update.pk
        assert {
            change["field"]: (change["current"], change["restored"]) for change in body["changes"]
        } == {name: (change["new"], change["old"]) for name, change in update.changes.items()}
        assert all(change["changed_later"] is None for change in body["changes"])
        assert AuditEntry.objects.count() == count
        assert api.get(self.detail_url(record.pk))["ETag"] == etag

    def test_revert_preview_names_the_later_change_a_revert_would_undo(self, api):
        record = self.make(1)
        original = record.name
        first = self.rename(api, record, "First rename")
        ada = User.objects.create_user(username="ada", first_name="Ada", last_name="Lovelace")
        record.refresh_from_db()
        record.name = "Second rename"
        with acting_as(ada):
            record.save()
        second = self.latest_entry(record)
        response = self.preview(api, record, first.pk)
        assert response.status_code == 200, response.json()
        (change,) = response.json()["changes"]
        assert (change["field"], change["current"], change["restored"]) == (
            "name",
            "Second rename",
            original,
        )
        later = change["changed_later"]
        assert later["id"] == second.pk
        assert later["actor"] == {"id": ada.pk, "name": "Ada Lovelace", "is_active": True}
        assert later["actor_label"] == "Ada Lovelace"
        assert (
            later["timestamp"]
            == api.get(self.detail_url(record.pk, "history")).json()["results"][0]["timestamp"]
        )

    def test_revert_preview_of_a_change_undone_since_lists_nothing(self, api):
        record = self.make(1)
        first = self.rename(api, record, "First rename")
        self.rename(api, record, record.name)
        response = self.preview(api, record, first.pk)
        assert response.status_code == 200, response.json()
        assert response.json() == {"audit_id": first.pk, "changes": []}

    def test_revert_preview_is_refused_as_the_revert_is(self, api):
        record, other = self.make(1), self.make(2)
        creation = self.latest_entry(record)
        response = self.preview(api, record, creation.pk)
        assert response.status_code == 409
        assert response.json()["code"] == "nothing_to_revert"
        for audit_id in (self.latest_entry(other).pk, 2**31 - 1, "x"):
            response = self.preview(api, record, audit_id)
            assert response.status_code == 400
            assert list(response.json()["errors"]) == ["audit_id"]
        response = api.get(self.detail_url(record.pk, "revert"))
        assert response.json()["errors"] == {"audit_id": ["This field is required."]}
        response = self.preview(api, record, creation.pk, why="oops")
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["why"]
        url = self.detail_url(f"{self.model.id_prefix}-999999", "revert")
        assert api.get(url, {"audit_id": creation.pk}).status_code == 404

    def test_revert_preview_needs_write_permission(self, client_with):
        record = self.make(1)
        writer = client_with(f"{self.slug}:read", f"{self.slug}:write")
        entry = self.rename(writer, record, "Renamed")
        reader = client_with(f"{self.slug}:read")
        response = self.preview(reader, record, entry.pk)
        assert response.status_code == 403
        assert response.json()["detail"] == f"You need the '{self.slug}:write' permission."
        assert self.preview(writer, record, entry.pk).status_code == 200

    def test_a_revert_sent_with_its_previews_etag_is_a_412_once_the_record_changed(self, api):
        record = self.make(1)
        entry = self.rename(api, record, "First rename")
        etag = self.preview(api, record, entry.pk)["ETag"]
        self.rename(api, record, "Changed in between")
        count = AuditEntry.objects.count()
        stale = self.revert(api, record, entry.pk, headers={"If-Match": etag})
        assert stale.status_code == 412
        assert stale.json()["code"] == "precondition_failed"
        assert AuditEntry.objects.count() == count
        assert api.get(self.detail_url(record.pk)).json()["name"] == "Changed in between"
        fresh = self.preview(api, record, entry.pk)["ETag"]
        assert fresh == stale["ETag"]
        response = self.revert(api, record, entry.pk, headers={"If-Match": fresh})
        assert response.status_code == 200, response.json()
