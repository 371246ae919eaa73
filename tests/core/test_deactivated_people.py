"""A deactivated person (someone who left, `is_active=False`) is still shown
wherever they are named — a record's authors, its history, the activity
feed, a saved view's owner — marked `is_active: false`, and still found by
the filters that name them: what they did stays theirs."""

import pytest

from apps.components.models import Component
from apps.core.context import acting_as
from apps.core.models import User
from apps.core.testing.api import client_for
from apps.core.testing.samples import create_sample

pytestmark = pytest.mark.django_db

COMPONENTS = "/api/v1/components/components/"


@pytest.fixture
def ada(db):
    return User.objects.create_user(username="ada", first_name="Ada", last_name="Lovelace")


@pytest.fixture
def left(ada):
    """A component Ada made, then Ada deactivated."""
    with acting_as(ada):
        component = create_sample(Component, 1)
    User.objects.filter(pk=ada.pk).update(is_active=False)
    return component


def shown(ada) -> dict:
    return {"id": ada.pk, "name": "Ada Lovelace", "is_active": False}


def test_a_record_names_its_deactivated_author_as_such(api, ada, left):
    body = api.get(f"{COMPONENTS}{left.pk}/").json()
    assert body["created_by"] == body["updated_by"] == shown(ada)


def test_the_list_filtered_by_a_deactivated_author_still_finds_their_records(api, ada, left):
    for name in ("created_by", "updated_by"):
        response = api.get(COMPONENTS, {name: ada.pk})
        assert response.status_code == 200, response.json()
        assert [(r["id"], r[name]) for r in response.json()["results"]] == [(left.pk, shown(ada))]


def test_history_names_a_deactivated_actor_as_such(api, ada, left):
    (entry,) = api.get(f"{COMPONENTS}{left.pk}/history/").json()["results"]
    assert entry["actor"] == shown(ada)


def test_the_activity_feed_by_a_deactivated_actor_still_finds_what_they_did(api, ada, left):
    response = api.get("/api/v1/activity/", {"actor": ada.pk})
    assert response.status_code == 200, response.json()
    assert [(e["public_id"], e["actor"]) for e in response.json()["results"]] == [
        (left.public_id, shown(ada))
    ]


def test_a_view_shared_by_a_deactivated_person_names_them_as_such(api, ada):
    view = client_for(ada, "components:read").post(
        "/api/v1/saved-views/",
        {"entity": "components.component", "name": "Adas", "shared": True},
        format="json",
    )
    User.objects.filter(pk=ada.pk).update(is_active=False)

    (listed,) = api.get("/api/v1/saved-views/").json()["results"]

    assert (listed["id"], listed["owner"]) == (view.json()["id"], shown(ada))


def test_the_people_to_choose_from_leave_out_a_deactivated_person_who_is_still_named(api, ada):
    User.objects.filter(pk=ada.pk).update(is_active=False)
    assert api.get("/api/v1/users/", {"search": "Ada"}).json()["results"] == []
    assert api.get(f"/api/v1/users/{ada.pk}/").json() == shown(ada)
