"""Filters by a person — the authors (`created_by`, `updated_by`) and a
tool's person fields (`?executed_by=`, `?executed_by__in=`) — take a user's
id or `me`, the caller, so one saved view ("run by me") serves each person;
any other value is refused in one wording."""

import pytest

from apps.core.context import acting_as
from apps.core.models import User
from apps.core.testing.samples import create_sample
from apps.testing import models as testing

RUNS = "/api/v1/testing/test-runs/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def other(db):
    return User.objects.create_user(username="bob")


@pytest.fixture
def runs(user, other):
    """A run made and run by the caller, one by the other, one by nobody."""
    with acting_as(user):
        mine = create_sample(testing.TestRun, 1, executed_by=user.pk)
    with acting_as(other):
        theirs = create_sample(testing.TestRun, 2, executed_by=other.pk)
    nobodys = create_sample(testing.TestRun, 3, executed_by=None)
    return mine, theirs, nobodys


def listed(api, params) -> list[str]:
    response = api.get(RUNS, params)
    assert response.status_code == 200, response.json()
    return sorted(item["public_id"] for item in response.json()["results"])


@pytest.mark.parametrize("name", ["executed_by", "created_by", "updated_by"])
def test_me_is_the_caller(api, runs, name):
    mine, _, _ = runs
    assert listed(api, {name: "me"}) == [mine.public_id]
    assert listed(api, {name: "ME"}) == [mine.public_id]


def test_me_is_one_of_several(api, runs, other):
    mine, theirs, _ = runs
    both = sorted([mine.public_id, theirs.public_id])
    assert listed(api, {"executed_by__in": f"me,{other.pk}"}) == both
    assert listed(api, {"executed_by__in": "me"}) == [mine.public_id]


def test_a_person_is_still_named_by_their_id(api, runs, other):
    _, theirs, _ = runs
    assert listed(api, {"executed_by": other.pk}) == [theirs.public_id]
    assert listed(api, {"created_by": other.pk}) == [theirs.public_id]


@pytest.mark.parametrize("name", ["executed_by", "executed_by__in", "created_by", "updated_by"])
@pytest.mark.parametrize("value", ["you", "0.5", "999999"])
def test_a_bad_person_is_refused_in_one_wording(api, name, value):
    response = api.get(RUNS, {name: value})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        name: [f"No user with id {value}: give a user's id, or me for yourself."]
    }
