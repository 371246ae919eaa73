"""Revert and its preview, beyond what the generic tool tests derive from a
model: typed values, entries naming fields a model no longer has, undoing a
revert, and what a preview says of a later change."""

import pytest
from django.contrib.contenttypes.models import ContentType

from apps.components.models import Component
from apps.core.models import AuditEntry, User
from apps.core.testing.api import client_for
from apps.core.testing.history import SIX_DECEMBER_1403

URL = "/api/v1/components/components/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def record(api):
    response = api.post(
        URL,
        {"name": "Sensor", "part_number": "S-1", "unit_cost": "2.50", "quantity_on_hand": 4},
        format="json",
    )
    return Component.objects.get(pk=response.json()["id"])


def latest_entry(record):
    return AuditEntry.objects.filter(object_id=record.pk).first()


def revert(api, record, entry):
    return api.post(f"{URL}{record.pk}/revert/", {"audit_id": entry.pk}, format="json")


def update_entry(record, changes):
    """An entry of the record's written as it stands, not by a write of the
    record: one an integration made, or one naming a field since removed."""
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Component),
        object_id=record.pk,
        public_id=record.public_id,
        action="UPDATE",
        timestamp=record.updated_at,
        changes=changes,
    )


def preview(api, record, entry):
    return api.get(f"{URL}{record.pk}/revert/", {"audit_id": entry.pk})


def test_a_revert_preview_lists_the_fields_in_the_records_order_as_the_history_shows_them(
    api, record
):
    data = {"tags": ["smd"], "unit_cost": "0.10", "supplier": "Digikey", "quantity_on_hand": 0}
    api.patch(f"{URL}{record.pk}/", data, format="json")
    entry = latest_entry(record)
    response = preview(api, record, entry)
    assert response.status_code == 200
    assert response.json() == {
        "audit_id": entry.pk,
        "changes": [
            {"field": "supplier", "current": "Digikey", "restored": "", "changed_later": None},
            {"field": "unit_cost", "current": "0.10", "restored": "2.50", "changed_later": None},
            {"field": "quantity_on_hand", "current": 0, "restored": 4, "changed_later": None},
            {"field": "tags", "current": ["smd"], "restored": [], "changed_later": None},
        ],
    }


def test_a_revert_preview_names_who_changed_a_field_again_and_leaves_out_other_fields(api, record):
    api.patch(f"{URL}{record.pk}/", {"supplier": "Digikey", "unit_cost": "3.00"}, format="json")
    entry = latest_entry(record)
    ada = User.objects.create_user(username="ada", first_name="Ada", last_name="Lovelace")
    client_for(ada, "components:read", "components:write").patch(
        f"{URL}{record.pk}/", {"supplier": "Mouser"}, format="json"
    )
    by_ada = latest_entry(record)
    api.patch(f"{URL}{record.pk}/", {"unit_cost": "2.50", "name": "Sensor 2"}, format="json")
    (change,) = preview(api, record, entry).json()["changes"]
    history = {e["id"]: e for e in api.get(f"{URL}{record.pk}/history/").json()["results"]}
    assert change == {
        "field": "supplier",
        "current": "Mouser",
        "restored": "",
        "changed_later": {
            "id": by_ada.pk,
            "actor": {"id": ada.pk, "name": "Ada Lovelace", "is_active": True},
            "actor_label": "Ada Lovelace",
            "timestamp": history[by_ada.pk]["timestamp"],
        },
    }


def test_a_revert_preview_of_an_entry_naming_only_the_linear_issue_is_refused(api, record):
    entry = update_entry(record, {"linear_issue": {"old": None, "new": "ENG-42"}})
    response = preview(api, record, entry)
    assert response.status_code == 409
    assert response.json()["code"] == "not_revertible"


def test_revert_puts_typed_values_back_exactly(api, record):
    data = {"unit_cost": "0.10", "quantity_on_hand": 0, "datasheet_url": "https://x.example/d"}
    api.patch(f"{URL}{record.pk}/", data, format="json")
    response = revert(api, record, latest_entry(record))
    assert response.status_code == 200
    body = response.json()
    assert (body["unit_cost"], body["quantity_on_hand"], body["datasheet_url"]) == ("2.50", 4, "")


def test_a_revert_can_itself_be_reverted(api, record):
    api.patch(f"{URL}{record.pk}/", {"supplier": "Mouser"}, format="json")
    revert(api, record, latest_entry(record))
    assert revert(api, record, latest_entry(record)).json()["supplier"] == "Mouser"


def test_a_revert_that_changes_nothing_writes_nothing(api, record):
    api.patch(f"{URL}{record.pk}/", {"supplier": "Mouser"}, format="json")
    entry = latest_entry(record)
    api.patch(f"{URL}{record.pk}/", {"supplier": ""}, format="json")
    count = AuditEntry.objects.count()
    assert revert(api, record, entry).status_code == 200
    assert AuditEntry.objects.count() == count


def test_fields_a_model_no_longer_has_are_left_out_of_a_revert(api, record):
    entry = update_entry(
        record, {"name": {"old": "Old name", "new": "Sensor"}, "colour": {"old": "red", "new": ""}}
    )
    response = revert(api, record, entry)
    assert response.status_code == 200
    assert response.json()["name"] == "Old name"
    assert set(latest_entry(record).changes) == {"name"}


def test_a_revert_to_a_value_taken_since_names_the_field_and_writes_nothing(api, record):
    api.patch(f"{URL}{record.pk}/", {"part_number": "S-2", "supplier": "Mouser"}, format="json")
    entry = latest_entry(record)
    Component.objects.create(name="Newer", part_number="S-1")
    count = AuditEntry.objects.count()
    response = revert(api, record, entry)
    assert response.status_code == 409
    assert response.json() == {
        "detail": f"Audit entry {entry.pk} cannot be reverted: part_number.",
        "code": "revert_conflict",
        "errors": {"part_number": ["Component with this part number already exists."]},
    }
    record.refresh_from_db()
    assert (record.part_number, record.supplier) == ("S-2", "Mouser")
    assert AuditEntry.objects.count() == count


def test_a_record_made_from_an_old_history_row_saves_past_the_stored_version(api):
    """The admin's history page reverts a record by saving one made from an
    old history row, whose version is old too: the version, in the ETag, must
    still go up, or a client holding an ETag from before would pass."""
    created = api.post(URL, {"name": "A", "part_number": "P-1"}, format="json")
    url = f"{URL}{created.json()['id']}/"
    second = api.patch(url, {"name": "B"}, format="json")["ETag"]
    api.patch(url, {"name": "C"}, format="json")
    record = Component.objects.get()
    old = record.history.order_by("history_id").first().instance
    assert (old.name, old.version) == ("A", 1)
    old.save()
    record.refresh_from_db()
    assert (record.name, record.version) == ("A", 4)
    assert api.get(url)["ETag"] == f'"{record.pk}-4"'
    stale = api.patch(url, {"name": "D"}, format="json", headers={"If-Match": second})
    assert stale.status_code == 412


def test_a_record_given_an_earlier_records_id_has_only_its_own_history(api, record):
    """A tool's tables dropped and made again give ids anew; public ids never
    come twice, and tell the entries of the two records apart."""
    api.patch(f"{URL}{record.pk}/", {"quantity_on_hand": 9}, format="json")
    earlier = latest_entry(record)
    Component.objects.filter(pk=record.pk).delete()
    later = Component.objects.create(pk=record.pk, name="Relay", part_number="R-1")
    assert later.public_id != record.public_id

    history = api.get(f"{URL}{later.pk}/history/").json()["results"]
    assert [(e["action"], e["changes"].get("name", {}).get("new")) for e in history] == [
        ("CREATE", "Relay")
    ]
    response = revert(api, later, earlier)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["audit_id"]

    feed = api.get("/api/v1/activity/").json()["results"]
    urls = {(e["public_id"], e["action"]): e["url"] for e in feed}
    assert urls[(later.public_id, "CREATE")].endswith(f"{URL}{later.pk}/")
    assert urls[(record.public_id, "UPDATE")] is None


def test_a_reverts_entry_names_the_entry_it_undid_for_apps_to_say_its_time(api, record):
    api.patch(f"{URL}{record.pk}/", {"supplier": "Digikey"}, format="json")
    undone = latest_entry(record)
    AuditEntry.objects.filter(pk=undone.pk).update(timestamp=SIX_DECEMBER_1403)
    assert revert(api, record, undone).status_code == 200
    reverted = {"id": undone.pk, "timestamp": "2026-12-06T14:03:00Z", "actor_label": "Alice Tester"}

    newest, undone_shown, *_ = api.get(f"{URL}{record.pk}/history/").json()["results"]
    assert newest["comment"] == "Reverted the change of 6 Dec 2026, 14:03 UTC by Alice Tester."
    assert newest["reverted"] == reverted
    assert undone_shown["reverted"] is None
    feed = api.get("/api/v1/activity/", {"tool": "components"}).json()["results"]
    assert [entry["reverted"] for entry in feed[:2]] == [reverted, None]


def test_reverting_a_revert_names_the_revert(api, record):
    api.patch(f"{URL}{record.pk}/", {"supplier": "Digikey"}, format="json")
    revert(api, record, latest_entry(record))
    first = latest_entry(record)
    assert revert(api, record, first).status_code == 200
    assert latest_entry(record).reverted["id"] == first.pk
