"""Per-tool permissions from the token, on the real components tool."""

import itertools

import pytest
from auth0_fakes import COMPONENTS_URL, bearer
from django.urls import NoReverseMatch, reverse
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.test import APIRequestFactory

from apps.components.models import Component
from apps.core.api.registry import viewset_for
from apps.core.api.urls import tool_routes
from apps.core.tools import installed_tools

pytestmark = pytest.mark.django_db

part_numbers = (f"AUTH-{n:04d}" for n in itertools.count(1))


@pytest.fixture
def component():
    return Component.objects.create(name="Existing part", part_number=next(part_numbers))


@pytest.fixture
def call(client, make_token):
    """Make a request to the components API with a token carrying `permissions`."""

    def request(method, url, permissions, data=None, **claims):
        token = make_token({"permissions": permissions, **claims})
        return getattr(client, method)(
            url, data=data, content_type="application/json", headers=bearer(token)
        )

    return request


def new_component():
    return {"name": "Resistor 10k", "part_number": next(part_numbers)}


def detail_url(component):
    return f"{COMPONENTS_URL}{component.pk}/"


def assert_forbidden(response, permission: str):
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "permission_denied"
    assert f"'{permission}'" in response.json()["detail"]


def test_read_lets_a_caller_list_and_view(call, component):
    assert call("get", COMPONENTS_URL, ["components:read"]).status_code == 200
    assert call("get", detail_url(component), ["components:read"]).status_code == 200


def test_read_alone_cannot_create_update_archive_or_restore(call, component):
    read = ["components:read"]
    assert_forbidden(call("post", COMPONENTS_URL, read, new_component()), "components:write")
    assert_forbidden(call("patch", detail_url(component), read, {"name": "x"}), "components:write")
    assert_forbidden(call("delete", detail_url(component), read), "components:write")
    restore = f"{detail_url(component)}restore/"
    assert_forbidden(call("post", restore, read), "components:write")
    component.refresh_from_db()
    assert component.name == "Existing part"
    assert component.archived_at is None


def test_write_lets_a_caller_create_update_archive_and_restore(call, component):
    both = ["components:read", "components:write"]
    assert call("post", COMPONENTS_URL, both, new_component()).status_code == 201
    assert call("patch", detail_url(component), both, {"name": "Renamed"}).status_code == 200
    assert call("delete", detail_url(component), both).status_code == 204
    assert call("post", f"{detail_url(component)}restore/", both).status_code == 200


def test_write_does_not_imply_read(call, component):
    """A write answers with the record it wrote: without read, no write is made."""
    write = ["components:write"]
    assert_forbidden(call("get", COMPONENTS_URL, write), "components:read")
    assert_forbidden(call("post", COMPONENTS_URL, write, new_component()), "components:read")
    assert_forbidden(call("patch", detail_url(component), write, {}), "components:read")
    bulk = f"{COMPONENTS_URL}bulk/"
    assert_forbidden(call("patch", bulk, write, [{"id": component.pk}]), "components:read")
    assert Component.objects.count() == 1


def test_records_are_written_as_the_tokens_user(call, django_user_model):
    both = ["components:read", "components:write"]
    response = call("post", COMPONENTS_URL, both, new_component(), sub="auth0|w")

    writer = django_user_model.objects.get(external_id="auth0|w")
    assert response.json()["created_by"]["id"] == writer.pk
    assert Component.objects.get(pk=response.json()["id"]).created_by == writer


def test_wildcard_read_grants_read_on_every_tool(call):
    assert call("get", COMPONENTS_URL, ["*:read"]).status_code == 200
    assert_forbidden(call("post", COMPONENTS_URL, ["*:read"], new_component()), "components:write")


def test_wildcard_write_grants_write_on_every_tool(call):
    both = ["*:read", "*:write"]
    assert call("post", COMPONENTS_URL, both, new_component()).status_code == 201


def test_another_tools_permission_grants_nothing_here(call):
    assert_forbidden(call("get", COMPONENTS_URL, ["inventory:read"]), "components:read")


def test_a_token_without_a_permissions_claim_has_none(call):
    assert_forbidden(call("get", COMPONENTS_URL, None), "components:read")


def test_a_machine_to_machine_tokens_scope_grants_its_permissions(call):
    response = call(
        "get",
        COMPONENTS_URL,
        None,
        sub="ci-client@clients",
        gty="client-credentials",
        scope="components:read",
    )

    assert response.status_code == 200


def test_a_users_scope_grants_nothing(call):
    """What a user's app asks for lands in `scope`; a tenant without RBAC grants it all."""
    response = call("get", COMPONENTS_URL, None, scope="openid profile components:read")

    assert_forbidden(response, "components:read")


def test_a_permissions_claim_that_is_not_a_list_is_an_invalid_token(call):
    response = call("get", COMPONENTS_URL, "components:read")

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_claim"


class ComponentViewSetWithAdminAction(viewset_for(Component)):
    """A tool's viewset with one action it marks admin-only."""

    @action(detail=False, methods=["post"], permission_level="admin")
    def recount(self, request):
        return Response({"recounted": True})


@pytest.mark.parametrize(
    ("permissions", "missing"),
    [
        (["components:read", "components:write"], "components:admin"),
        (["components:admin"], "components:read"),
        (["components:read", "components:admin"], None),
        (["*:read", "*:admin"], None),
    ],
)
def test_actions_marked_admin_need_the_admin_permission(make_token, permissions, missing):
    router = SimpleRouter()
    router.register("components", ComponentViewSetWithAdminAction, basename="component")
    view = next(p.callback for p in router.urls if p.name == "component-recount")
    token = make_token({"permissions": permissions})
    request = APIRequestFactory().post(
        f"{COMPONENTS_URL}recount/", HTTP_AUTHORIZATION=f"Bearer {token}"
    )

    response = view(request)

    assert response.status_code == (403 if missing else 200)
    if missing:
        assert f"'{missing}'" in str(response.data["detail"])


def every_tool_url() -> list[str]:
    """Every route of every installed tool. Authentication comes before the
    record is looked up, so any id will do for detail routes (and for what
    they name of the record: an attachment)."""
    urls = []
    for tool in installed_tools():
        for pattern in tool_routes(tool):
            name = f"{tool.slug}:{pattern.name}"
            try:
                urls.append(reverse(name))
            except NoReverseMatch:
                ids = [group for group in pattern.pattern.regex.groupindex if group != "format"]
                urls.append(reverse(name, kwargs=dict.fromkeys(ids, 1)))
    return urls


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_no_tool_endpoint_answers_without_authentication(client, method):
    urls = every_tool_url()
    assert f"{COMPONENTS_URL}1/restore/" in urls
    assert f"{COMPONENTS_URL}1/attachments/1/" in urls

    for url in urls:
        response = getattr(client, method)(url, content_type="application/json")
        assert response.status_code == 401, (method, url, response.status_code)
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
