"""What a filter takes: a value of its own kind that every database takes.
Anything else is a 400 naming the filter, never a server error and never a
value quietly read as something else (found by fuzzing the API)."""

import pytest

from apps.components.models import Component

LIST = "/api/v1/components/components/"
EXPORT = "/api/v1/components/components/export.csv"
RUNS = "/api/v1/testing/test-runs/"
FEED = "/api/v1/activity/"

pytestmark = pytest.mark.django_db

# Times whose UTC falls outside years 1 to 9999: SQLite's backend converts a
# time to UTC in Python, which cannot.
NO_UTC = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"]


def refused(api, url, params) -> dict:
    response = api.get(url, params)
    assert response.status_code == 400, (url, params, response.content[:200])
    return response.json()["errors"]


@pytest.mark.parametrize("value", NO_UTC)
@pytest.mark.parametrize(
    ("url", "name"),
    [
        (LIST, "created_after"),
        (LIST, "created_before"),
        (EXPORT, "created_after"),
        (RUNS, "executed_at"),
        (RUNS, "executed_at__gte"),
        (FEED, "since"),
        (FEED, "until"),
    ],
)
def test_a_time_with_no_utc_is_a_400_naming_the_filter(api, url, name, value):
    assert refused(api, url, {name: value}) == {name: ["Datetime value out of range."]}


def test_a_list_of_times_with_one_without_utc_is_a_400(api):
    errors = refused(api, RUNS, {"executed_at__in": f"2026-01-01T00:00:00Z,{NO_UTC[0]}"})
    assert list(errors) == ["executed_at__in"]


def test_times_near_the_ends_of_the_calendar_in_utc_are_taken(api):
    for value in ("0001-01-01T00:00:00Z", "9999-12-31T23:59:59-00:00", "0001-01-01T10:00:00+09:00"):
        assert api.get(LIST, {"created_after": value}).status_code == 200, value


@pytest.mark.parametrize(("url", "name"), [(LIST, "quantity_on_hand"), (FEED, "actor")])
def test_a_fraction_for_a_whole_number_is_a_400(api, url, name):
    assert refused(api, url, {name: "0.5"}) == {name: ["Enter a whole number."]}


def test_a_whole_number_written_with_a_zero_fraction_is_taken(api):
    Component.objects.create(name="x", part_number="P-1", quantity_on_hand=3)
    response = api.get(LIST, {"quantity_on_hand": "3.0"})
    assert [item["part_number"] for item in response.json()["results"]] == ["P-1"]


@pytest.mark.parametrize("value", ["yes", "no", "2", "3", "unknown", "on"])
def test_a_boolean_is_true_or_false(api, value):
    assert refused(api, LIST, {"include_archived": value}) == {
        "include_archived": ["Must be true or false."]
    }


@pytest.mark.parametrize(
    ("value", "shown"), [("true", 2), ("TRUE", 2), ("1", 2), ("false", 1), ("0", 1), ("", 1)]
)
def test_include_archived_reads_true_and_false(api, value, shown):
    Component.objects.create(name="a", part_number="P-1")
    Component.objects.create(name="b", part_number="P-2", status="ARCHIVED")
    response = api.get(LIST, {"include_archived": value})
    assert response.status_code == 200
    assert response.json()["count"] == shown


@pytest.mark.parametrize(
    ("url", "params", "name"),
    [
        (LIST, "category=Sensors&category=Resistors", "category"),
        (LIST, "created_after=abc&created_after=2020-01-01", "created_after"),
        (LIST, "limit=1&limit=2", "limit"),
        (LIST, "ordering=name&ordering=-name", "ordering"),
        (EXPORT, "search=a&search=b", "search"),
        (RUNS, "executed_at__in=2026-01-01&executed_at__in=2026-01-02", "executed_at__in"),
        (FEED, "actor=1&actor=2", "actor"),
        (FEED, "tool=components&tool=testing", "tool"),
    ],
)
def test_a_second_value_for_a_parameter_that_takes_one_is_a_400(api, url, params, name):
    assert refused(api, f"{url}?{params}", {}) == {
        name: ["Give this parameter once: it takes one value."]
    }


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (LIST, "status=DRAFT&status=ACTIVE"),
        (LIST, "tag=a&tag=b"),
        (EXPORT, "status=DRAFT&status=ACTIVE"),
        (FEED, "action=CREATE&action=UPDATE"),
    ],
)
def test_parameters_that_take_several_values_take_them(api, url, params):
    assert api.get(f"{url}?{params}").status_code == 200


@pytest.mark.parametrize(
    ("params", "name", "message"),
    [
        ({"component": "99999999"}, "component", "No component with id 99999999."),
        ({"component__in": "99999999"}, "component__in", "No component with id 99999999."),
        ({"instruments": "99999999"}, "instruments", "No component with id 99999999."),
        ({"instruments__in": "99999999"}, "instruments__in", "No component with id 99999999."),
        (
            {"executed_by": "99999999"},
            "executed_by",
            "No user with id 99999999: give a user's id, or me for yourself.",
        ),
        ({"component": "2.5"}, "component", "No component with id 2.5."),
    ],
)
def test_a_link_to_no_record_says_what_was_looked_for(api, params, name, message):
    assert refused(api, RUNS, params) == {name: [message]}


def test_an_ordering_by_a_field_that_does_not_sort_names_those_that_do(api):
    assert refused(api, RUNS, {"ordering": "name,-executed_by"}) == {
        "ordering": [
            "-executed_by is not sortable. Sort by one of: id, public_id, name, status, "
            "category, created_at, updated_at, measured_value, unit, component, executed_at "
            "(- in front for descending)."
        ]
    }
