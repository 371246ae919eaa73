"""The suite-wide activity feed: GET /api/v1/activity/."""

import datetime
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from apps.components.models import Component
from apps.core.api import activity
from apps.core.context import acting_as
from apps.core.models import AuditEntry, Tag, User
from apps.core.testing.api import client_for
from apps.core.testing.paging import planner_settings
from apps.core.testing.samples import create_sample
from apps.testing import models as testing

FEED = "/api/v1/activity/"
COMPONENTS = "/api/v1/components/components/"

pytestmark = pytest.mark.django_db


def create(api, name="Part", request_id=None):
    body = {"name": name, "part_number": f"P-{uuid.uuid4().hex[:10]}"}
    headers = {"HTTP_X_REQUEST_ID": request_id} if request_id else {}
    response = api.post(COMPONENTS, body, format="json", **headers)
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


@pytest.fixture
def inventory(monkeypatch):
    """A second tool, `inventory`, with one entity type."""
    return installed(monkeypatch, "inventory", "item")


def add_entry(content_type, **fields) -> AuditEntry:
    return AuditEntry.objects.create(
        content_type=content_type,
        object_id=fields.pop("object_id", 1),
        action=fields.pop("action", "UPDATE"),
        timestamp=fields.pop("timestamp", timezone.now()),
        **fields,
    )


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
    request_id = str(uuid.uuid4())
    created = create(api, name="Relay", request_id=request_id).json()
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
        "actor": {"id": user.pk, "name": "Alice Tester"},
        "actor_label": "Alice Tester",
        "request_id": update["request_id"],
        "changes": {"name": {"old": "Relay", "new": "Relay 5V"}},
        "comment": "",
        "url": f"http://testserver{COMPONENTS}{created['id']}/",
    }


def test_the_url_is_null_once_the_record_is_gone(api, user):
    created = create(api).json()
    with acting_as(user):
        Component.objects.get(pk=created["id"]).delete()
    entries = api.get(FEED).json()["results"]
    assert [e["action"] for e in entries] == ["DELETE", "CREATE"]
    assert [e["url"] for e in entries] == [None, None]


def test_which_records_still_exist_is_read_in_one_statement_for_every_type(api, user):
    # A page of a suite of many tools holds entries of many entity types,
    # each type's records in a table of their own.
    with acting_as(user):
        kept = [create_sample(Component, 1), create_sample(testing.TestRun, 2)]
        deleted = [create_sample(Component, 3), create_sample(testing.TestRun, 4)]
    gone = [(f"{r._meta.app_label}.{r._meta.model_name}", r.pk) for r in deleted]
    with acting_as(user):
        for record in deleted:
            record.delete()
    with CaptureQueriesContext(connection) as captured:
        entries = api.get(FEED).json()["results"]
    urls = {(e["entity"], e["object_id"], e["action"]): e["url"] for e in entries}
    for record in kept:
        entity = f"{record._meta.app_label}.{record._meta.model_name}"
        assert urls[(entity, record.pk, "CREATE")].endswith(f"/{record.pk}/")
    for entity, pk in gone:
        assert urls[(entity, pk, "CREATE")] is None
        assert urls[(entity, pk, "DELETE")] is None
    lookups = [
        q["sql"]
        for q in captured.captured_queries
        if "components_component" in q["sql"] or "testing_testrun" in q["sql"]
    ]
    assert len(lookups) == 1, lookups
    assert " UNION ALL " in lookups[0]


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
    request_id = str(uuid.uuid4())
    create(api, request_id=request_id)
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


def test_the_feed_never_counts_and_its_queries_do_not_grow_with_the_page(api, inventory):
    def queries(limit):
        with CaptureQueriesContext(connection) as captured:
            assert api.get(FEED, {"limit": limit}).status_code == 200
        return [q["sql"] for q in captured.captured_queries]

    for n in range(30):
        create(api, name=f"Part {n}")
        add_entry(inventory, object_id=n)
    queries(1)  # content types cached, as in any running server
    few, many = queries(2), queries(60)
    assert len(many) == len(few)
    assert not [sql for sql in many if "COUNT(" in sql.upper()]


# --- Read type by type ----------------------------------------------------------------------


def feed_statements(client, params) -> list[str]:
    """The statements a feed request reads the audit trail with."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(FEED, params).status_code == 200
    return [q["sql"] for q in captured.captured_queries if "core_auditentry" in q["sql"]]


@pytest.fixture
def three_types(inventory):
    """Entries of three entity types, interleaved in time, some sharing a
    timestamp across types; the inventory's the oldest."""
    moment = timezone.now()
    types = [
        ContentType.objects.get_for_model(Component),
        ContentType.objects.get(app_label="testing", model="testrun"),
        inventory,
    ]
    entries = [add_entry(inventory, timestamp=moment - datetime.timedelta(days=30))]
    for n in range(12):
        at = moment + datetime.timedelta(seconds=n // 2)
        entries.append(add_entry(types[n % 3], object_id=n, timestamp=at))
    return newest_first(entries)


@pytest.fixture
def ledger(three_types, monkeypatch):
    """A fourth tool, `ledger`, busier than the others: its entries are the
    newest, and two share a timestamp with theirs."""
    content_type = installed(monkeypatch, "ledger", "account")
    moment = three_types[0].timestamp
    return newest_first(
        add_entry(content_type, object_id=n, timestamp=moment + datetime.timedelta(seconds=n))
        for n in range(-1, 8)
    )


def newest_first(entries) -> list[AuditEntry]:
    return sorted(entries, key=lambda e: (e.timestamp, e.pk), reverse=True)


# Three of the four tools: whoever may read these but not the ledger has
# the feed read by type.
SOME_TOOLS = ("components:read", "testing:read", "inventory:read")


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


@pytest.mark.parametrize("every_tool", [False, True], ids=["by type", "in one statement"])
def test_read_by_type_or_not_the_feed_pages_the_same(user, three_types, ledger, every_tool):
    client = client_for(user, "*:read") if every_tool else client_for(user, *SOME_TOOLS)
    shown = newest_first(three_types + ledger) if every_tool else three_types
    expected = [e.pk for e in shown]
    assert walk(client, {"limit": 2}) == expected
    assert walk_back(client, {"limit": 3}) == expected
    since = three_types[-2].timestamp.isoformat()
    assert walk(client, {"limit": 2, "since": since}) == expected[:-1]
    until = three_types[3].timestamp.isoformat()
    later = [e.pk for e in shown if e.timestamp < three_types[3].timestamp]
    assert walk(client, {"limit": 4, "until": until}) == later


@pytest.mark.postgres
def test_a_caller_of_some_tools_has_each_type_read_from_the_index_on_type_and_time(
    user, three_types, ledger
):
    # One walk of the trail in time order would pass every newer entry of
    # every other tool before the inventory's, however old they are.
    client = client_for(user, *SOME_TOOLS)
    (page,) = [sql for sql in feed_statements(client, {"limit": 5}) if " LATERAL " in sql]
    with (
        planner_settings(enable_seqscan="off", enable_bitmapscan="off", enable_sort="off"),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) {page}")
        plan = [row[0].strip().removeprefix("->").strip() for row in cursor.fetchall()]
    # The page's keys: each of the three types read once, in order, from the
    # index on type and time, as the join over the caller's types comes to it.
    (read,) = [node for node in plan if "using core_audit_type_time_idx" in node]
    assert "loops=3" in read, plan
    assert "Function Scan on unnest" in "\n".join(plan), plan
    assert ids(client.get(FEED, {"limit": 5})) == [e.pk for e in three_types[:5]]


@pytest.mark.postgres
@pytest.mark.parametrize(
    "params",
    [
        {"actor": 1},
        {"request_id": "6c1e2a3b-0b7d-4d7e-9a51-3f0c4a1f2b9e"},
        {"entity": "inventory.item"},
        {"action": "UPDATE"},
    ],
)
def test_a_feed_filtered_but_by_time_or_tool_is_read_in_one_statement(
    user, three_types, ledger, params
):
    # An actor and a request id have indexes of their own; an entity type is
    # one type, read from the index on type and time.
    statements = feed_statements(client_for(user, *SOME_TOOLS), params)
    assert not [sql for sql in statements if " LATERAL " in sql]


@pytest.mark.postgres
def test_a_feed_of_one_tool_has_its_types_read_by_type(user, ledger, monkeypatch):
    # A tool whose entries are all older than a busier tool's: one walk of
    # the trail in time order would pass the ledger's first.
    old = timezone.now() - datetime.timedelta(days=400)
    first = installed(monkeypatch, "archive", "box", "shelf")
    second = ContentType.objects.get(app_label="archive", model="shelf")
    archived = newest_first(
        add_entry((first, second)[n % 2], object_id=n, timestamp=old + datetime.timedelta(hours=n))
        for n in range(7)
    )
    client = client_for(user, "*:read")
    assert [sql for sql in feed_statements(client, {"tool": "archive"}) if " LATERAL " in sql]
    expected = [e.pk for e in archived]
    assert walk(client, {"tool": "archive", "limit": 2}) == expected
    assert walk_back(client, {"tool": "archive", "limit": 3}) == expected
    until = archived[1].timestamp.isoformat()
    assert walk(client, {"tool": "archive", "until": until, "limit": 2}) == expected[2:]
    # A reader of the ledger alone may not ask for the archive.
    refused = client_for(user, "ledger:read").get(FEED, {"tool": "archive"})
    assert refused.status_code == 403
    # `?tool=` with no value filters nothing.
    assert walk(client, {"tool": "", "limit": 5})[:2] == [e.pk for e in ledger[:2]]


def test_a_caller_of_every_tool_has_the_feed_read_in_one_statement(user, three_types, ledger):
    # The walk in time order skips only the entries of records outside every tool.
    client = client_for(user, "*:read")
    assert not [sql for sql in feed_statements(client, {}) if " LATERAL " in sql]
    assert ids(client.get(FEED, {"limit": 5})) == [e.pk for e in ledger[:5]]


# --- Schema and indexes ----------------------------------------------------------------------


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


@pytest.mark.postgres
@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"content_type": "component"},
        {"actor": "user"},
        {"timestamp__gte": "since", "timestamp__lt": "until"},
        {"actor": "user", "timestamp__gte": "since"},
        {"content_type": "component", "timestamp__lt": "until"},
    ],
)
def test_each_filter_reads_the_feed_in_order_from_an_index(user, filters):
    component = ContentType.objects.get_for_model(Component)
    now = timezone.now()
    values = {"component": component, "user": user, "since": now, "until": now}
    queryset = AuditEntry.objects.filter(
        content_type__in=[component, ContentType.objects.get_for_model(Tag)],
        **{name: values[value] for name, value in filters.items()},
    ).order_by("-timestamp", "-id")[:51]
    with planner_settings(enable_seqscan="off", enable_sort="off", enable_incremental_sort="off"):
        plan = queryset.explain()
    assert "Sort" not in plan, plan
    assert "Index Scan using core_audit_" in plan, plan


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
