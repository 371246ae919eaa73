"""A status the workflow locks (`Status(..., locked=True)`): a record there
keeps its fields for all but the tool's admins, on every path that edits
them; moving it on, archive, restore and tags stay as the workflow says."""

import pytest

from apps.components.models import Component
from apps.core import services
from apps.core.models import AuditEntry
from apps.core.testing.api import client_for
from apps.core.testing.samples import create_sample
from apps.core.workflows import Status, Transition, Workflow
from apps.testing import models as testing

URL = "/api/v1/components/components/"
pytestmark = pytest.mark.django_db

# The statuses of each model, its ACTIVE (and a test run's PASS) locked.
APPROVAL = Workflow(
    statuses=[
        Status("DRAFT", "Draft"),
        Status("ACTIVE", "Approved", "green", locked=True),
        Status("ARCHIVED", "Archived", "red"),
    ],
    transitions=[Transition("DRAFT", "ACTIVE"), Transition("ACTIVE", "DRAFT")],
)
RUNS = Workflow(
    statuses=[Status("PENDING", "Pending"), Status("PASS", "Approved", locked=True)],
    transitions=[Transition("PENDING", "PASS")],
)
LOCKED = (
    "{id} is Approved: its fields cannot be changed in that status but by "
    "'components:admin' ({fields})."
)


@pytest.fixture(autouse=True)
def approval(swap_workflow):
    swap_workflow(Component, APPROVAL)
    swap_workflow(testing.TestRun, RUNS)


def approved(**fields):
    record = Component.objects.create(
        name="Pump", part_number=f"P-{Component.objects.count()}", unit_cost="10.00", **fields
    )
    Component.objects.filter(pk=record.pk).update(status="ACTIVE")
    record.refresh_from_db()
    return record


def locked_body(record, *fields) -> dict:
    return {
        "detail": LOCKED.format(id=record.public_id, fields=", ".join(fields)),
        "code": "record_locked",
        "errors": {name: ["Locked while the record is Approved."] for name in fields},
    }


def test_a_writers_patch_of_a_locked_records_field_is_a_409_and_writes_nothing(writer):
    record = approved()
    entries = AuditEntry.objects.count()
    response = writer.patch(f"{URL}{record.pk}/", {"unit_cost": "99.00"}, format="json")
    assert response.status_code == 409
    assert response.json() == locked_body(record, "unit_cost")
    record.refresh_from_db()
    assert str(record.unit_cost) == "10.00"
    assert AuditEntry.objects.count() == entries


def test_an_admin_edits_a_locked_record(admin):
    record = approved()
    response = admin.patch(f"{URL}{record.pk}/", {"unit_cost": "99.00"}, format="json")
    assert response.status_code == 200
    assert response.json()["unit_cost"] == "99.00"


def test_a_put_that_sends_a_locked_record_back_unchanged_passes_one_that_changes_it_not(writer):
    record = approved()
    body = writer.get(f"{URL}{record.pk}/").json()
    unchanged = {name: body[name] for name in ("name", "part_number", "unit_cost", "supplier")}
    assert writer.put(f"{URL}{record.pk}/", unchanged, format="json").status_code == 200
    changed = {**unchanged, "name": "Bigger pump", "supplier": "Acme"}
    response = writer.put(f"{URL}{record.pk}/", changed, format="json")
    assert response.status_code == 409
    assert response.json() == locked_body(record, "name", "supplier")


def test_moving_a_locked_record_on_archiving_restoring_and_tagging_it_stay_open(writer):
    record = approved()
    url = f"{URL}{record.pk}/"
    assert writer.patch(url, {"tags": ["urgent"]}, format="json").status_code == 200
    assert writer.delete(url).status_code == 204
    assert writer.post(f"{url}restore/").status_code == 200  # to DRAFT
    Component.objects.filter(pk=record.pk).update(status="ACTIVE")
    response = writer.post(f"{url}transition/", {"to": "DRAFT"}, format="json")
    assert response.status_code == 200
    # Out of the locked status, the record is a writer's to edit again.
    assert writer.patch(url, {"unit_cost": "12.00"}, format="json").status_code == 200


def test_a_change_that_moves_the_record_out_of_the_locked_status_is_still_refused(writer):
    """The record is locked as it is stored: leave the status first, then edit."""
    record = approved()
    body = {"status": "DRAFT", "unit_cost": "1.00"}
    response = writer.patch(f"{URL}{record.pk}/", body, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "record_locked"
    assert Component.objects.get(pk=record.pk).status == "ACTIVE"


def test_a_change_that_moves_the_record_into_the_locked_status_is_made(writer):
    record = approved()
    Component.objects.filter(pk=record.pk).update(status="DRAFT")
    body = {"status": "ACTIVE", "unit_cost": "11.00"}
    assert writer.patch(f"{URL}{record.pk}/", body, format="json").status_code == 200


def test_a_bulk_update_refuses_a_locked_record_naming_its_field(writer):
    draft, locked = approved(), approved()
    Component.objects.filter(pk=draft.pk).update(status="DRAFT")
    body = [{"id": draft.pk, "supplier": "Acme"}, {"id": locked.pk, "supplier": "Acme"}]
    response = writer.patch(f"{URL}bulk/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"index": 1, "errors": {"supplier": ["Locked while the record is Approved."]}}
    ]
    assert not Component.objects.filter(supplier="Acme").exists()


def test_a_revert_of_a_locked_records_field_is_refused(writer, admin):
    record = approved()
    admin.patch(f"{URL}{record.pk}/", {"supplier": "Acme"}, format="json")
    entry = AuditEntry.objects.filter(object_id=record.pk).first()
    body = {"audit_id": entry.pk}
    response = writer.post(f"{URL}{record.pk}/revert/", body, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "record_locked"
    assert admin.post(f"{URL}{record.pk}/revert/", body, format="json").status_code == 200


def test_a_locked_records_links_to_other_records_are_its_fields_too(user):
    run = create_sample(testing.TestRun, 1)
    testing.TestRun.objects.filter(pk=run.pk).update(status="PASS")
    writer = client_for(user, "testing:read", "testing:write", "components:read")
    url = f"/api/v1/testing/test-runs/{run.pk}/"
    spare = create_sample(Component, 2)
    response = writer.patch(url, {"instruments": [spare.pk]}, format="json")
    assert response.status_code == 409
    assert response.json()["errors"] == {"instruments": ["Locked while the record is Approved."]}
    kept = writer.get(url).json()["instruments"]
    same = [item["id"] for item in kept]
    assert writer.patch(url, {"instruments": same}, format="json").status_code == 200


def test_trusted_code_edits_a_locked_record():
    record = approved()
    services.update_entity(record, {"supplier": "Acme"})
    assert Component.objects.get(pk=record.pk).supplier == "Acme"


def test_the_manifest_says_which_statuses_are_locked(writer):
    tools = writer.get("/api/v1/tools/").json()["tools"]
    (tool,) = [t for t in tools if t["slug"] == "components"]
    statuses = tool["entities"][0]["statuses"]
    assert [(s["value"], s["locked"]) for s in statuses] == [
        ("DRAFT", False),
        ("ACTIVE", True),
        ("ARCHIVED", False),
    ]
