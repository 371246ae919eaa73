"""A unique text field's check of a new record (`apps/core/api/validators.py`)
is the database's constraint, in the insert; the API answers as DRF's own
`UniqueValidator`, which asks first, answers."""

from unittest import mock

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.validators import UniqueValidator

from apps.components.models import Component
from apps.core.api.registry import serializer_for
from apps.core.api.validators import UniqueValueValidator

LIST = "/api/v1/components/components/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def taken(user):
    return Component.objects.create(
        name="Sensor", part_number="P-1", created_by=user, updated_by=user
    )


def answer(api, method, url, body):
    """The response's status and error body; the write is rolled back."""
    with transaction.atomic():
        response = getattr(api, method)(url, body, format="json")
        transaction.set_rollback(True)
    return response.status_code, response.json() if response.status_code >= 400 else None


def as_drfs_own():
    return mock.patch.object(UniqueValueValidator, "__call__", UniqueValidator.__call__)


@pytest.mark.parametrize("part_number", ["P-1", " P-1 ", "p-1", "P-10", "P-%", "P_1", "P-1\x00"])
def test_a_new_records_value_is_checked_as_drf_checks_it(api, taken, part_number):
    body = {"name": "Part", "part_number": part_number}
    ours = answer(api, "post", LIST, body)
    with as_drfs_own():
        assert ours == answer(api, "post", LIST, body)
    assert ours[0] == (400 if part_number.strip() == "P-1" or "\x00" in part_number else 201)


@pytest.mark.parametrize("part_number", ["P-1", "P-2", "P-3"])
def test_an_updates_value_is_checked_by_drf_leaving_its_own_record_out(api, taken, part_number):
    other = Component.objects.create(name="Relay", part_number="P-2")
    ours = answer(api, "patch", f"{LIST}{other.pk}/", {"part_number": part_number})
    with as_drfs_own():
        assert ours == answer(api, "patch", f"{LIST}{other.pk}/", {"part_number": part_number})
    assert ours[0] == (400 if part_number == "P-1" else 200)


def test_a_new_value_is_checked_by_the_insert_alone(api, taken):
    with CaptureQueriesContext(connection) as captured:
        response = api.post(LIST, {"name": "Part", "part_number": "P-1"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "part_number": ["Component with this part number already exists."]
    }
    table = Component._meta.db_table
    assert not [q for q in captured.captured_queries if q["sql"].startswith(f'SELECT "{table}"')]
    assert Component.objects.count() == 1


def test_the_unique_validator_of_a_model_field_is_this_one():
    field = serializer_for(Component)().fields["part_number"]
    assert [type(v) for v in field.validators if isinstance(v, UniqueValidator)] == [
        UniqueValueValidator
    ]
