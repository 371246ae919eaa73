"""What the activity feed's tests share: the feed's address, entries
written through the API or directly, tools the feed takes as installed, and
walks along its cursor links."""

import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core.api import activity
from apps.core.models import AuditEntry

FEED = "/api/v1/activity/"
COMPONENTS = "/api/v1/components/components/"


def create(api, name="Part"):
    body = {"name": name, "part_number": f"P-{uuid.uuid4().hex[:10]}"}
    response = api.post(COMPONENTS, body, format="json")
    assert response.status_code == 201, response.json()
    return response


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [entry["id"] for entry in response.json()["results"]]


def walk(client, params) -> list[int]:
    """Every entry id met following `next` links from the first page."""
    body = client.get(FEED, params).json()
    seen = [entry["id"] for entry in body["results"]]
    while body["next"]:
        body = client.get(body["next"]).json()
        seen += [entry["id"] for entry in body["results"]]
    return seen


def installed(monkeypatch, slug: str, *models: str) -> ContentType:
    """A tool `slug` with an entity type per model, whose entries are written
    directly, installed as far as the feed can tell; its first type."""
    content_types = [ContentType.objects.create(app_label=slug, model=model) for model in models]
    real = activity.tool_content_types

    def with_it():
        return {**real(), slug: content_types}

    monkeypatch.setattr(activity, "tool_content_types", with_it)
    return content_types[0]


def add_entry(content_type, **fields) -> AuditEntry:
    return AuditEntry.objects.create(
        content_type=content_type,
        object_id=fields.pop("object_id", 1),
        action=fields.pop("action", "UPDATE"),
        timestamp=fields.pop("timestamp", timezone.now()),
        **fields,
    )


def newest_first(entries) -> list[AuditEntry]:
    return sorted(entries, key=lambda e: (e.timestamp, e.pk), reverse=True)


def walk_back(client, params) -> list[int]:
    """Every entry id met following `previous` links from the last page."""
    body = client.get(FEED, params).json()
    while body["next"]:
        body = client.get(body["next"]).json()
    seen = [entry["id"] for entry in body["results"]]
    while body["previous"]:
        body = client.get(body["previous"]).json()
        seen = [entry["id"] for entry in body["results"]] + seen
    return seen


def feed_statements(client, params) -> list[str]:
    """The statements a feed request reads the audit trail with."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(FEED, params).status_code == 200
    return [q["sql"] for q in captured.captured_queries if "core_auditentry" in q["sql"]]
