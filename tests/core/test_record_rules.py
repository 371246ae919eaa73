"""A tool's rules about a record's state, kept in its model's `clean()`,
hold on every path that writes the record: create, PATCH, the transition
endpoint, revert, the bulk writes, archive and the admin. The test runs'
rule: a finished run (PASS or FAIL) says what was measured."""

import pytest
from django.core.exceptions import ValidationError

from apps.components.models import Component
from apps.core.models import AuditEntry
from apps.testing import models as testing

RUNS = "/api/v1/testing/test-runs/"
REQUIRED = {"measured_value": ["Required once the run has finished."]}
pytestmark = pytest.mark.django_db


@pytest.fixture
def component():
    return Component.objects.create(name="Sensor", part_number="S-1")


def run(component, status="RUNNING", **fields):
    """A run in `status`, put there directly (setup only)."""
    record = testing.TestRun.objects.create(name="Run", component=component, **fields)
    testing.TestRun.objects.filter(pk=record.pk).update(status=status)
    record.refresh_from_db()
    return record


def entries(record):
    return AuditEntry.objects.filter(public_id=record.public_id).count()


def assert_refused(response, record, errors=REQUIRED):
    """A 400 naming the rule's field, and the record as it was, unaudited."""
    assert response.status_code == 400, response.json()
    assert response.json()["errors"] == errors
    before = (record.status, record.measured_value, record.version, entries(record))
    record.refresh_from_db()
    assert (record.status, record.measured_value, record.version, entries(record)) == before


def test_the_transition_endpoint_obeys_the_models_rules(api, component):
    record = run(component)
    response = api.post(f"{RUNS}{record.pk}/transition/", {"to": "PASS"}, format="json")
    assert_refused(response, record)

    record.measured_value = "1.5"
    record.save()
    response = api.post(f"{RUNS}{record.pk}/transition/", {"to": "PASS"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "PASS"


def test_a_patch_obeys_the_models_rules_with_the_fields_it_does_not_name(api, component):
    record = run(component)
    response = api.patch(f"{RUNS}{record.pk}/", {"status": "PASS"}, format="json")
    assert_refused(response, record)

    response = api.patch(
        f"{RUNS}{record.pk}/", {"status": "PASS", "measured_value": "2.5"}, format="json"
    )
    assert response.status_code == 200
    response = api.patch(f"{RUNS}{record.pk}/", {"measured_value": None}, format="json")
    assert_refused(response, testing.TestRun.objects.get(pk=record.pk))


def test_a_revert_that_would_break_the_rules_is_a_409_naming_the_field(api, component):
    record = run(component)
    api.patch(f"{RUNS}{record.pk}/", {"measured_value": "3.5"}, format="json")
    entry = AuditEntry.objects.filter(public_id=record.public_id).latest("pk")
    api.post(f"{RUNS}{record.pk}/transition/", {"to": "PASS"}, format="json")
    record.refresh_from_db()

    response = api.post(f"{RUNS}{record.pk}/revert/", {"audit_id": entry.pk}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "revert_conflict"
    assert response.json()["errors"] == REQUIRED
    before = (record.measured_value, record.version, entries(record))
    record.refresh_from_db()
    assert (record.measured_value, record.version, entries(record)) == before


def test_a_bulk_update_names_each_item_the_rules_refuse_and_writes_nothing(api, component):
    finished = run(component, status="PASS", measured_value="1.5")
    running = run(component)
    response = api.patch(
        f"{RUNS}bulk/",
        [{"id": running.pk, "name": "Renamed"}, {"id": finished.pk, "measured_value": None}],
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [{"index": 1, "errors": REQUIRED}]
    assert testing.TestRun.objects.get(pk=running.pk).name == "Run"
    assert testing.TestRun.objects.get(pk=finished.pk).measured_value is not None


def test_a_rule_of_the_whole_record_is_a_non_field_error_on_archive_and_bulk_archive(
    api, component, monkeypatch
):
    def clean(self):
        if self.status == "ARCHIVED" and not self.result:
            raise ValidationError("A run is archived with its result.")

    monkeypatch.setattr(testing.TestRun, "clean", clean)
    record = run(component)
    done = run(component, result="Within limits")
    errors = {"non_field_errors": ["A run is archived with its result."]}

    assert_refused(api.delete(f"{RUNS}{record.pk}/"), record, errors)
    response = api.post(f"{RUNS}bulk/archive/", {"ids": [done.pk, record.pk]}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"index": 1, "errors": errors}]
    assert testing.TestRun.objects.get(pk=done.pk).status == "RUNNING"

    assert api.delete(f"{RUNS}{done.pk}/").status_code == 204


def test_a_script_saving_a_record_obeys_the_rules_too(component):
    record = run(component)
    record.status = "FAIL"
    with pytest.raises(ValidationError) as refused:
        record.save()
    assert refused.value.message_dict == REQUIRED
    record.refresh_from_db()
    assert record.status == "RUNNING"


def test_the_admin_shows_the_rule_on_its_field(admin_client, component):
    record = run(component, status="PASS", measured_value="1.5")
    url = f"/admin/testing/testrun/{record.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields
    }
    data.update({"measured_value": "", "component": component.pk, "tags": ""})
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Required once the run has finished." in response.content.decode()
    record.refresh_from_db()
    assert record.measured_value is not None


def test_a_revert_the_workflow_refuses_says_so_before_the_rules(api, component):
    """Undoing a PATCH that finished a run with its measurement would move
    PASS back to RUNNING, which the workflow has no way to do: that is the
    reason given, not the rule a PASS without a measurement breaks."""
    record = run(component)
    body = {"status": "PASS", "measured_value": "1.5"}
    assert api.patch(f"{RUNS}{record.pk}/", body, format="json").status_code == 200
    entry = AuditEntry.objects.filter(public_id=record.public_id).latest("pk")

    response = api.post(f"{RUNS}{record.pk}/revert/", {"audit_id": entry.pk}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    record.refresh_from_db()
    assert (record.status, str(record.measured_value)) == ("PASS", "1.5000")
