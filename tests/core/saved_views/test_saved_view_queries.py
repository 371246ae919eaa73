"""The query a saved view keeps: checked by the entity's own list, a tool's
filters included, so a view never holds a query its list refuses; and kept
normalised, so two spellings of one list are one query."""

import pytest
from django_filters import CharFilter
from rest_framework.exceptions import ValidationError
from saved_view_requests import COMPONENTS, ENTITY, VIEWS, save, saved

from apps.components.models import Component
from apps.core.api import registry
from apps.core.api.filters import EntityFilterSet, build_filterset
from apps.core.models import SavedView

pytestmark = pytest.mark.django_db


# --- The query, checked as the list checks it ---------------------------------------------------

# Queries the components' list refuses, each for its own reason.
REFUSED_QUERIES = {
    "an unknown parameter": "colour=red&status=ACTIVE",
    "two unknown parameters": "colour=red&size=xl",
    "a status the workflow lacks": "status=NOPE",
    "a time that is none": "created_after=yesterday",
    "a number that is none": "unit_cost__gte=cheap",
    "a whole number that is a fraction": "quantity_on_hand=1.5",
    "a boolean that is none": "include_archived=maybe",
    "an ordering the list does not allow": "ordering=description",
    "an ordering of no field": "ordering=-colour",
    "a second value of a one-value parameter": "category=a&category=b",
    "a field the records lack": "fields=public_id,colour",
    "no field at all": "fields=",
    "a NUL in a value": "search=a%00b",
    "a lookup the field lacks": "supplier__gte=a",
}


@pytest.mark.parametrize("query", REFUSED_QUERIES.values(), ids=REFUSED_QUERIES.keys())
def test_a_query_the_list_refuses_is_a_400_with_the_lists_reasons(alice, query):
    listed = alice.get(f"{COMPONENTS}?{query}")
    assert listed.status_code == 400
    response = save(alice, query=query)
    assert response.status_code == 400
    assert response.json()["errors"] == {"query": listed.json()["errors"]}
    assert not SavedView.objects.exists()


def test_an_unknown_parameter_is_named_with_the_lists_message(alice):
    response = save(alice, query="colour=red&status=ACTIVE")
    assert response.json() == {
        "detail": "Invalid input: query.",
        "code": "invalid",
        "errors": {"query": {"colour": ["Unknown query parameter."]}},
    }


def test_an_ordering_the_list_does_not_allow_is_a_400_naming_ordering(alice):
    response = save(alice, query="ordering=description")
    assert list(response.json()["errors"]["query"]) == ["ordering"]


# Queries the components' list takes, as written and as kept.
ACCEPTED_QUERIES = {
    "filters and a search": (
        "status=ACTIVE&status=DRAFT&search=sensor&category=IC&ordering=-name&tag=urgent",
        "category=IC&ordering=-name&search=sensor&status=ACTIVE&status=DRAFT&tag=urgent",
    ),
    "a tool field's lookups": (
        "unit_cost__gte=1.5&supplier__icontains=mou",
        "supplier__icontains=mou&unit_cost__gte=1.5",
    ),
    "times": ("created_after=2026-01-01T00:00:00Z", "created_after=2026-01-01T00%3A00%3A00Z"),
    "several orderings": ("ordering=category,-unit_cost", "ordering=category%2C-unit_cost"),
    "chosen fields": ("fields=public_id,name", "fields=public_id%2Cname"),
    "archived ones too": ("include_archived=true", "include_archived=true"),
    "text beyond ASCII": ("search=%C2%B2+%C3%9F", "search=%C2%B2+%C3%9F"),
}


@pytest.mark.parametrize(("query", "kept"), ACCEPTED_QUERIES.values(), ids=ACCEPTED_QUERIES.keys())
def test_a_query_the_list_takes_is_kept_normalised_and_the_list_takes_it_still(alice, query, kept):
    assert alice.get(f"{COMPONENTS}?{query}").status_code == 200
    assert saved(alice, query=query)["query"] == kept
    assert alice.get(f"{COMPONENTS}?{kept}").status_code == 200


def test_the_paging_parameters_are_left_out(alice):
    query = "limit=10&offset=20&status=ACTIVE&cursor=abc&format=json"
    assert saved(alice, query=query)["query"] == "status=ACTIVE"


def test_paging_parameters_the_list_would_refuse_are_left_out_too(alice):
    assert saved(alice, query="limit=0&offset=-1&cursor=%00")["query"] == ""


def test_parameters_are_sorted_and_each_value_kept_once(alice):
    query = "tag=b&status=DRAFT&tag=a&status=ACTIVE&tag=b"
    assert saved(alice, query=query)["query"] == "status=ACTIVE&status=DRAFT&tag=a&tag=b"


def test_two_spellings_of_one_list_are_kept_as_one_query(alice):
    first = saved(alice, name="1", query="?search=hall%20sensor&status=ACTIVE&limit=5")
    second = saved(alice, name="2", query="status=ACTIVE&search=hall+sensor&category=")
    assert first["query"] == second["query"] == "search=hall+sensor&status=ACTIVE"


def test_blank_values_which_filter_nothing_are_left_out(alice):
    assert saved(alice, query="category=&search=+&tag=&status=DRAFT")["query"] == "status=DRAFT"


def test_a_tools_own_filter_is_taken_and_checked_as_its_list_takes_it(alice, monkeypatch):
    def refuse_odd(queryset, name, value):
        if value == "odd":
            raise ValidationError({name: ["Not this one."]})
        return queryset

    class ComponentFilterSet(EntityFilterSet):
        shelf = CharFilter(method=lambda qs, name, value: refuse_odd(qs, name, value))

        class Meta(EntityFilterSet.Meta):
            model = Component

    own = build_filterset(Component, base=ComponentFilterSet)
    real = registry.filterset_for
    monkeypatch.setattr(registry, "filterset_for", lambda m: own if m is Component else real(m))
    assert saved(alice, query="shelf=top")["query"] == "shelf=top"
    assert alice.get(f"{COMPONENTS}?shelf=odd").status_code == 400
    response = save(alice, name="Odd", query="shelf=odd")
    assert response.status_code == 400
    assert response.json()["errors"] == {"query": {"shelf": ["Not this one."]}}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("search=a\x00b", "Null characters are not allowed."),
        ("x" * 4097, "Ensure this field has no more than 4096 characters."),
        ("&".join(["a"] * 1001), "Too many parameters."),
        ({"status": "DRAFT"}, "Not a valid string."),
        (["status=DRAFT"], "Not a valid string."),
        (None, "This field may not be null."),
    ],
    ids=["NUL", "too long", "too many parameters", "object", "list", "null"],
)
def test_a_query_that_is_no_query_string_is_a_400_naming_query(alice, query, message):
    response = save(alice, query=query)
    assert response.status_code == 400
    assert response.json()["errors"] == {"query": [message]}


@pytest.mark.parametrize("field", ["name", "query"])
def test_a_lone_surrogate_is_a_400_naming_its_field(alice, field):
    # No UTF-8 can write it: JSON's escape, as a client may send it.
    body = {"entity": ENTITY, "name": "x", "query": "", field: "search=\\ud800"}
    raw = "{" + ", ".join(f'"{key}": "{value}"' for key, value in body.items()) + "}"
    response = alice.generic("POST", VIEWS, raw, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == {field: ["Surrogate characters are not allowed: U+D800."]}
