"""The work one request may ask for is bounded: a search's length, the
values of an `__in` filter, the links of a many-to-many field. Beyond each
bound the request is a 400 naming what is too long, before any work; within
it the work is a fixed number of queries, whatever the number of values."""

import pytest

LIST = "/api/v1/components/components/"
RUNS = "/api/v1/testing/test-runs/"

pytestmark = pytest.mark.django_db


def refused(response) -> dict:
    assert response.status_code == 400, response.content[:300]
    return response.json()["errors"]


def test_a_search_takes_at_most_two_hundred_characters(api):
    assert api.get(LIST, {"search": "x" * 200}).status_code == 200
    assert refused(api.get(LIST, {"search": "x" * 201})) == {
        "search": ["Ensure this value has at most 200 characters (it has 201)."]
    }
