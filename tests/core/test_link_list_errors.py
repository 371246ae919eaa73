"""A many-to-many field's refused values are named by their position in the
field's list, as DRF's `ListField` names them, so a client can mark the
wrong one: `{"instruments": {"1": ["No component with id 99999999."]}}`, on
a create, a PATCH and each item of a bulk create or update. Nothing is
written."""

import pytest

from apps.components.models import Component
from apps.testing.models import TestRun as Run

pytestmark = pytest.mark.django_db

RUNS = "/api/v1/testing/test-runs/"
MISSING = 99999999


@pytest.fixture
def parts():
    return [Component.objects.create(name=f"Part {n}", part_number=f"P-{n}") for n in range(2)]


@pytest.fixture
def run(parts):
    return Run.objects.create(name="Run", component=parts[0])


def refused(response) -> dict:
    assert response.status_code == 400, response.json()
    return response.json()


def test_a_create_names_the_missing_link_by_its_position(api, parts):
    body = {"name": "Run", "component": parts[0].pk, "instruments": [parts[1].pk, MISSING]}
    answer = refused(api.post(RUNS, body, format="json"))
    assert answer["errors"] == {"instruments": {"1": [f"No component with id {MISSING}."]}}
    assert answer["detail"] == "Invalid input: instruments."
    assert not Run.objects.exists()


def test_a_patch_names_each_missing_link_by_its_position(api, parts, run):
    body = {"instruments": [MISSING, parts[1].pk, "CMP-9999"]}
    answer = refused(api.patch(f"{RUNS}{run.pk}/", body, format="json"))
    assert answer["errors"] == {
        "instruments": {
            "0": [f"No component with id {MISSING}."],
            "2": ["No component with id 'CMP-9999'."],
        }
    }
    assert not run.instruments.exists()


def test_a_link_of_the_wrong_type_is_named_by_its_position_too(api, parts, run):
    answer = refused(
        api.patch(f"{RUNS}{run.pk}/", {"instruments": [parts[0].pk, 1.5]}, format="json")
    )
    assert answer["errors"] == {"instruments": {"1": ["Expected an id or a public id, got float."]}}


def test_a_value_that_is_no_list_is_refused_as_a_whole(api, run):
    answer = refused(api.patch(f"{RUNS}{run.pk}/", {"instruments": 12}, format="json"))
    assert answer["errors"] == {"instruments": ['Expected a list of items but got type "int".']}


def test_a_bulk_create_names_the_missing_link_by_item_and_position(api, parts):
    body = [
        {"name": "Good", "component": parts[0].pk, "instruments": [parts[1].pk]},
        {"name": "Bad", "component": parts[0].pk, "instruments": [parts[1].pk, MISSING]},
    ]
    answer = refused(api.post(f"{RUNS}bulk/", body, format="json"))
    assert answer["errors"] == [
        {"index": 1, "errors": {"instruments": {"1": [f"No component with id {MISSING}."]}}}
    ]
    assert not Run.objects.exists()


def test_a_bulk_update_names_the_missing_link_by_item_and_position(api, parts, run):
    body = [{"id": run.pk, "instruments": [MISSING]}]
    answer = refused(api.patch(f"{RUNS}bulk/", body, format="json"))
    assert answer["errors"] == [
        {"index": 0, "errors": {"instruments": {"0": [f"No component with id {MISSING}."]}}}
    ]
    assert not run.instruments.exists()
