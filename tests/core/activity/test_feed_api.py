"""The suite-wide activity feed, GET /api/v1/activity/, as its callers
see it: who may read what, the entries, the filters, paging, the schema."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from feed_entries import COMPONENTS, FEED, add_entry, create, ids, walk
from rest_framework import serializers
from rest_framework.test import APIClient

from apps.components.models import Component
from apps.core.api import activity
from apps.core.context import acting_as
from apps.core.models import AuditEntry, Tag, User
from apps.core.testing.api import client_for
from apps.core.testing.samples import create_sample
from apps.testing import models as testing

pytestmark = pytest.mark.django_db


# --- Access -------------------------------------------------------------------------------


def test_unauthenticated_requests_are_401():
    response = APIClient().get(FEED)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_caller_who_may_read_no_tool_is_403(user):
    response = client_for(user, "components:write").get(FEED)
    assert response.status_code == 403
    assert "<tool>:read" in response.json()["detail"]


def test_each_reader_sees_only_the_tools_they_may_read(api, user, inventory):
    create(api)
    stored = add_entry(inventory)
    components = AuditEntry.objects.exclude(pk=stored.pk).get()
    assert ids(client_for(user, "components:read").get(FEED)) == [components.pk]
    assert ids(client_for(user, "inventory:read").get(FEED)) == [stored.pk]
    assert ids(client_for(user, "*:read").get(FEED)) == [stored.pk, components.pk]


def test_entries_of_records_outside_every_tool_are_not_shown(api):
    create(api)
    add_entry(ContentType.objects.get_for_model(Tag))
    assert [e["tool"] for e in api.get(FEED).json()["results"]] == ["components"]


# --- Entries ------------------------------------------------------------------------------


def test_entries_come_newest_first_with_the_change_and_who_made_it(api, user):
    response = create(api, name="Relay")
    created, request_id = response.json(), response["X-Request-ID"]
    api.patch(f"{COMPONENTS}{created['id']}/", {"name": "Relay 5V"}, format="json")
    body = api.get(FEED).json()
    assert set(body) == {"next", "previous", "results"}
    update, creation = body["results"]
    assert update["action"] == "UPDATE"
    assert update["changes"] == {"name": {"old": "Relay", "new": "Relay 5V"}}
    assert creation["action"] == "CREATE"
    assert creation["request_id"] == request_id
    assert update == {
        "id": update["id"],
        "timestamp": update["timestamp"],
        "action": "UPDATE",
        "tool": "components",
        "entity": "components.component",
        "object_id": created["id"],
        "public_id": created["public_id"],
        "object_label": f"{created['public_id']} Relay 5V",
        "actor": {"id": user.pk, "name": "Alice Tester", "is_active": True},
        "actor_label": "Alice Tester",
        "request_id": update["request_id"],
        "changes": {"name": {"old": "Relay", "new": "Relay 5V"}},
        "comment": "",
        "reverted": None,
        "url": f"http://testserver{COMPONENTS}{created['id']}/",
    }


def test_entries_are_written_as_drfs_own_serializer_writes_them(api, user, monkeypatch):
    # The feed reads its entries through a plan (apps/core/api/read_plan.py):
    # each kind of entry — with and without an actor, a request id, changes
    # and a record that still exists, a revert — as DRF itself writes it.
    created = create(api, name="Relay").json()
    api.patch(f"{COMPONENTS}{created['id']}/", {"name": "Relay 5V"}, format="json")
    renamed = AuditEntry.objects.filter(object_id=created["id"]).first()
    api.post(f"{COMPONENTS}{created['id']}/revert/", {"audit_id": renamed.pk}, format="json")
    with acting_as(user):
        Component.objects.get(pk=create(api).json()["id"]).delete()
    add_entry(ContentType.objects.get_for_model(Component), comment="By hand", changes={})
    planned = api.get(FEED).json()["results"]
    monkeypatch.setattr(
        activity.ActivityEntrySerializer,
        "to_representation",
        serializers.ModelSerializer.to_representation,
    )
    assert api.get(FEED).json()["results"] == planned
    assert {e["actor"] is None for e in planned} == {True, False}
    assert {e["url"] is None for e in planned} == {True, False}
    assert {e["reverted"] is None for e in planned} == {True, False}


def test_each_url_is_its_records_in_the_api(api, user):
    with acting_as(user):
        for n in range(1, 12):
            create_sample(Component, n)
        for n in range(1, 4):
            create_sample(testing.TestRun, n)
    entries = api.get(FEED, {"limit": 100}).json()["results"]
    assert {e["entity"] for e in entries} == {"components.component", "testing.testrun"}
    for entry in entries:
        app_label, model = entry["entity"].split(".")
        path = reverse(f"{app_label}:{model}-detail", kwargs={"id": entry["object_id"]})
        assert entry["url"] == f"http://testserver{path}"


def test_the_url_is_null_once_the_record_is_gone(api, user):
    created = create(api).json()
    with acting_as(user):
        Component.objects.get(pk=created["id"]).delete()
    entries = api.get(FEED).json()["results"]
    assert [e["action"] for e in entries] == ["DELETE", "CREATE"]
    assert [e["url"] for e in entries] == [None, None]


def test_an_entry_without_an_actor_shows_none(api):
    Component.objects.create(name="Made by a script", part_number="S-1")
    entry = api.get(FEED).json()["results"][0]
    assert entry["actor"] is None
    assert entry["actor_label"] == ""


# --- Filters ------------------------------------------------------------------------------


def test_filter_by_tool(api, inventory):
    create(api)
    stored = add_entry(inventory)
    assert ids(api.get(FEED, {"tool": "inventory"})) == [stored.pk]
    assert len(ids(api.get(FEED, {"tool": "components"}))) == 1


def test_asking_for_a_tool_you_may_not_read_is_403_naming_the_permission(user, inventory):
    reader = client_for(user, "components:read")
    for params in ({"tool": "inventory"}, {"entity": "inventory.item"}):
        response = reader.get(FEED, params)
        assert response.status_code == 403
        assert response.json()["detail"] == "You need the 'inventory:read' permission."


def test_filter_by_entity(api, inventory):
    create(api)
    stored = add_entry(inventory)
    assert ids(api.get(FEED, {"entity": "inventory.item"})) == [stored.pk]
    assert [
        e["entity"] for e in api.get(FEED, {"entity": "components.component"}).json()["results"]
    ] == ["components.component"]


def test_filter_by_actor(api, user):
    create(api)
    other = User.objects.create_user("bob", first_name="Bob")
    create(client_for(other, "*:read", "*:write"))
    entries = api.get(FEED, {"actor": other.pk}).json()["results"]
    assert [e["actor"]["id"] for e in entries] == [other.pk]


def test_filter_by_repeated_action(api):
    record = create(api).json()
    url = f"{COMPONENTS}{record['id']}/"
    api.patch(url, {"name": "Renamed"}, format="json")
    api.delete(url)
    actions = [
        e["action"] for e in api.get(f"{FEED}?action=ARCHIVE&action=CREATE").json()["results"]
    ]
    assert actions == ["ARCHIVE", "CREATE"]


def test_filter_by_date_range(api, inventory):
    day = datetime.datetime(2026, 3, 10, tzinfo=datetime.UTC)
    before = add_entry(inventory, timestamp=day - datetime.timedelta(seconds=1))
    first = add_entry(inventory, timestamp=day)
    last = add_entry(inventory, timestamp=day + datetime.timedelta(hours=23))
    after = add_entry(inventory, timestamp=day + datetime.timedelta(days=1))
    in_day = {"since": "2026-03-10", "until": "2026-03-11"}
    assert ids(api.get(FEED, in_day)) == [last.pk, first.pk]
    assert ids(api.get(FEED, {"since": "2026-03-11T00:00:00Z"})) == [after.pk]
    assert ids(api.get(FEED, {"until": day.isoformat()})) == [before.pk]


def test_filter_by_request_id(api):
    request_id = create(api)["X-Request-ID"]
    create(api)
    entries = api.get(FEED, {"request_id": request_id}).json()["results"]
    assert [e["request_id"] for e in entries] == [request_id]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"tool": "no-such-tool"}, "tool"),
        ({"entity": "components.nothing"}, "entity"),
        ({"actor": "alice"}, "actor"),
        ({"action": "EXPLODE"}, "action"),
        ({"since": "last tuesday"}, "since"),
        ({"until": "2026-13-01"}, "until"),
        ({"request_id": "not-a-uuid"}, "request_id"),
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"cursor": "garbage"}, "cursor"),
    ],
)
def test_bad_filter_values_are_400_naming_the_parameter(api, params, field):
    response = api.get(FEED, params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_an_unknown_query_parameter_is_400(api):
    response = api.get(FEED, {"actr": "1"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"actr": ["Unknown query parameter."]}


# --- Paging -------------------------------------------------------------------------------


def test_cursor_pages_through_every_entry_once_newest_first(api, inventory):
    moment = timezone.now()
    # Entries sharing a timestamp (one bulk write) must not be skipped or repeated.
    entries = [add_entry(inventory, timestamp=moment) for _ in range(4)]
    entries += [
        add_entry(inventory, timestamp=moment + datetime.timedelta(seconds=n)) for n in (1, 2, 3)
    ]
    expected = sorted(entries, key=lambda e: (e.timestamp, e.pk), reverse=True)
    assert walk(api, {"limit": 2}) == [e.pk for e in expected]


def test_previous_links_walk_back(api, inventory):
    for _ in range(5):
        add_entry(inventory)
    first = api.get(FEED, {"limit": 2}).json()
    second = api.get(first["next"]).json()
    assert first["previous"] is None
    assert api.get(second["previous"]).json()["results"] == first["results"]


# --- Schema and bad input --------------------------------------------------------------------


def test_the_feed_is_in_the_openapi_schema():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"][FEED]["get"]
    assert operation["operationId"] == "activity_list"
    parameters = {p["name"] for p in operation["parameters"]}
    assert parameters == {
        "tool",
        "entity",
        "actor",
        "action",
        "since",
        "until",
        "request_id",
        "cursor",
        "limit",
    }
    page = schema["components"]["schemas"]["PaginatedActivityEntryList"]
    assert set(page["properties"]) == {"next", "previous", "results"}
    entry = schema["components"]["schemas"]["ActivityEntry"]
    assert {"tool", "entity", "actor", "url", "changes"} <= set(entry["properties"])


def test_no_awkward_parameter_value_is_a_server_error(api):
    from apps.core.testing.robustness import AWKWARD_QUERY_VALUES

    create(api)
    names = [*activity.ActivityFilterSet.base_filters, "limit", "cursor"]
    api.raise_request_exception = False
    failures = [
        (name, value, response.status_code)
        for name in names
        for value in AWKWARD_QUERY_VALUES
        if (response := api.get(FEED, {name: value})).status_code >= 500
    ]
    assert failures == []


def test_the_format_may_be_named_as_for_every_other_path(api):
    create(api)
    assert api.get(FEED, {"format": "json"}).status_code == 200
    response = api.get(FEED, {"format": "xml"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["format"]
