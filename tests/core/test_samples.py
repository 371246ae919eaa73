"""The sample values the generic tool tests make their bodies and records
from: dates from tomorrow on, and a tool's own values where the derived ones
would break its rules (`EntityAPITestCase.sample_values`)."""

import datetime

import pytest
from django.db import models
from django.utils import timezone

from apps.core.models import User
from apps.core.testing.api import EntityAPITestCase
from apps.core.testing.samples import sample_value
from apps.testing import models as testing

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("n", [0, 1, 500])
def test_sample_dates_and_times_are_in_the_future_whenever_the_tests_run(n):
    """A tool's rule relative to today ("needed by: not in the past") holds."""
    moment = datetime.datetime.fromisoformat(sample_value(models.DateTimeField(), n))
    assert moment > timezone.now()
    day = datetime.date.fromisoformat(sample_value(models.DateField(), n))
    assert day > timezone.localdate()
    assert sample_value(models.DateField(), n + 1) != day.isoformat()


class RunCase(EntityAPITestCase):
    """The shared test case as a tool's test module declares it (not
    collected itself: its methods are called below)."""

    model = testing.TestRun
    sample_values = {
        "unit": "mV",
        "executed_by": lambda n: User.objects.create_user(username=f"runner-{n}").pk,
    }


def test_a_sample_value_the_test_case_gives_is_in_every_body_it_makes():
    data = RunCase().valid_data(3)
    assert data["unit"] == "mV"
    assert User.objects.get(pk=data["executed_by"]).username == "runner-3"
    assert data["component"]  # the fields it does not name are derived as before


def test_a_sample_value_the_test_case_gives_is_in_every_record_it_makes():
    record = RunCase().make(4)
    assert record.unit == "mV"
    assert record.executed_by.username == "runner-4"
    assert RunCase().make(5, unit="V").unit == "V"  # the test's own overrides win


def test_a_sample_value_is_added_to_the_test_cases_create_data():
    class Given(RunCase):
        create_data = {"name": "Given run", "component": RunCase().valid_data(6)["component"]}

    data = Given().valid_data(7)
    assert data["name"] == "Given run"
    assert User.objects.get(pk=data["executed_by"]).username == "runner-7"
    assert Given().make(8).executed_by.username == "runner-8"
