"""A new record's `created_at` and `updated_at` are one time, read once for
its insert: through the API, one by one or in bulk, with or without links to
other records."""

import pytest

from apps.components.models import Component
from apps.testing.models import TestRun as Run

pytestmark = pytest.mark.django_db

COMPONENTS = "/api/v1/components/components/"
RUNS = "/api/v1/testing/test-runs/"


def same_times(body: dict, model) -> None:
    assert body["created_at"] == body["updated_at"]
    stored = model.objects.get(pk=body["id"])
    assert stored.created_at == stored.updated_at


def test_a_new_record_was_created_and_updated_at_one_time(api):
    made = api.post(COMPONENTS, {"name": "Relay", "part_number": "R-1"}, format="json")
    assert made.status_code == 201, made.json()
    same_times(made.json(), Component)


def test_a_new_record_with_many_to_many_links_was_created_and_updated_at_one_time(api):
    part, meter = (
        Component.objects.create(name=name, part_number=name) for name in ("Part", "Meter")
    )
    body = {"name": "Run", "component": part.pk, "instruments": [meter.pk, part.pk]}
    made = api.post(RUNS, body, format="json")
    assert made.status_code == 201, made.json()
    same_times(made.json(), Run)
    assert Run.objects.get(pk=made.json()["id"]).version == 1


def test_records_created_in_bulk_were_created_and_updated_at_one_time(api):
    part = Component.objects.create(name="Part", part_number="P-1")
    body = [{"name": f"Run {n}", "component": part.pk, "instruments": [part.pk]} for n in range(3)]
    made = api.post(f"{RUNS}bulk/", body, format="json")
    assert made.status_code == 201, made.json()
    for record in made.json():
        same_times(record, Run)
