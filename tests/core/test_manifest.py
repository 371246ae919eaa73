"""`GET /api/v1/tools/`: the tools the caller may use, and how to render each."""

import pytest
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from apps.core.api.manifest import manifest_for
from apps.core.permissions import Grants
from apps.core.testing.api import client_for

URL = "/api/v1/tools/"
pytestmark = pytest.mark.django_db


def components(body):
    return next(tool for tool in body["tools"] if tool["slug"] == "components")


def test_the_manifest_describes_each_tool_and_the_callers_permissions(user):
    body = client_for(user, "components:read", "components:write").get(URL).json()
    tool = components(body)
    assert tool["name"] == "Components"
    assert tool["icon"] == "cpu"
    assert tool["api_path"] == "/api/v1/components/"
    assert tool["permissions"] == ["read", "write"]


def test_tools_the_caller_cannot_read_are_left_out(user):
    assert client_for(user, "components:write").get(URL).json()["tools"] == []
    assert client_for(user, "*:read").get(URL).json()["tools"]


def test_an_entity_lists_its_fields_filters_statuses_and_transitions(user):
    entity = components(client_for(user, "*:read").get(URL).json())["entities"][0]
    assert entity["api_path"] == "/api/v1/components/components/"
    assert entity["id_prefix"] == "CMP"
    assert entity["default_ordering"] == ["-created_at", "-id"]
    assert [s["value"] for s in entity["statuses"]] == ["DRAFT", "ACTIVE", "ARCHIVED"]
    assert {"source": "DRAFT", "target": "ACTIVE", "admin_only": False} in entity["transitions"]
    fields = {f["name"]: f for f in entity["fields"]}
    assert fields["part_number"]["required"] is True
    assert fields["part_number"]["max_length"] == 64
    # What a bulk edit cannot set on several records at once.
    unique = [name for name, field in fields.items() if field["unique"]]
    assert unique == ["part_number"]
    assert fields["part_number"]["filter_lookups"] == ["exact", "icontains", "in"]
    assert fields["unit_cost"]["type"] == "decimal"
    assert (fields["unit_cost"]["min"], fields["unit_cost"]["decimal_places"]) == ("0", 2)
    assert fields["unit_cost"]["default"] == 0
    assert fields["status"]["choices"][0] == {"value": "DRAFT", "label": "Draft"}
    assert fields["public_id"]["read_only"] is True
    assert fields["tags"]["type"] == "tags"
    assert fields["created_by"]["type"] == "user"
    assert fields["name"]["sortable"]
    assert not fields["description"]["sortable"]
    assert {"search", "status", "tag", "ordering"} <= set(entity["filters"])


def test_the_manifest_is_cacheable_per_caller(user):
    client = client_for(user, "*:read")
    first = client.get(URL)
    assert "private" in first["Cache-Control"]
    assert client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    other = client_for(user, "components:read").get(URL)
    assert other["ETag"] != first["ETag"]


def test_the_manifest_needs_authentication():
    response = APIClient().get(URL)
    assert response.status_code == 401


@pytest.mark.parametrize(
    "permissions",
    [("*:read",), ("components:read", "testing:read", "testing:admin"), ("components:write",)],
)
def test_the_body_is_the_json_of_the_callers_manifest(user, permissions):
    """The body is joined from JSON made once per process; it must be the
    rendering of the manifest, whatever the permissions."""
    response = client_for(user, *permissions).get(URL)
    expected = JSONRenderer().render(manifest_for(Grants(frozenset(permissions))))
    assert response.content == expected
    assert response["Content-Type"] == "application/json"


def test_indented_json_is_the_same_manifest(user):
    client = client_for(user, "*:read")
    indented = client.get(URL, HTTP_ACCEPT="application/json; indent=2")
    assert indented.content.startswith(b'{\n  "tools"')
    assert indented.json() == client.get(URL).json()


def test_building_the_manifest_needs_no_database(django_assert_num_queries):
    """Links describe their target, never list its records (at a million
    components that would be a full scan, and stale once cached)."""
    from apps.core.api.manifest import forget_manifests, tool_manifests

    forget_manifests()
    with django_assert_num_queries(0):
        manifests = tool_manifests()
    entity = manifests["testing"]["entities"][0]
    component = next(f for f in entity["fields"] if f["name"] == "component")
    assert component["type"] == "relation"
    assert component["choices"] is None
    assert component["relation"] == {
        "entity": "components.component",
        "api_path": "/api/v1/components/components/",
        "many": False,
    }
