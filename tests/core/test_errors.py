"""Every /api/ path answers JSON in the one error shape, whatever goes wrong."""

import sqlite3

import psycopg
import pytest
from django.db import IntegrityError, connection
from django.middleware.csrf import CsrfViewMiddleware
from django.test import Client
from django.urls import resolve
from rest_framework.test import APIRequestFactory, force_authenticate

from apps.components.models import Component
from apps.core import services
from apps.core.api import bulk_validation, registry
from apps.core.api.browsable import BrowsableAPIRenderer
from apps.core.api.exceptions import GONE, TAKEN, clashing_fields, integrity_clash
from apps.core.api.json import JSONRenderer
from apps.core.api.viewsets import EntityViewSet
from apps.core.context import acting_as
from apps.core.models import Tag
from apps.core.permissions import Grants
from apps.core.testing.samples import create_sample

LIST = "/api/v1/components/components/"
RUNS = "/api/v1/testing/test-runs/"


@pytest.mark.django_db
def test_an_unknown_api_path_is_a_json_404(api):
    response = api.get("/api/v1/no-such-tool/things/")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "No API endpoint at /api/v1/no-such-tool/things/.",
        "code": "not_found",
        "errors": {},
    }


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/api/v1/no-such-tool/things/", f"{LIST}no id at all/"])
def test_a_write_to_an_unknown_api_path_is_a_json_404_not_a_csrf_page(method, path):
    browser = Client(enforce_csrf_checks=True)  # as a real client: no CSRF cookie, no token
    response = getattr(browser, method)(path, {}, content_type="application/json")
    assert response.status_code == 404
    assert response.json() == {
        "detail": f"No API endpoint at {path}.",
        "code": "not_found",
        "errors": {},
    }


def test_the_unknown_api_path_view_is_exempt_from_csrf_itself(rf):
    # Not only because CSRF's middleware skips /api/: were it to run, a write
    # to no endpoint would still be the JSON 404, not a CSRF 403 page.
    path = "/api/v1/no-such-tool/things/"
    view = resolve(path).func
    request = rf.post(path, {}, content_type="application/json")
    assert CsrfViewMiddleware(lambda r: None).process_view(request, view, (), {}) is None


@pytest.mark.django_db
def test_a_wrong_method_is_a_json_405(api):
    response = api.put(LIST, {}, format="json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("TRACE", ""),
        ("DELETE", ""),
        ("TRACE", "{pk}/"),
        ("POST", "{pk}/"),
        ("DELETE", "{pk}/restore/"),
        ("PUT", "{pk}/history/"),
    ],
)
def test_a_wrong_method_is_a_405_whatever_its_query_and_if_match(api, user, method, path):
    """Nothing the path would check for its own methods comes first."""
    with acting_as(user):
        record = create_sample(Component, 1)
    url = f"{LIST}{path.format(pk=record.pk)}?limit=0&bogus=1"
    response = api.generic(method, url, HTTP_IF_MATCH='"stale"')
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


@pytest.mark.django_db
def test_options_describes_a_path_whatever_its_query(api):
    for path in (LIST, f"{LIST}1/history/"):
        response = api.options(f"{path}?limit=5&status=ACTIVE&bogus=1")
        assert response.status_code == 200, path


@pytest.mark.django_db
def test_an_unhandled_error_is_a_json_500(api, monkeypatch):
    def explode(self, request, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(EntityViewSet, "list", explode)
    api.raise_request_exception = False
    response = api.get(LIST)
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    assert "boom" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", [LIST, f"{LIST}1/", "/api/v1/users/", "/api/v1/me/"])
def test_a_format_the_api_does_not_write_is_a_400_naming_the_parameter(api, url):
    """Not DRF's 404 "Not found.", which says the route does not exist."""
    response = api.get(url, {"format": "xml"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"] == {"format": ["Unknown format: give one of json."]}
    assert api.get(LIST, {"format": "json"}).status_code == 200


@pytest.mark.django_db
def test_a_malformed_json_body_is_a_400(api):
    response = api.post(LIST, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.django_db
def test_validation_errors_name_each_field(api):
    response = api.post(LIST, {"name": ""}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["errors"]) == {"name", "part_number"}
    assert body["detail"] == "Invalid input: name, part_number."


@pytest.mark.django_db
def test_a_list_body_where_an_object_is_expected_is_a_400(api):
    response = api.post(LIST, [1, 2], format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "non_field_errors": ["Invalid data. Expected a dictionary, but got list."]
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value",
    ["\x00", "²", "not an id", "CMP-", "-1", "1.5", "0", "99999999999999999999999", "9" * 5000],
    ids=lambda value: value[:24],
)
def test_a_link_that_is_no_id_at_all_is_a_400_naming_the_field(api, value):
    response = api.post(RUNS, {"name": "Run", "component": value}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"component": [f"No component with id {value!r}."]}


@pytest.mark.django_db
@pytest.mark.parametrize("spelling", ["{public_id}", " {public_id_lower} ", "{pk}", " {pk} "])
def test_a_link_is_found_by_id_or_public_id_in_any_case(api, spelling):
    part = Component.objects.create(name="Sensor", part_number="P-1")
    value = spelling.format(
        public_id=part.public_id, public_id_lower=part.public_id.lower(), pk=part.pk
    )
    response = api.post(RUNS, {"name": "Run", "component": value}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["component"]["public_id"] == part.public_id


@pytest.mark.django_db
def test_an_error_of_a_list_item_names_its_index(api):
    response = api.post(
        LIST, {"name": "x", "part_number": "P-1", "tags": ["ok", ["x"]]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"tags": {"1": ["Not a valid string."]}}


@pytest.mark.django_db
def test_a_body_larger_than_the_server_accepts_is_a_413(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"name": "x", "part_number": "P-1", "description": "a" * 1000}
    for method, url in (("post", LIST), ("post", LIST + "bulk/")):
        response = getattr(api, method)(url, [body] if "bulk" in url else body, format="json")
        assert response.status_code == 413, url
        assert response.json() == {
            "detail": "The request body is larger than the 1,000 bytes this server accepts.",
            "code": "request_too_large",
            "errors": {},
        }


@pytest.mark.django_db
def test_a_tag_the_database_lowers_otherwise_than_python_is_no_server_error(api):
    """`İ` lowers to `i̇` in Python, to `i` in PostgreSQL's locale, to itself in SQLite."""
    created = api.post(LIST, {"name": "x", "part_number": "P-1", "tags": ["İzmir"]}, format="json")
    assert created.status_code == 201, created.json()
    url = f"{LIST}{created.json()['id']}/"
    response = api.patch(url, {"tags": ["İzmir", "Éclair"]}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["tags"] == ["İzmir", "Éclair"]  # sorted as Python lowers them


@pytest.mark.django_db
def test_names_of_one_tag_in_another_case_are_that_tag_once(api):
    created = api.post(
        LIST, {"name": "x", "part_number": "P-1", "tags": ["Q", "q", " Q "]}, format="json"
    )
    assert created.status_code == 201, created.json()
    assert created.json()["tags"] == ["Q"]
    url = f"{LIST}{created.json()['id']}/"
    response = api.patch(url, {"tags": ["K", "k", "Ǆ", "ǆ", "q"]}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["tags"] == ["K", "Q", "Ǆ"]  # each as stored, as Python lowers them
    bulk = api.post(
        LIST + "bulk/", [{"name": "y", "part_number": "P-2", "tags": ["Q", "q"]}], format="json"
    )
    assert bulk.status_code == 201, bulk.json()
    assert bulk.json()[0]["tags"] == ["Q"]
    assert Tag.objects.count() == 3


@pytest.mark.django_db
def test_names_the_database_lowers_to_one_tag_link_it_once(api):
    """Python lowers `İ` to `i̇`, PostgreSQL's locale to `i`: for PostgreSQL
    `İx` and `ix` are one tag, which Python keys apart."""
    response = api.post(
        LIST, {"name": "x", "part_number": "P-1", "tags": ["İx", "ix"]}, format="json"
    )
    assert response.status_code == 201, response.json()
    stored = {tag.pk for tag in Tag.objects.all()}
    assert len(response.json()["tags"]) == len(stored)


@pytest.mark.django_db
def test_a_unique_value_taken_after_validation_is_a_400_naming_the_field(api, monkeypatch):
    """Another writer takes the value between this request's validation and
    its write: the database refuses it, and the answer is the validators'."""
    assert api.post(LIST, {"name": "a", "part_number": "P-1"}, format="json").status_code == 201
    monkeypatch.setattr(bulk_validation, "unique_errors", lambda *args: {})  # the bulk check
    for url, body in (
        (LIST, {"name": "b", "part_number": "P-1"}),
        (LIST + "bulk/", [{"name": "b", "part_number": "P-1"}]),
    ):
        response = api.post(url, body, format="json")
        assert response.status_code == 400, url
        assert response.json() == {
            "detail": "Invalid input: part_number.",
            "code": "invalid",
            "errors": {"part_number": ["Component with this part number already exists."]},
        }
    assert Component.objects.count() == 1


@pytest.mark.django_db
def test_a_clash_the_database_cannot_name_by_field_is_a_409(api, monkeypatch):
    def clash(*args, **kwargs):
        message = "duplicate key value violates unique constraint on an expression"
        raise IntegrityError(message) from psycopg.errors.UniqueViolation(message)

    monkeypatch.setattr(services, "create_entity", clash)
    response = api.post(LIST, {"name": "b", "part_number": "P-2"}, format="json")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "The change conflicts with an existing record.",
        "code": "conflict",
        "errors": {},
    }


@pytest.mark.parametrize(
    ("cause", "clash"),
    [
        (psycopg.errors.UniqueViolation("duplicate key value"), TAKEN),
        (psycopg.errors.ExclusionViolation("conflicting key value"), TAKEN),
        (psycopg.errors.ForeignKeyViolation("violates foreign key constraint"), GONE),
        (psycopg.errors.NotNullViolation('null value in column "x"'), None),
        (psycopg.errors.CheckViolation("violates check constraint"), None),
        (sqlite3.IntegrityError("UNIQUE constraint failed: core_tag.name"), TAKEN),
        (sqlite3.IntegrityError("FOREIGN KEY constraint failed"), GONE),
        (sqlite3.IntegrityError("NOT NULL constraint failed: core_tag.name"), None),
        (sqlite3.IntegrityError("CHECK constraint failed: positive"), None),
    ],
)
def test_only_a_clash_with_other_writers_is_a_conflict(cause, clash):
    """A key taken or a record deleted meanwhile is the client's to resolve;
    a NOT NULL or CHECK the code did not satisfy is the server's fault."""
    error = IntegrityError(str(cause))
    error.__cause__ = cause
    assert integrity_clash(error) == clash


@pytest.mark.django_db
@pytest.mark.postgres
def test_a_column_the_code_does_not_fill_is_a_500_logged_with_the_database_message(api, caplog):
    """A release's migration added a NOT NULL column the running code does not
    know: a server fault, not a 409; the client never sees the database's words."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE components_component ADD COLUMN released_on date NOT NULL")
    response = api.post(LIST, {"name": "b", "part_number": "P-2"}, format="json")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    assert "released_on" not in response.content.decode()
    [logged] = [r for r in caplog.records if r.levelname == "ERROR" and r.exc_info]
    assert 'null value in column "released_on"' in str(logged.exc_info[1])


def test_a_clash_of_several_columns_is_named_as_a_set():
    exc = IntegrityError(
        "UNIQUE constraint failed: components_component.supplier, components_component.category"
    )
    assert clashing_fields(exc) == {
        "non_field_errors": ["The fields supplier, category must make a unique set."]
    }
    assert clashing_fields(IntegrityError("UNIQUE constraint failed: index 'core_tag_name'")) == {}


def test_a_key_postgresql_names_for_another_violation_names_no_field():
    """A foreign key's detail names its key too ("Key (component_id)=(5) is
    not present in table …"): only a unique violation is a clash."""

    class Diagnostics:
        sqlstate = "23503"
        message_detail = 'Key (part_number)=(5) is not present in table "components_component".'
        table_name = "components_component"

    class ForeignKeyViolation(Exception):
        diag = Diagnostics()

    exc = IntegrityError("insert or update violates foreign key constraint")
    exc.__cause__ = ForeignKeyViolation()
    assert clashing_fields(exc) == {}
    Diagnostics.sqlstate = "23505"
    Diagnostics.message_detail = "Key (part_number)=(5) already exists."
    assert list(clashing_fields(exc)) == ["part_number"]


@pytest.mark.django_db
@pytest.mark.parametrize("fields", ["nope", ","])
def test_fields_naming_no_field_are_a_400_before_anything_is_written(api, fields):
    record = create_sample(Component, 1)
    for method, url, body in (
        ("delete", f"{LIST}{record.pk}/", None),
        ("post", f"{LIST}bulk/archive/", {"ids": [record.pk]}),
    ):
        response = getattr(api, method)(f"{url}?fields={fields}", body, format="json")
        assert response.status_code == 400, (method, url)
        assert list(response.json()["errors"]) == ["fields"]
    record.refresh_from_db()
    assert record.status != "ARCHIVED"


@pytest.mark.django_db
def test_the_browsable_api_draws_a_refused_request_without_its_forms(user):
    """DEBUG adds the browsable API; its forms come from the view's
    serializer, which refuses the same `?fields=` the view refused."""
    view = registry.viewset_for(Component).as_view(
        {"get": "list", "post": "create"},
        renderer_classes=[JSONRenderer, BrowsableAPIRenderer],
    )
    request = APIRequestFactory().get(f"{LIST}?fields=nope", HTTP_ACCEPT="text/html")
    force_authenticate(request, user, token=Grants.everything())
    response = view(request)
    response.render()
    assert response.status_code == 400
    assert b"Unknown field(s): nope." in response.content
