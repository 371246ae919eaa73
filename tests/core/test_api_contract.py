"""Requests generated from the OpenAPI schema for every operation of the
platform (schemathesis, on Hypothesis): the API never answers 5xx, and every
answer is one the schema documents — its status code, content type, headers
and body. Derandomised: each run sends the same requests, so a failure
reproduces; a change of the schema (or of Hypothesis) changes what is sent.

A record's path names one of a few stored records of its entity, so the
writes reach validation, the workflow and the audit; an id that names no
record is the generic tool tests' concern (`RobustnessTests`)."""

import zlib

import pytest
import schemathesis
from django.contrib.contenttypes.models import ContentType
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from django.urls import reverse
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.views import APIView
from schemathesis import checks

from apps.core.auth.dev import DevModeAuthentication, get_dev_user
from apps.core.context import acting_as
from apps.core.models import SavedView
from apps.core.testing.linear import connected_fake_linear
from apps.core.testing.samples import create_sample
from apps.core.tools import entity_models, tool_for_model

# The platform's own operations and its two reference tools, which between
# them exercise every capability of the core. Every other tool gets its API
# from the same code and is held by the robustness tests it inherits, so the
# run costs the same however many tools are installed.
REFERENCE_TOOLS = ("components", "testing")
PLATFORM_PATHS = rf"^/api/v1/({'|'.join(REFERENCE_TOOLS)}|me|tools|activity|saved-views)/"
with override_settings(API_DOCS_PUBLIC=True):  # read before any user exists to sign in
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler()).include(
        path_regex=PLATFORM_PATHS
    )

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture(autouse=True)
def as_the_dev_user(db, settings, monkeypatch):
    """Every request is the dev user with every permission, as in DEV_MODE
    (a view's authentication is read when its class is made), and the
    database connection stays open between requests, as Django's test
    client keeps it."""
    settings.DEBUG = settings.DEV_MODE = True
    monkeypatch.setattr(APIView, "authentication_classes", [DevModeAuthentication])
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield
    for signal in signals:
        signal.connect(close_old_connections)


@pytest.fixture(autouse=True)
def linear(settings):
    """Records are linked to issues of a fake Linear: a deployment without
    Linear answers 503 to a link, by design."""
    with connected_fake_linear(settings) as fake:
        yield fake


@pytest.fixture
def stored_ids(as_the_dev_user) -> dict[str, list[str]]:
    """A few records of every entity of the reference tools, by the path of
    its list, and a few of the dev user's saved views of them."""
    ids = {}
    with acting_as(get_dev_user()):
        for model in entity_models():
            slug = tool_for_model(model).slug
            if slug in REFERENCE_TOOLS:
                path = reverse(f"{slug}:{model._meta.model_name}-list")
                ids[path] = [str(create_sample(model, n).pk) for n in range(3)]
    entity_type = ContentType.objects.get_for_model(entity_models()[0])
    ids[reverse("saved-view-list")] = [
        str(SavedView.objects.create(owner=get_dev_user(), content_type=entity_type, name=n).pk)
        for n in ("Drafts", "Mine", "Shared")
    ]
    return ids


@schema.parametrize()
@hypothesis_settings(
    max_examples=25,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented(case, stored_ids):
    if "id" in (case.path_parameters or {}):
        collection = case.path.split("{id}")[0]
        choices = stored_ids[collection]
        generated = str(case.path_parameters["id"]).encode()
        case.path_parameters["id"] = choices[zlib.crc32(generated) % len(choices)]
    checked = CHECKS
    if "fields" in (case.query or {}):  # the answer leaves out fields the schema requires
        checked = [check for check in CHECKS if check is not checks.response_schema_conformance]
    case.call_and_validate(checks=checked)
