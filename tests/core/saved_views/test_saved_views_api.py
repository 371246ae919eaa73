"""Saved views, /api/v1/saved-views/, as their callers see them: who sees
and changes which view, names, bad bodies, the schema and the admin. The
query a view keeps is test_saved_view_queries.py's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags
from rest_framework.test import APIClient
from saved_view_requests import ENTITY, VIEWS, detail, names, save, saved

from apps.components.models import Component
from apps.core.api.saved_views import SavedViewSerializer
from apps.core.models import SavedView, User
from apps.core.testing.api import client_for
from apps.core.testing.openapi import openapi_schema

pytestmark = pytest.mark.django_db


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
        "owner": {"id": user.pk, "name": "Alice Tester", "is_active": True},
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
    assert view["owner"] == {"id": user.pk, "name": "Alice Tester", "is_active": True}
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


def refused_to_change_or_delete(client, view: dict) -> None:
    """`client` may neither rename nor delete `view`: 403s, and the view as it was."""
    for response in (
        client.patch(detail(view["id"]), {"name": "Taken over"}, format="json"),
        client.delete(detail(view["id"])),
    ):
        assert response.status_code == 403
        assert response.json()["detail"] == "Only its owner may change or delete a saved view."
    assert SavedView.objects.get().name == view["name"]


def test_others_may_not_change_or_delete_a_shared_view(alice, bob):
    refused_to_change_or_delete(bob, saved(alice, name="Alices", shared=True))


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


def test_deleting_a_person_deletes_their_private_views_and_keeps_their_shared_ones_ownerless(
    alice, bob, bob_user
):
    saved(alice, name="Alices", shared=True)
    saved(bob, name="Bobs private")
    saved(bob, name="Bobs shared", shared=True)

    bob_user.delete()

    rows = SavedView.objects.order_by("name").values_list("name", "owner__username")
    assert list(rows) == [("Alices", "alice"), ("Bobs shared", None)]


def test_a_view_shared_by_a_deleted_person_is_still_listed_as_by_no_one(alice, bob, bob_user):
    view = saved(bob, name="Team sensors", query="search=sensor", shared=True)
    bob_user.delete()

    listed = alice.get(VIEWS).json()["results"]

    assert listed == [
        {**view, "owner": None, "is_mine": False, "updated_at": listed[0]["updated_at"]}
    ]
    assert alice.get(detail(view["id"])).json()["owner"] is None


def test_no_one_may_change_or_delete_a_view_whose_owner_was_deleted(alice, bob, bob_user):
    view = saved(bob, name="Team sensors", shared=True)
    bob_user.delete()

    refused_to_change_or_delete(alice, view)


def test_a_deleted_persons_shared_views_may_share_a_name(alice, bob, bob_user):
    """No owner, no clash: the unique name is per owner."""
    saved(bob, name="Team sensors", shared=True)
    carol_user = User.objects.create_user(username="carol")
    saved(client_for(carol_user, "components:read"), name="Team sensors", shared=True)

    bob_user.delete()
    carol_user.delete()

    assert names(alice.get(VIEWS)) == ["Team sensors", "Team sensors"]


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


@pytest.mark.parametrize("character", ["\u202e", "\u2066", "\u200b", "\ufeff"])
def test_a_name_with_an_invisible_character_is_a_400_naming_it(alice, character):
    """ "Mine" and "Mine\u202e" would look alike in a list of views."""
    made = save(alice, name=f"{character}evil")
    renamed = alice.patch(detail(saved(alice)["id"]), {"name": f"Mine{character}"}, format="json")
    for response in (made, renamed):
        assert response.status_code == 400
        [message] = response.json()["errors"]["name"]
        assert message.startswith(f"Remove the invisible character U+{ord(character):04X} (")
    assert list(SavedView.objects.values_list("name", flat=True)) == ["Mine"]


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


@pytest.mark.parametrize(
    ("first", "second"), [("Über", "über"), ("ΣΟΦΙΑ", "σοφια"), ("Straße", "STRASSE")]
)
def test_names_differ_in_any_case_beyond_ascii_on_every_database(alice, first, second):
    # SQLite's LOWER, which its unique constraint compares, folds ASCII letters only.
    saved(alice, name=first)
    response = save(alice, name=second)
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "name": [f"You already have a saved view of this entity named '{first}'."]
    }
    assert SavedView.objects.count() == 1


def test_a_view_may_be_renamed_to_its_own_name_in_another_case_beyond_ascii(alice):
    view = saved(alice, name="über")
    response = alice.patch(detail(view["id"]), {"name": "Über"}, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == "Über"


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
    assert view["properties"]["owner"]["nullable"] is True


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


def test_the_admin_shows_a_view_whose_owner_was_deleted_as_a_former_users(
    admin_client, bob, bob_user
):
    saved(bob, name="Team sensors", shared=True)
    bob_user.delete()
    listed = admin_client.get("/admin/core/savedview/")
    assert "former user" in listed.text


def kept_views_note(page) -> str:
    """What the confirmation says of the saved views, in words."""
    text = page.text
    start = text.index('<p id="saved-views-kept">')
    end = text.index("</ul>", start) if "saved-views-kept-list" in text else text.index("</p>")
    return " ".join(strip_tags(text[start:end]).split())


def test_deleting_a_person_in_the_admin_says_which_views_stay(admin_client, bob, bob_user):
    saved(bob, name="Bobs private")
    saved(bob, name="Team sensors", shared=True)

    page = admin_client.get(f"/admin/core/user/{bob_user.pk}/delete/")

    assert kept_views_note(page) == (
        "Saved views: their private views are deleted with them (listed below), and the "
        "1 they shared stay for the people who use them, shown as made by a former user, "
        "which only an operator here can then change or delete: "
        "Team sensors (Components | component)"
    )
    listed_to_delete = " ".join(strip_tags(page.text).split())
    assert "Saved views: 1" in listed_to_delete
    assert "Saved view: Bobs private" in listed_to_delete
    assert "Saved view: Team sensors" not in listed_to_delete


def test_deleting_people_in_the_admin_says_which_views_stay(admin_client, alice, bob, bob_user):
    saved(alice, name="Alices shared", shared=True)
    saved(bob, name="Bobs shared", shared=True)
    page = admin_client.post(
        "/admin/core/user/",
        {
            "action": "delete_selected",
            "_selected_action": [bob_user.pk, User.objects.get(username="alice").pk],
        },
    )
    assert page.status_code == 200
    assert kept_views_note(page).endswith(
        "Alices shared (Components | component)Bobs shared (Components | component)"
    )


def test_deleting_a_person_who_shared_nothing_says_so(admin_client, bob_user):
    page = admin_client.get(f"/admin/core/user/{bob_user.pk}/delete/")
    assert kept_views_note(page) == (
        "Saved views: their private views, if any, are deleted with them (listed below); "
        "they shared none."
    )
