"""The OpenAPI schema describes every endpoint, validly."""

import re
from collections import Counter

import pytest
from django.core.management import call_command

from apps.core.testing.history import HISTORY_FIELDS
from apps.core.tools import entity_models


def test_the_schema_validates_without_warnings(tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )


def test_operation_ids_are_unique():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    ids = Counter(op["operationId"] for path in schema["paths"].values() for op in path.values())
    assert [name for name, count in ids.items() if count > 1] == []


DESCRIPTION_PATHS = ["/api/schema/", "/api/docs/", "/api/redoc/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", DESCRIPTION_PATHS)
def test_the_schema_and_its_browsers_are_served_to_the_admins_staff(admin_client, path):
    assert admin_client.get(path).status_code == 200


@pytest.mark.django_db
def test_swagger_ui_starts_from_a_script_of_its_own(admin_client):
    page = admin_client.get("/api/docs/").content.decode()
    script = admin_client.get("/api/docs/", {"script": ""})
    assert '<script src="/api/docs/?script="></script>' in page
    assert "<script>" not in page
    assert script["Content-Type"] == "application/javascript"
    assert "/api/schema/" in script.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_schema_browsers_fetch_only_the_suites_own_files(admin_client, settings, path):
    # Static files served as runserver serves them: where collectstatic finds them.
    settings.DEBUG = True
    page = admin_client.get(path).content.decode()
    assets = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert assets
    assert re.findall(r"\w+://", page) == []  # no other host: no CDN, no Google Fonts
    for asset in assets:
        assert asset.startswith("/"), asset
        assert admin_client.get(asset).status_code == 200, asset


@pytest.mark.django_db
def test_swagger_ui_asks_no_validator_elsewhere(admin_client):
    script = admin_client.get("/api/docs/", {"script": ""}).content.decode()
    assert '"validatorUrl": null' in script


@pytest.mark.django_db
def test_the_schema_is_served_to_a_caller_the_api_lets_in(api):
    assert api.get("/api/schema/", {"format": "json"}).json()["openapi"].startswith("3.")


@pytest.mark.django_db
def test_anonymous_callers_get_no_schema(client):
    response = client.get("/api/schema/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_an_anonymous_browser_is_sent_to_the_admins_sign_in_and_back(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={path}"


@pytest.mark.django_db
@pytest.mark.parametrize("path", DESCRIPTION_PATHS)
def test_signed_in_non_staff_get_nothing(client, user, path):
    client.force_login(user)
    assert client.get(path).status_code in {302, 401}


@pytest.mark.django_db
@pytest.mark.parametrize("path", DESCRIPTION_PATHS)
def test_api_docs_public_serves_them_to_anyone(client, settings, path):
    settings.API_DOCS_PUBLIC = True
    assert client.get(path).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
@pytest.mark.parametrize("method", ["options", "post", "delete"])
def test_the_schema_browsers_refuse_other_methods_with_a_405(admin_client, path, method):
    admin_client.raise_request_exception = False
    assert getattr(admin_client, method)(path).status_code == 405


@pytest.fixture(scope="module")
def schema():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def entity_operations(schema, models=None):
    """`(path, METHOD, operation)` of every operation of the entity models."""
    from apps.core.api.registry import entity_path
    from apps.core.tools import tool_for_model

    for model in models or entity_models():
        base = f"/api/v1/{tool_for_model(model).slug}/{entity_path(model)}/"
        for path, operations in schema["paths"].items():
            if path.startswith(base):
                for method, operation in operations.items():
                    yield path, method.upper(), operation


def test_the_error_component_is_the_one_error_shape(schema):
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"detail", "code", "errors"}
    assert error["properties"]["errors"]["type"] == "object"


def test_every_entity_operation_declares_its_error_responses(schema):
    error = {"$ref": "#/components/schemas/Error"}
    missing = []
    for path, method, operation in entity_operations(schema):
        expected = {"400", "401", "403", "429", "503"}
        if "{id}" in path:
            expected.add("404")
        if method != "GET":
            expected |= {"409", "413"}
        if method != "GET" and "{id}" in path:
            expected |= {"412", "428"}
        for code in expected:
            shape = error
            if code == "400" and path.endswith(("/bulk/", "/bulk/archive/", "/bulk/tags/")):
                shape = {"$ref": "#/components/schemas/BulkWriteError"}  # items, or the request
            if code == "409" and path.endswith("/linear-issue/"):
                shape = {"$ref": "#/components/schemas/AlreadyLinkedError"}  # with the link
            response = operation["responses"].get(code)
            if response is None or response["content"]["application/json"]["schema"] != shape:
                missing.append((method, path, code))
    assert missing == []


# Not rate-limited: a webhook's sender is authenticated by its signature, and
# a limit would drop the deliveries it sends in a burst (docs/integrations.md).
UNTHROTTLED = {("post", "/api/v1/webhooks/{source}/")}


def test_every_operation_says_when_to_retry_a_429_and_a_503(schema):
    missing = [
        (method, path, code)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        for code in ("429", "503")
        if not (code == "429" and (method, path) in UNTHROTTLED)
        and "Retry-After" not in operation["responses"].get(code, {}).get("headers", {})
    ]
    assert missing == []


def test_a_bulk_write_error_is_its_items_or_the_one_error_shape(schema):
    """A bulk write refuses items by position (`errors` a list) or the request
    itself (`errors` by field or parameter); each item's errors are by field,
    as in the one error shape."""
    schemas = schema["components"]["schemas"]
    assert schemas["BulkWriteError"] == {
        "oneOf": [
            {"$ref": "#/components/schemas/BulkError"},
            {"$ref": "#/components/schemas/Error"},
        ]
    }
    item_errors = schemas["BulkItemError"]["properties"]["errors"]
    field_errors = schemas["Error"]["properties"]["errors"]
    assert item_errors | {"description": ""} == field_errors | {"description": ""}


def test_record_responses_declare_the_etag_and_writes_take_if_match(schema):
    from apps.core.api.registry import serializer_for

    for model in entity_models():
        record = f"#/components/schemas/{serializer_for(model).__name__[: -len('Serializer')]}"
        for path, method, operation in entity_operations(schema, [model]):
            headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
            if "{id}" in path and method != "GET":
                assert "If-Match" in headers, (method, path)
                assert "ETag" in operation["responses"]["412"]["headers"]
            for code in ("200", "201"):
                response = operation["responses"].get(code, {})
                if response.get("content", {}).get("application/json", {}).get("schema") == {
                    "$ref": record
                }:
                    assert "ETag" in response["headers"], (method, path)
                    assert method != "GET" or "304" in operation["responses"]


def test_transition_history_and_revert_are_documented_for_every_entity(schema):
    for model in entity_models():
        operations = entity_operations(schema, [model])
        paths = {(path.split("/")[-2], method) for path, method, _ in operations}
        assert {("transition", "POST"), ("history", "GET"), ("revert", "POST")} <= paths, model
    transition = schema["components"]["schemas"]["TransitionRequest"]
    assert transition["required"] == ["to"]
    assert schema["components"]["schemas"]["RevertRequest"]["required"] == ["audit_id"]
    history = schema["components"]["schemas"]["HistoryEntry"]["properties"]
    assert set(history) == HISTORY_FIELDS


@pytest.mark.django_db
def test_the_served_schema_is_generated_once_per_format(admin_client, monkeypatch):
    client = admin_client
    from drf_spectacular.generators import SchemaGenerator

    from apps.core.api.schema_view import SchemaView

    generate = SchemaGenerator.get_schema
    calls = []

    def counting(self, *args, **kwargs):
        calls.append(1)
        return generate(self, *args, **kwargs)

    monkeypatch.setattr(SchemaView, "_rendered", {})
    monkeypatch.setattr(SchemaGenerator, "get_schema", counting)
    first, again = client.get("/api/schema/"), client.get("/api/schema/")
    assert first.content == again.content
    assert first["Content-Type"] == "application/vnd.oai.openapi"
    assert len(calls) == 1
    as_json = client.get("/api/schema/", {"format": "json"})
    assert as_json.json()["openapi"].startswith("3.")
    assert len(calls) == 2


@pytest.mark.django_db
def test_a_format_the_schema_has_not_is_a_json_400_naming_the_parameter(admin_client):
    response = admin_client.get("/api/schema/", {"format": "xml"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()["errors"]) == ["format"]
