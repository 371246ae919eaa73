"""The work one request may ask for is bounded: a search's length, the
values of an `__in` filter, the links of a many-to-many field. Beyond each
bound the request is a 400 naming what is too long, before any work; within
it the work is a fixed number of queries, whatever the number of values."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.components.models import Component
from apps.core.context import acting_as
from apps.core.testing.samples import create_sample

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


@pytest.fixture
def components(user):
    with acting_as(user):
        return [create_sample(Component, n) for n in range(120)]


def queries_of(api, url, params=None, body=None, method="get"):
    api.get(LIST)  # per-process reads (content types, table sizes) happen once
    with CaptureQueriesContext(connection) as captured:
        response = getattr(api, method)(url, body if body is not None else params, format="json")
    return response, len(captured.captured_queries)


@pytest.mark.parametrize("name", ["component__in", "instruments__in"])
def test_an_in_filter_finds_its_linked_records_in_one_query(api, components, name):
    few = ",".join(str(c.pk) for c in components[:2])
    many = ",".join(str(c.pk) for c in components[:100])
    response, queries_for_few = queries_of(api, RUNS, {name: few})
    assert response.status_code == 200, response.json()
    response, queries_for_many = queries_of(api, RUNS, {name: many})
    assert response.status_code == 200, response.json()
    assert queries_for_many == queries_for_few


@pytest.mark.parametrize(
    "name",
    ["component__in", "instruments__in", "unit__in", "measured_value__in", "executed_by__in"],
)
def test_an_in_filter_takes_at_most_a_hundred_values(api, name):
    values = ",".join(str(n) for n in range(1, 102))
    assert refused(api.get(RUNS, {name: values})) == {name: ["Give at most 100 values."]}


def test_an_in_filter_names_the_first_value_no_record_has(api, components):
    values = f"{components[0].pk},99999999,x,{components[1].pk}"
    assert refused(api.get(RUNS, {"component__in": values})) == {
        "component__in": ["No component with id 99999999."]
    }
    beyond_64_bits = f"{components[0].pk},{2**64}"
    assert refused(api.get(RUNS, {"instruments__in": beyond_64_bits})) == {
        "instruments__in": [f"No component with id {2**64}."]
    }


def run_body(components, instruments) -> dict:
    return {"name": "Run", "component": components[0].pk, "instruments": instruments}


@pytest.mark.parametrize("spelled", [lambda c: c.pk, lambda c: c.public_id])
def test_a_many_to_many_field_is_written_in_the_same_queries_for_any_number_of_links(
    api, components, spelled
):
    def links(records):
        return [spelled(record) for record in records]

    created = api.post(RUNS, run_body(components, links(components[:1])), format="json")
    assert created.status_code == 201, created.json()  # and the first write's one-time reads
    _, create_one = queries_of(
        api, RUNS, body=run_body(components, links(components[1:2])), method="post"
    )
    response, create_many = queries_of(
        api, RUNS, body=run_body(components, links(components[:100])), method="post"
    )
    assert response.status_code == 201, response.json()
    assert len(response.json()["instruments"]) == 100
    assert create_many == create_one  # 1,002 queries for 1,000 ids before

    url = f"{RUNS}{created.json()['id']}/"
    _, change_one = queries_of(
        api, url, body={"instruments": links(components[2:3])}, method="patch"
    )
    response, change_many = queries_of(
        api, url, body={"instruments": links(components[20:120])}, method="patch"
    )
    assert response.status_code == 200, response.json()
    assert change_many == change_one


def test_a_bulk_write_finds_every_items_links_in_one_query(api, components):
    def bulk(links_per_item):
        items = [
            run_body(components, [c.pk for c in components[n : n + links_per_item]])
            for n in range(5)
        ]
        response, queries = queries_of(api, RUNS + "bulk/", body=items, method="post")
        assert response.status_code == 201, response.json()
        return queries

    assert bulk(100) == bulk(1)


def test_a_many_to_many_field_takes_at_most_a_hundred_links(api, components):
    too_many = run_body(components, [c.pk for c in components[:101]])
    response, queries = queries_of(api, RUNS, body=too_many, method="post")
    assert refused(response) == {
        "instruments": ["Ensure this field has no more than 100 elements."]
    }
    assert queries < 10  # refused before the links are looked up


def test_the_manifest_and_the_schema_give_a_many_to_many_fields_maximum(api):
    tools = api.get("/api/v1/tools/").json()["tools"]
    testing = next(tool for tool in tools if tool["slug"] == "testing")
    fields = {field["name"]: field for field in testing["entities"][0]["fields"]}
    assert fields["instruments"]["max_length"] == 100

    schema = api.get("/api/schema/", {"format": "json"}).json()
    instruments = schema["components"]["schemas"]["TestRunRequest"]["properties"]["instruments"]
    assert instruments["maxItems"] == 100
