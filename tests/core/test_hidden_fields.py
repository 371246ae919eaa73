"""A field a tool's serializer leaves out (docs/writing-a-tool.md, "Overriding
the API") is not shown anywhere: not filtered or sorted by, not in the
manifest or an export, and its values are neither kept in the audit trail
nor shown by a record's history or the activity feed, which say only that
it changed. Here the components tool hides `supplier`, as a tool would an
`api_key`."""

import json

import pytest

from apps.components.models import Component
from apps.core.api import registry
from apps.core.api.manifest import forget_manifests
from apps.core.api.serializers import BASE_FIELDS, EntitySerializer, tool_field_names
from apps.core.context import acting_as
from apps.core.models import AuditEntry

URL = "/api/v1/components/components/"
SECRET = "sk-live-SECRET"
HIDDEN = {"old": None, "new": None, "hidden": True}
pytestmark = pytest.mark.django_db


class ComponentWithoutSupplierSerializer(EntitySerializer):
    class Meta(EntitySerializer.Meta):
        model = Component
        fields = (*BASE_FIELDS, *(n for n in tool_field_names(Component) if n != "supplier"))


def forget_the_api():
    for made_once in (registry.serializer_for, registry.filterset_for, registry.shown_fields):
        made_once.cache_clear()
    forget_manifests()


@pytest.fixture(autouse=True)
def supplier_hidden(monkeypatch):
    """The components tool's `api.py` holds the serializer above."""
    found = registry._tool_api_classes
    own = {"apps.components": (ComponentWithoutSupplierSerializer,)}
    monkeypatch.setattr(registry, "_tool_api_classes", lambda app: own.get(app) or found(app))
    forget_the_api()
    yield
    monkeypatch.undo()
    forget_the_api()


@pytest.fixture
def record(api, user):
    """A component whose supplier trusted code set, then changed with its
    name: three entries (each block is a unit of change, as a request is)."""
    created = api.post(URL, {"name": "Gateway", "part_number": "GW-1"}, format="json")
    record = Component.objects.get(pk=created.json()["id"])
    with acting_as(user):
        record.supplier = "sk-live-OLD"
        record.save()
    with acting_as(user):
        record.name, record.supplier = "Gateway 2", SECRET
        record.save()
    return record


def test_the_record_and_its_manifest_leave_the_field_out(api, record):
    assert "supplier" not in api.get(f"{URL}{record.pk}/").json()
    [tool] = [t for t in api.get("/api/v1/tools/").json()["tools"] if t["slug"] == "components"]
    [entity] = tool["entities"]
    assert "supplier" not in [field["name"] for field in entity["fields"]]
    assert [f for f in entity["filters"] if f.startswith("supplier")] == []
    assert "part_number" in entity["filters"]


@pytest.mark.parametrize(
    ("name", "value"),
    [("supplier", SECRET), ("supplier__icontains", "sk-live"), ("supplier__in", SECRET)],
)
def test_it_is_no_filter(api, record, name, value):
    for url in (URL, f"{URL}export.csv"):
        response = api.get(url, {name: value})
        assert response.status_code == 400, url
        assert response.json()["errors"] == {name: ["Unknown query parameter."]}


def test_it_is_no_sort(api, record):
    response = api.get(URL, {"ordering": "supplier"})
    assert response.status_code == 400
    assert "supplier" in str(response.json()["errors"]["ordering"])


def test_its_values_are_neither_kept_nor_shown_only_that_it_changed(api, record):
    kept = json.dumps(list(AuditEntry.objects.values_list("changes", flat=True)))
    assert "sk-live" not in kept
    history = api.get(f"{URL}{record.pk}/history/")
    assert history.status_code == 200
    changes = [entry["changes"] for entry in history.json()["results"]]
    assert changes[0] == {"name": {"old": "Gateway", "new": "Gateway 2"}, "supplier": HIDDEN}
    assert changes[1] == {"supplier": HIDDEN}
    feed = api.get("/api/v1/activity/", {"tool": "components"})
    assert feed.status_code == 200
    assert [entry["changes"] for entry in feed.json()["results"]][:2] == changes[:2]
    assert "sk-live" not in history.content.decode() + feed.content.decode()


def test_an_entry_written_before_it_was_hidden_does_not_show_its_values(api, record):
    entry = AuditEntry.objects.filter(object_id=record.pk).order_by("-id").first()
    AuditEntry.objects.filter(pk=entry.pk).update(
        changes={"supplier": {"old": "sk-live-OLD", "new": SECRET}}
    )
    history = api.get(f"{URL}{record.pk}/history/").json()["results"]
    assert history[0]["changes"] == {"supplier": HIDDEN}
    feed = api.get("/api/v1/activity/", {"tool": "components"}).json()["results"]
    assert feed[0]["changes"] == {"supplier": HIDDEN}


def test_a_revert_leaves_it_as_it_is(api, record):
    entry = AuditEntry.objects.filter(object_id=record.pk).order_by("-id").first()
    response = api.post(f"{URL}{record.pk}/revert/", {"audit_id": entry.pk}, format="json")
    assert response.status_code == 200, response.json()
    record.refresh_from_db()
    assert (record.name, record.supplier) == ("Gateway", SECRET)
    only_it = AuditEntry.objects.filter(object_id=record.pk).order_by("-id")[2]
    assert only_it.changes == {"supplier": HIDDEN}
    response = api.post(f"{URL}{record.pk}/revert/", {"audit_id": only_it.pk}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "not_revertible"
    record.refresh_from_db()
    assert record.supplier == SECRET
