"""How the activity feed reads its page: in a number of statements that
does not grow with the page, from an index for each filter, and type by type
for a caller of some tools or a feed of one tool (`ActivityView.reads_by_type`)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from feed_entries import (
    FEED,
    add_entry,
    create,
    feed_statements,
    ids,
    installed,
    newest_first,
    walk,
    walk_back,
)

from apps.components.models import Component
from apps.core.api import activity
from apps.core.context import acting_as
from apps.core.models import AuditEntry, Tag, User
from apps.core.testing.api import client_for
from apps.core.testing.paging import planner_settings
from apps.core.testing.samples import create_sample
from apps.testing import models as testing

pytestmark = pytest.mark.django_db


# --- Statements -----------------------------------------------------------------------------


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


def test_the_installed_tools_types_are_found_once_a_request(api, inventory, monkeypatch):
    # About 6 µs a tool: the permission, the types read and the filters'
    # choices and lookups all use the view's.
    found = []
    real = activity.tool_content_types
    monkeypatch.setattr(activity, "tool_content_types", lambda: found.append(1) or real())
    for params in [{}, {"tool": "inventory"}, {"entity": "inventory.item", "action": "UPDATE"}]:
        found.clear()
        assert api.get(FEED, params).status_code == 200
        assert len(found) == 1, params


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


@pytest.mark.postgres
@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"content_type": "component"},
        {"content_type": "component", "actor": "user"},
        {"timestamp__gte": "since", "timestamp__lt": "until"},
        {"content_type": "component", "actor": "user", "timestamp__gte": "since"},
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


# --- Read type by type ----------------------------------------------------------------------


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


# Three of the four tools: whoever may read these but not the ledger has
# the feed read by type.
SOME_TOOLS = ("components:read", "testing:read", "inventory:read")


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


def readable_types() -> int:
    """How many entity types a reader of every tool reads: every installed
    tool's, whichever tools the suite has, and those `installed()` here."""
    return sum(len(types) for types in activity.tool_content_types().values())


def read_by_type_plan(client, params) -> list[str]:
    """The nodes of the plan PostgreSQL runs a feed's read by type with
    (`EXPLAIN ANALYZE`) on the trail's statistics, told to shun scans and
    sorts it could do without."""
    (page,) = [sql for sql in feed_statements(client, params) if " LATERAL " in sql]
    with (
        planner_settings(enable_seqscan="off", enable_bitmapscan="off", enable_sort="off"),
        connection.cursor() as cursor,
    ):
        cursor.execute("ANALYZE core_auditentry")
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) {page}")
        return [row[0].strip().removeprefix("->").strip() for row in cursor.fetchall()]


@pytest.mark.postgres
def test_a_caller_of_some_tools_has_each_type_read_from_the_index_on_type_and_time(
    user, three_types, ledger
):
    # One walk of the trail in time order would pass every newer entry of
    # every other tool before the inventory's, however old they are.
    client = client_for(user, *SOME_TOOLS)
    plan = read_by_type_plan(client, {"limit": 5})
    # The page's keys: each of the three types read once, in order, from the
    # index on type and time, as the join over the caller's types comes to it.
    (read,) = [node for node in plan if "using core_audit_type_time_idx" in node]
    assert "loops=3" in read, plan
    assert "Function Scan on readable" in "\n".join(plan), plan
    assert ids(client.get(FEED, {"limit": 5})) == [e.pk for e in three_types[:5]]


@pytest.fixture
def deletions(three_types, ledger):
    """A few deletes and archives, older than any other entry: rare, as
    deletes are, among the busier updates of every tool."""
    old = timezone.now() - datetime.timedelta(days=400)
    types = sorted({e.content_type for e in three_types + ledger}, key=lambda ct: ct.pk)
    return newest_first(
        add_entry(
            types[n % len(types)],
            object_id=100 + n,
            action=("DELETE", "ARCHIVE")[n % 2],
            timestamp=old + datetime.timedelta(hours=n // 3),
        )
        for n in range(9)
    )


@pytest.mark.postgres
def test_a_feed_of_some_actions_has_each_type_and_action_read_from_their_index(user, deletions):
    # In time order the walk to the first delete would pass every update.
    client = client_for(user, "*:read")
    params = {"action": ["DELETE", "ARCHIVE"], "limit": 4}
    plan = read_by_type_plan(client, params)
    # Each type the caller reads (the installed tools' and the ledger's) and
    # each of two actions: each pair read once from the index on type, action
    # and time.
    (read,) = [node for node in plan if "using core_audit_type_action_idx" in node]
    assert f"loops={2 * readable_types()}" in read, plan
    # Each pair's read is narrowed by its type and its action alone: no
    # list of the caller's types or of the actions asked for beside them.
    assert not [node for node in plan if node.startswith("Filter:")], plan
    expected = [e.pk for e in deletions]
    assert walk(client, params) == expected
    assert walk_back(client, {**params, "limit": 3}) == expected
    until = deletions[2].timestamp.isoformat()
    assert walk(client, {**params, "until": until}) == [
        e.pk for e in deletions if e.timestamp < deletions[2].timestamp
    ]
    # An action asked for twice is read once; a caller of some tools reads
    # their deletes alone.
    assert walk(client, {"action": ["DELETE", "DELETE"], "limit": 2}) == [
        e.pk for e in deletions if e.action == "DELETE"
    ]
    some = client_for(user, *SOME_TOOLS)
    ledger_type = ContentType.objects.get(app_label="ledger")
    assert walk(some, params) == [e.pk for e in deletions if e.content_type != ledger_type]


@pytest.mark.postgres
def test_a_feed_of_one_entity_type_is_read_by_type(user, three_types, ledger):
    client = client_for(user, *SOME_TOOLS)
    params = {"entity": "inventory.item", "limit": 1}
    plan = read_by_type_plan(client, params)
    (read,) = [node for node in plan if "using core_audit_type_time_idx" in node]
    assert "loops=1" in read, plan
    inventory = ContentType.objects.get(app_label="inventory", model="item")
    assert walk(client, params) == [e.pk for e in three_types if e.content_type == inventory]
    with_an_action = walk(client, {**params, "action": ["UPDATE", "CREATE"]})
    assert with_an_action == [e.pk for e in three_types if e.content_type == inventory]


@pytest.mark.postgres
def test_a_feed_of_an_actor_has_each_type_read_from_the_index_on_actor_and_type(
    user, three_types, ledger
):
    # The actor is busy in the ledger, whose entries are the newest; their
    # entries in the other tools are old: a walk of the actor's entries in
    # time order would pass every ledger entry first.
    actor = User.objects.create_user(username="bot")
    AuditEntry.objects.filter(pk__in=[e.pk for e in ledger]).update(actor=actor)
    old = timezone.now() - datetime.timedelta(days=400)
    theirs = newest_first(
        add_entry(
            e.content_type, object_id=200 + n, actor=actor, timestamp=old + datetime.timedelta(n)
        )
        for n, e in enumerate(three_types[:5])
    )
    client = client_for(user, *SOME_TOOLS)
    params = {"actor": actor.pk, "limit": 2}
    plan = read_by_type_plan(client, params)
    (read,) = [node for node in plan if "using core_audit_actor_type_idx" in node]
    assert "loops=3" in read, plan
    expected = [e.pk for e in theirs]
    assert walk(client, params) == expected
    assert walk_back(client, params) == expected
    until = theirs[1].timestamp.isoformat()
    assert walk(client, {**params, "until": until}) == expected[2:]
    # A caller of every tool: each of the four types read, the ledger's first.
    every = client_for(user, "*:read")
    assert walk(every, params) == [e.pk for e in ledger] + expected
    # With an action, each pair of a type and the action.
    assert walk(client, {**params, "action": "DELETE"}) == []


@pytest.mark.postgres
def test_a_feed_of_an_actors_actions_has_each_pair_read_from_the_index_on_actor_and_action(
    user, three_types, ledger
):
    # The actor's updates are every entry but a few old deletes and
    # archives; everyone else's deletes are newer than theirs. Read by type
    # and action, the actor's updates, or everyone's deletes, would be
    # walked past for each pair.
    actor = User.objects.create_user(username="bot")
    AuditEntry.objects.update(actor=actor)
    old = timezone.now() - datetime.timedelta(days=400)
    types = sorted({e.content_type for e in three_types + ledger}, key=lambda ct: ct.pk)
    theirs = newest_first(
        add_entry(
            types[n % len(types)],
            object_id=300 + n,
            actor=actor,
            action=("DELETE", "ARCHIVE")[n % 2],
            timestamp=old + datetime.timedelta(hours=n),
        )
        for n in range(6)
    )
    # Others' deletes and archives, newer and many more than theirs (ten of each
    # pair): so many that the planner, which cannot know they are the newer,
    # sees an index read of a type and action filtered by actor as the costlier
    # (with one of each, the two plans cost alike and either may be chosen).
    for n in range(len(types) * 20):
        add_entry(
            types[n % len(types)], object_id=400 + n, action=("DELETE", "ARCHIVE")[n // 4 % 2],
            actor=user,
        )  # fmt: skip
    client = client_for(user, "*:read")
    params = {"actor": actor.pk, "action": ["DELETE", "ARCHIVE"], "limit": 4}
    plan = read_by_type_plan(client, params)
    # Each type the caller reads and each of two actions: each pair read once,
    # and nothing beside.
    (read,) = [node for node in plan if "using core_audit_actor_action_idx" in node]
    assert f"loops={2 * readable_types()}" in read, plan
    assert not [node for node in plan if node.startswith("Filter:")], plan
    expected = [e.pk for e in theirs]
    assert walk(client, params) == expected
    assert walk_back(client, {**params, "limit": 3}) == expected
    until = theirs[1].timestamp.isoformat()
    assert walk(client, {**params, "until": until}) == expected[2:]
    # A caller of some tools reads their pairs alone.
    ledger_type = ContentType.objects.get(app_label="ledger")
    some = client_for(user, *SOME_TOOLS)
    assert walk(some, params) == [e.pk for e in theirs if e.content_type != ledger_type]


@pytest.mark.postgres
def test_a_feed_of_one_request_is_read_in_one_statement(user, three_types, ledger):
    # Its index is its own, and a request writes few entries.
    params = {"request_id": "6c1e2a3b-0b7d-4d7e-9a51-3f0c4a1f2b9e"}
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
