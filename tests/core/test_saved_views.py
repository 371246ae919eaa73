"""Saved views, /api/v1/saved-views/, as their callers see them: who sees
and changes which view, names, the query checked by the entity's list and
normalised, bad bodies, the schema and the admin."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_filters import CharFilter
from rest_framework.exceptions import ValidationError
from rest_framework.test import APIClient

from apps.components.models import Component
from apps.core.api import registry
from apps.core.api.filters import EntityFilterSet, build_filterset
from apps.core.api.saved_views import SavedViewSerializer
from apps.core.models import SavedView, User
from apps.core.testing.api import client_for
from apps.core.testing.openapi import openapi_schema

pytestmark = pytest.mark.django_db

VIEWS = "/api/v1/saved-views/"
COMPONENTS = "/api/v1/components/components/"
ENTITY = "components.component"


def detail(view_id) -> str:
    return f"{VIEWS}{view_id}/"


def save(client, **body):
    """POST a view of the components (unless `entity` says otherwise)."""
    return client.post(VIEWS, {"entity": ENTITY, "name": "Mine", **body}, format="json")


def saved(client, **body) -> dict:
    response = save(client, **body)
    assert response.status_code == 201, response.json()
    return response.json()


def names(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [view["name"] for view in response.json()["results"]]


@pytest.fixture
def alice(user):
    """The owner of the views: reads both tools."""
    return client_for(user, "components:read", "testing:read")


@pytest.fixture
def bob_user(db):
    return User.objects.create_user(username="bob", first_name="Bob", last_name="Reader")


@pytest.fixture
def bob(bob_user):
    """Another reader of the components."""
    return client_for(bob_user, "components:read")


@pytest.fixture
def carol(db):
    """A reader of the test runs only, not of the components."""
    user = User.objects.create_user(username="carol")
    return client_for(user, "testing:read")


# --- Making a view ------------------------------------------------------------------------


def test_a_reader_of_a_tool_saves_a_view_of_its_entity(alice, user):
    response = save(alice, name="Active sensors", query="status=ACTIVE&search=sensor")
    assert response.status_code == 201
    body = response.json()
    assert body == {
        "id": body["id"],
        "entity": ENTITY,
        "name": "Active sensors",
        "query": "search=sensor&status=ACTIVE",
        "shared": False,
        "owner": {"id": user.pk, "name": "Alice Tester"},
        "is_mine": True,
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }
    assert response["Location"] == f"http://testserver{detail(body['id'])}"
    stored = SavedView.objects.get()
    assert (stored.owner, stored.content_type.model_class()) == (user, Component)
    assert stored.query == "search=sensor&status=ACTIVE"


def test_a_view_may_be_shared_when_it_is_made(alice):
    assert saved(alice, shared=True)["shared"] is True


def test_a_view_without_a_query_is_the_whole_list(alice):
    assert saved(alice)["query"] == ""


def test_saving_a_view_of_a_tool_one_may_not_read_is_a_403_naming_the_permission(carol):
    response = save(carol)
    assert response.status_code == 403
    assert response.json()["detail"] == "You need the 'components:read' permission."
    assert not SavedView.objects.exists()


@pytest.mark.parametrize(
    "entity", ["components.nothing", "core.tag", "components", "", 7, None, ["components"]]
)
def test_an_entity_no_tool_has_is_a_400_naming_entity(alice, entity):
    response = save(alice, entity=entity)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["entity"]
    assert not SavedView.objects.exists()


def test_a_view_names_its_entity(alice):
    response = alice.post(VIEWS, {"name": "Mine"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"entity": ["This field is required."]}


def test_unauthenticated_requests_are_401():
    client = APIClient()
    assert client.get(VIEWS).status_code == 401
    assert save(client).status_code == 401


# --- Who sees which view ------------------------------------------------------------------


def test_the_list_holds_ones_own_views_and_those_others_share_by_name(alice, bob):
    saved(alice, name="Zinc parts")
    saved(alice, name="Active", shared=True)
    saved(bob, name="Bobs private")
    saved(bob, name="Mid shared", shared=True)
    assert names(alice.get(VIEWS)) == ["Active", "Mid shared", "Zinc parts"]
    assert names(bob.get(VIEWS)) == ["Active", "Bobs private", "Mid shared"]


def test_each_view_says_whose_it_is(alice, bob, user):
    saved(alice, name="Shared", shared=True)
    [view] = bob.get(VIEWS).json()["results"]
    assert view["is_mine"] is False
    assert view["owner"] == {"id": user.pk, "name": "Alice Tester"}
    assert alice.get(VIEWS).json()["results"][0]["is_mine"] is True


def test_another_persons_unshared_view_is_not_found(alice, bob):
    view = saved(alice)
    response = bob.get(detail(view["id"]))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_shared_view_is_retrieved_by_others(alice, bob):
    view = saved(alice, shared=True)
    response = bob.get(detail(view["id"]))
    assert response.status_code == 200
    assert response.json() == {**view, "is_mine": False}


def test_views_of_a_tool_the_caller_may_not_read_are_hidden_even_when_shared(alice, carol):
    shared = saved(alice, shared=True)
    saved(alice, entity="testing.testrun", name="Runs", shared=True)
    assert names(carol.get(VIEWS)) == ["Runs"]
    assert carol.get(detail(shared["id"])).status_code == 404


def test_ones_own_views_of_a_tool_one_may_no_longer_read_are_hidden(alice, user):
    view = saved(alice)
    no_longer = client_for(user, "testing:read")
    assert names(no_longer.get(VIEWS)) == []
    assert no_longer.get(detail(view["id"])).status_code == 404
    assert no_longer.delete(detail(view["id"])).status_code == 404


def test_a_caller_who_may_read_no_tool_has_an_empty_list(user):
    assert names(client_for(user).get(VIEWS)) == []


def test_the_list_is_narrowed_to_an_entity(alice):
    saved(alice, name="Parts")
    saved(alice, entity="testing.testrun", name="Runs")
    assert names(alice.get(VIEWS, {"entity": "testing.testrun"})) == ["Runs"]
    assert names(alice.get(VIEWS, {"entity": ENTITY})) == ["Parts"]


def test_narrowing_to_an_entity_of_a_tool_one_may_not_read_is_a_403(carol):
    response = carol.get(VIEWS, {"entity": ENTITY})
    assert response.status_code == 403
    assert response.json()["detail"] == "You need the 'components:read' permission."


@pytest.mark.parametrize(
    "query",
    [
        "entity=components.nothing",
        "entity=core.tag",
        f"entity={ENTITY}&entity=testing.testrun",
    ],
    ids=["no such entity", "not a tool's", "two"],
)
def test_narrowing_to_an_entity_no_tool_has_or_to_two_is_a_400(alice, query):
    response = alice.get(f"{VIEWS}?{query}")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["entity"]


def test_an_unknown_query_parameter_of_the_api_is_a_400_naming_it(alice):
    view = saved(alice)
    for response in (
        alice.get(VIEWS, {"colour": "red"}),
        alice.get(detail(view["id"]), {"colour": "red"}),
        alice.patch(f"{detail(view['id'])}?colour=red", {}, format="json"),
        alice.get(detail(view["id"]), {"limit": 1}),
    ):
        assert response.status_code == 400
        assert list(response.json()["errors"]) in (["colour"], ["limit"])


def test_the_list_is_paged_by_cursor_in_name_order(alice):
    for name in ["d", "b", "e", "a", "c"]:
        saved(alice, name=name)
    body = alice.get(VIEWS, {"limit": 2}).json()
    assert set(body) == {"next", "previous", "results"}
    seen = [view["name"] for view in body["results"]]
    while body["next"]:
        body = alice.get(body["next"]).json()
        seen += [view["name"] for view in body["results"]]
    assert seen == ["a", "b", "c", "d", "e"]


def test_the_list_reads_the_same_queries_however_many_views_and_owners(alice, bob):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert alice.get(VIEWS).status_code == 200
        return len(captured)

    saved(alice, name="one")
    few = queries()
    for n in range(5):
        saved(alice, name=f"mine {n}")
        saved(bob, name=f"shared {n}", shared=True)
    assert queries() == few == 1


@pytest.mark.parametrize("view_id", ["0", "9" * 30])
def test_an_id_no_view_can_have_is_a_404(alice, view_id):
    assert alice.get(detail(view_id)).status_code == 404


# --- Changing and deleting ---------------------------------------------------------------


def test_the_owner_changes_the_name_query_and_sharing(alice):
    view = saved(alice, query="status=DRAFT")
    response = alice.patch(
        detail(view["id"]),
        {"name": "Renamed", "query": "ordering=-name&status=ACTIVE", "shared": True},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["query"], body["shared"]) == (
        "Renamed",
        "ordering=-name&status=ACTIVE",
        True,
    )
    assert alice.get(detail(view["id"])).json() == body


def test_a_patch_changes_only_the_fields_it_sends(alice):
    view = saved(alice, name="Kept", query="status=DRAFT")
    body = alice.patch(detail(view["id"]), {"shared": True}, format="json").json()
    assert (body["name"], body["query"], body["shared"]) == ("Kept", "status=DRAFT", True)


def test_others_may_not_change_or_delete_a_shared_view(alice, bob):
    view = saved(alice, name="Alices", shared=True)
    for response in (
        bob.patch(detail(view["id"]), {"name": "Bobs now"}, format="json"),
        bob.delete(detail(view["id"])),
    ):
        assert response.status_code == 403
        assert response.json()["detail"] == "Only its owner may change or delete a saved view."
    assert SavedView.objects.get().name == "Alices"


def test_others_get_a_404_for_a_view_they_cannot_see(alice, bob):
    view = saved(alice)
    assert bob.patch(detail(view["id"]), {"name": "x"}, format="json").status_code == 404
    assert bob.delete(detail(view["id"])).status_code == 404
    assert SavedView.objects.get().name == "Mine"


def test_the_owner_deletes_a_view(alice):
    view = saved(alice)
    response = alice.delete(detail(view["id"]))
    assert response.status_code == 204
    assert not SavedView.objects.exists()
    assert alice.get(detail(view["id"])).status_code == 404


def test_a_view_is_never_replaced_whole(alice):
    view = saved(alice)
    response = alice.put(detail(view["id"]), {"entity": ENTITY, "name": "x"}, format="json")
    assert response.status_code == 405


def test_the_entity_of_a_view_cannot_be_changed(alice):
    view = saved(alice)
    response = alice.patch(detail(view["id"]), {"entity": "testing.testrun"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "entity": ["A saved view's entity cannot be changed; save a new view instead."]
    }
    assert alice.patch(detail(view["id"]), {"entity": ENTITY}, format="json").status_code == 200


def test_a_changed_query_is_checked_against_the_views_entity(alice):
    view = saved(alice, entity="testing.testrun", name="Runs")
    response = alice.patch(detail(view["id"]), {"query": "part_number=P-1"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"query": {"part_number": ["Unknown query parameter."]}}


def test_nothing_is_written_when_any_field_is_refused(alice):
    view = saved(alice, name="Before", query="status=DRAFT")
    response = alice.patch(
        detail(view["id"]), {"name": "After", "shared": True, "query": "nope=1"}, format="json"
    )
    assert response.status_code == 400
    stored = SavedView.objects.get()
    assert (stored.name, stored.shared, stored.query) == ("Before", False, "status=DRAFT")


def test_deleting_a_person_deletes_their_views_and_no_one_elses(alice, bob, bob_user):
    saved(alice, name="Alices", shared=True)
    saved(bob, name="Bobs", shared=True)
    bob_user.delete()
    assert list(SavedView.objects.values_list("name", flat=True)) == ["Alices"]
    assert names(alice.get(VIEWS)) == ["Alices"]


# --- Names ----------------------------------------------------------------------------------


def test_a_name_is_trimmed(alice):
    assert saved(alice, name="  Spaced  ")["name"] == "Spaced"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("   ", "This field may not be blank."),
        (None, "This field may not be null."),
        ("x" * 101, "Ensure this field has no more than 100 characters."),
        (["a"], "Not a valid string."),
        ("a\x00b", "Null characters are not allowed."),
    ],
    ids=["blank", "null", "101 characters", "a list", "NUL"],
)
def test_a_name_that_is_no_name_is_a_400(alice, name, message):
    response = save(alice, name=name)
    assert response.status_code == 400
    assert response.json()["errors"] == {"name": [message]}


def test_a_name_of_100_characters_is_kept(alice):
    assert saved(alice, name="x" * 100)["name"] == "x" * 100


def test_a_name_is_required(alice):
    response = alice.post(VIEWS, {"entity": ENTITY}, format="json")
    assert response.json()["errors"] == {"name": ["This field is required."]}


def test_a_persons_names_of_one_entitys_views_differ_in_any_case(alice):
    saved(alice, name="Urgent")
    response = save(alice, name="URGENT ")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        # Named as it was saved, not as it was typed this time.
        "name": ["You already have a saved view of this entity named 'Urgent'."]
    }
    assert SavedView.objects.count() == 1


def test_a_name_may_be_used_again_for_another_entity_or_by_another_person(alice, bob):
    saved(alice, name="Urgent")
    saved(alice, name="Urgent", entity="testing.testrun")
    saved(bob, name="Urgent")
    assert SavedView.objects.count() == 3


def test_renaming_a_view_to_the_name_of_another_is_a_400(alice):
    saved(alice, name="First")
    view = saved(alice, name="Second")
    response = alice.patch(detail(view["id"]), {"name": "first"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["name"]


def test_a_view_may_be_renamed_to_its_own_name_in_another_case(alice):
    view = saved(alice, name="urgent")
    response = alice.patch(detail(view["id"]), {"name": "Urgent"}, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == "Urgent"


def test_a_name_taken_after_the_check_is_a_400_not_a_server_error(alice, monkeypatch):
    # Another request of the same person stores the name between this
    # request's check and its insert: the unique constraint refuses it.
    saved(alice, name="Taken")
    real, checks = SavedViewSerializer.name_taken, []

    def missed_the_first_time(self, name, content_type):
        checks.append(name)
        return real(self, name, content_type) if len(checks) > 1 else None

    monkeypatch.setattr(SavedViewSerializer, "name_taken", missed_the_first_time)
    response = save(alice, name="taken")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "name": ["You already have a saved view of this entity named 'Taken'."]
    }
    assert checks == ["taken", "taken"]
    assert SavedView.objects.count() == 1


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


# --- Bodies ------------------------------------------------------------------------------------


@pytest.mark.parametrize("body", [b"{", b"", b"[1", b'{"\\ud800": 1}'])
def test_malformed_json_is_a_400(alice, body):
    response = alice.generic("POST", VIEWS, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] in ("parse_error", "invalid")


@pytest.mark.parametrize("body", [[], "text", 5, None])
def test_a_body_that_is_no_object_is_a_400(alice, body):
    response = alice.post(VIEWS, body, format="json")
    assert response.status_code == 400
    assert not SavedView.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("shared", "maybe"), ("shared", None), ("shared", [True]), ("query", 5.5)],
)
def test_a_value_of_the_wrong_type_is_a_400_naming_its_field(alice, field, value):
    response = save(alice, **{field: value})
    if field == "query":  # a number is a string to DRF, and a parameter the list does not know
        assert response.json()["errors"] == {"query": {"5.5": ["Unknown query parameter."]}}
    else:
        assert list(response.json()["errors"]) == [field]
    assert response.status_code == 400


def test_a_field_a_view_does_not_have_is_a_400_naming_it(alice):
    response = save(alice, colour="red")
    assert response.status_code == 400
    assert response.json()["errors"] == {"colour": ["Unknown field."]}


def test_the_fields_the_server_sets_are_ignored(alice, bob_user):
    view = saved(alice, owner={"id": bob_user.pk}, is_mine=False, id=999)
    assert view["is_mine"] is True
    assert view["id"] != 999


# --- Schema and admin --------------------------------------------------------------------------


def test_the_schema_documents_every_operation_and_its_shapes():
    schema = openapi_schema()
    paths = schema["paths"]
    assert set(paths[VIEWS]) == {"get", "post"}
    one = paths["/api/v1/saved-views/{id}/"]
    assert set(one) == {"get", "patch", "delete"}
    assert [op["operationId"] for op in [*paths[VIEWS].values(), *one.values()]] == [
        "saved_views_list",
        "saved_views_create",
        "saved_views_retrieve",
        "saved_views_partial_update",
        "saved_views_destroy",
    ]
    assert one["get"]["parameters"][0]["schema"] == {"type": "integer"}
    listed = paths[VIEWS]["get"]
    assert {p["name"] for p in listed["parameters"]} == {"entity", "limit", "cursor"}
    assert set(listed["responses"]) == {"200", "400", "401", "403", "429", "503"}
    assert set(one["patch"]["responses"]) == {
        "200", "400", "401", "403", "404", "413", "429", "503"
    }  # fmt: skip
    components = schema["components"]["schemas"]
    view = components["SavedView"]
    assert set(view["required"]) == set(view["properties"]) == {
        "id", "entity", "name", "query", "shared", "owner", "is_mine", "created_at", "updated_at"
    }  # fmt: skip
    assert set(components["SavedViewRequest"]["properties"]) == {
        "entity", "name", "query", "shared"
    }  # fmt: skip
    assert set(components["SavedViewRequest"]["required"]) == {"entity", "name"}
    assert components["PaginatedSavedViewList"]["required"] == ["next", "previous", "results"]


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("root", "root@example.com", "pw-for-tests"))
    return client


def test_the_admin_lists_searches_and_filters_the_views(admin_client, alice):
    view = saved(alice, name="Hall sensors", query="search=hall", shared=True)
    saved(alice, name="Drafts", query="status=DRAFT")
    listed = admin_client.get("/admin/core/savedview/", {"q": "hall", "shared__exact": "1"})
    assert listed.status_code == 200
    assert "Hall sensors" in listed.text
    assert "Drafts" not in listed.text
    change = admin_client.get(f"/admin/core/savedview/{view['id']}/change/")
    assert change.status_code == 200
    assert admin_client.get("/admin/core/savedview/add/").status_code == 403
