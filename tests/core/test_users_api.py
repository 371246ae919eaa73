"""The people of the suite, GET /api/v1/users/ and /api/v1/users/{id}/: to
choose someone by name, who may see them, and what they show."""

import pytest
from rest_framework.test import APIClient

from apps.core.models import User
from apps.core.testing.api import client_for

pytestmark = pytest.mark.django_db

USERS = "/api/v1/users/"


@pytest.fixture
def people(user):
    """Alice Tester (the `user` fixture) and four more; one has left."""
    return {
        "alice": user,
        "bob": User.objects.create_user(
            username="bob", email="bob@example.com", first_name="Bob", last_name="Builder"
        ),
        "carol": User.objects.create_user(username="carol", email="carol.ops@example.com"),
        "dan": User.objects.create_user(username="auth0.dan"),
        "eve": User.objects.create_user(
            username="eve", first_name="Eve", last_name="Left", is_active=False
        ),
    }


def names(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [person["name"] for person in response.json()["results"]]


def test_unauthenticated_requests_are_401():
    assert APIClient().get(USERS).status_code == 401
    assert APIClient().get(f"{USERS}1/").status_code == 401


def test_a_caller_who_may_read_no_tool_is_403(user):
    for url in (USERS, f"{USERS}{user.pk}/"):
        response = client_for(user, "components:write").get(url)
        assert response.status_code == 403
        assert "<tool>:read" in response.json()["detail"]


def test_the_active_people_by_the_name_shown_with_only_an_id_and_a_name(people):
    response = client_for(people["alice"], "testing:read").get(USERS)

    # The name every record shows of its authors: the full name, else the
    # username (never the email); in that name's order, whatever its case.
    assert names(response) == ["Alice Tester", "auth0.dan", "Bob Builder", "carol"]
    body = response.json()
    assert body["count"] == 4
    assert body["results"][0] == {
        "id": people["alice"].pk,
        "name": "Alice Tester",
        "is_active": True,
    }


def test_search_finds_every_word_in_any_part_of_the_name_shown(people):
    api = client_for(people["alice"], "components:read")

    assert names(api.get(USERS, {"search": "builder"})) == ["Bob Builder"]
    assert names(api.get(USERS, {"search": "CAR"})) == ["carol"]
    assert names(api.get(USERS, {"search": "auth0"})) == ["auth0.dan"]
    assert names(api.get(USERS, {"search": "bob build"})) == ["Bob Builder"]
    assert names(api.get(USERS, {"search": "bob carol"})) == []
    assert names(api.get(USERS, {"search": "  "})) == names(api.get(USERS))
    # Someone who has left is not offered.
    assert names(api.get(USERS, {"search": "eve"})) == []


def test_pages_of_twenty_unless_asked(people):
    api = client_for(people["alice"], "components:read")
    for n in range(20):
        User.objects.create_user(username=f"user{n:02}")

    first = api.get(USERS).json()
    assert (first["count"], len(first["results"])) == (24, 20)
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 4
    assert names(api.get(USERS, {"limit": 2, "offset": 1})) == ["auth0.dan", "Bob Builder"]


def test_one_person_by_id_even_after_they_left(people):
    api = client_for(people["alice"], "components:read")

    response = api.get(f"{USERS}{people['eve'].pk}/")
    assert response.status_code == 200
    assert response.json() == {"id": people["eve"].pk, "name": "Eve Left", "is_active": False}
    assert api.get(f"{USERS}999999/").status_code == 404


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"serach": "bob"}, "serach", "Unknown query parameter."),
        ({"cursor": ""}, "cursor", "Unknown query parameter."),
        ({"search": "bob\x00"}, "search", "Null characters are not allowed."),
        ({"limit": "0"}, "limit", None),
        ({"limit": "many"}, "limit", None),
    ],
)
def test_bad_parameters_are_400_naming_them(people, query, field, message):
    response = client_for(people["alice"], "components:read").get(USERS, query)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field]
    if message:
        assert errors[field] == [message]


def test_one_person_takes_no_query_parameter(people):
    api = client_for(people["alice"], "components:read")

    response = api.get(f"{USERS}{people['bob'].pk}/", {"search": "bob"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"search": ["Unknown query parameter."]}


def test_a_repeated_search_is_400(people):
    response = client_for(people["alice"], "components:read").get(f"{USERS}?search=a&search=b")

    assert response.status_code == 400
    message = "Give this parameter once: it takes one value."
    assert response.json()["errors"] == {"search": [message]}


def test_the_directory_is_in_the_openapi_schema(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()

    listing = schema["paths"]["/api/v1/users/"]["get"]
    assert {p["name"] for p in listing["parameters"]} == {"search", "limit", "offset"}
    assert "UserSummary" in str(listing["responses"]["200"])
    assert "/api/v1/users/{id}/" in schema["paths"]


def test_search_takes_at_most_ten_words_and_two_hundred_characters(people):
    api = client_for(people["alice"], "components:read")

    assert names(api.get(USERS, {"search": " ".join(["bob"] * 10)})) == ["Bob Builder"]
    eleven = api.get(USERS, {"search": " ".join(["bob"] * 11)})
    assert eleven.status_code == 400
    assert eleven.json()["errors"] == {"search": ["Give at most 10 words."]}
    long = api.get(USERS, {"search": "b" * 201})
    assert long.status_code == 400
    assert long.json()["errors"] == {
        "search": ["Ensure this value has at most 200 characters (it has 201)."]
    }
    # The denial of service the limit ends: 1,900 words were 4.6 s of building the query.
    many = api.get(USERS, {"search": " ".join(["a"] * 1900)})
    assert many.status_code == 400
    assert set(many.json()["errors"]) == {"search"}


def test_no_email_address_is_shown_or_searched(people):
    """A reader may see of a person only an id and a name: an email address
    is neither shown (a username that is one is not either) nor searched,
    which would give it away a letter at a time."""
    api = client_for(people["alice"], "components:read")
    frank = User.objects.create_user(username="frank@example.com", email="frank@example.com")

    assert api.get(f"{USERS}{frank.pk}/").json() == {
        "id": frank.pk,
        "name": f"User {frank.pk}",
        "is_active": True,
    }
    assert names(api.get(USERS)) == [
        "Alice Tester",
        "auth0.dan",
        "Bob Builder",
        "carol",
        f"User {frank.pk}",
    ]
    for text in ("@", "example.com", "ops@", "alice@", "frank"):
        assert names(api.get(USERS, {"search": text})) == [], text
    assert names(api.get(USERS, {"search": "user"})) == [f"User {frank.pk}"]
