"""The Django admin for operators: entities with history, the audit log read-only."""

import datetime
import html
import re
import zoneinfo
from urllib.parse import parse_qs

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.components.models import Component
from apps.core.admin import EntityAdmin, TagFilter, periods_holding
from apps.core.models import AuditEntry, IdCounter, Tag, User
from apps.core.workflows import Status, Transition, Workflow
from tests.workflows import REVIEWED

pytestmark = pytest.mark.django_db


@pytest.fixture
def component():
    return Component.objects.create(name="Sensor", part_number="S-1", category="Sensors")


def test_every_entity_is_registered_with_the_entity_admin():
    from django.contrib import admin

    assert isinstance(admin.site._registry[Component], EntityAdmin)


def test_the_entity_list_shows_the_standard_columns(admin_client, component):
    response = admin_client.get("/admin/components/component/")
    assert response.status_code == 200
    assert list(response.context["cl"].list_display)[1:] == [
        "public_id",
        "name",
        "status",
        "category",
        "updated_at",
    ]
    assert component.public_id in response.content.decode()


def test_the_entity_list_searches_and_filters(admin_client, component):
    Component.objects.create(name="Other", part_number="O-1")
    response = admin_client.get("/admin/components/component/", {"q": "sensor"})
    assert response.context["cl"].result_count == 1
    response = admin_client.get(
        "/admin/components/component/", {"status__exact": "DRAFT", "category": "Sensors"}
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "query", [{"status__exact": "a\x00b"}, {"q": "a\x00b"}, {"category\x00": "x"}]
)
def test_a_null_character_in_the_entity_list_query_is_a_400(admin_client, component, query):
    response = admin_client.get("/admin/components/component/", query)
    assert response.status_code == 400


def test_the_entity_search_finds_each_word_in_the_id_name_or_description(admin_client):
    def found(term):
        response = admin_client.get("/admin/components/component/", {"q": term})
        return {record.name for record in response.context["cl"].result_list}

    hall = Component.objects.create(
        name="Hall sensor", part_number="H-1", description="Bipolar, SOT-23"
    )
    Component.objects.create(name="Hall effect switch", part_number="H-2")
    assert found("HALL sot-23") == {"Hall sensor"}
    assert found(hall.public_id.lower()) == {"Hall sensor"}
    assert found('"hall sensor"') == {"Hall sensor"}
    assert found("hall") == {"Hall sensor", "Hall effect switch"}
    assert found("hall nowhere") == set()


def test_the_history_of_a_record_is_browsable(admin_client, component):
    response = admin_client.get(f"/admin/components/component/{component.pk}/history/")
    assert response.status_code == 200


def test_bookkeeping_fields_are_read_only(admin_client, component):
    response = admin_client.get(f"/admin/components/component/{component.pk}/change/")
    form_fields = set(response.context["adminform"].form.fields)
    assert {
        "public_id",
        "created_by",
        "updated_by",
        "archived_at",
        "version",
        "search_text",
    }.isdisjoint(form_fields)
    assert {"name", "status", "tags", "part_number"} <= form_fields


def test_the_audit_log_is_browsable_but_read_only(admin_client, component):
    entry = AuditEntry.objects.get()
    assert admin_client.get("/admin/core/auditentry/").status_code == 200
    assert admin_client.get(f"/admin/core/auditentry/{entry.pk}/change/").status_code == 200
    assert admin_client.get("/admin/core/auditentry/add/").status_code == 403
    assert admin_client.post(f"/admin/core/auditentry/{entry.pk}/delete/").status_code == 403


def test_the_id_counters_are_browsable_but_read_only(admin_client, component):
    counter = IdCounter.objects.get(prefix="CMP")
    url = f"/admin/core/idcounter/{counter.prefix}/"
    assert admin_client.get("/admin/core/idcounter/").status_code == 200
    assert admin_client.get(f"{url}change/").status_code == 200
    assert admin_client.post(f"{url}change/", {"last_number": 0}).status_code == 403
    assert admin_client.get("/admin/core/idcounter/add/").status_code == 403
    assert admin_client.post(f"{url}delete/", {"post": "yes"}).status_code == 403
    counter.refresh_from_db()
    assert counter.last_number == 1


def test_a_hard_delete_in_the_admin_is_audited(admin_client, component):
    response = admin_client.post(
        f"/admin/components/component/{component.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Component.objects.exists()
    assert AuditEntry.objects.filter(action="DELETE", public_id=component.public_id).exists()


LIST = "/admin/components/component/"


def made(categories):
    return [
        Component.objects.create(name=f"Part {n}", part_number=f"P-{n}", category=category)
        for n, category in enumerate(categories)
    ]


def test_the_category_filter_offers_what_select_distinct_would_read_through_the_index(
    admin_client,
):
    made(["Sensors", "cables", "Sensors", "", "Éclairage", "sensors", "Cables"])
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(LIST)
    [spec] = [f for f in response.context["cl"].filter_specs if f.field_path == "category"]
    distinct = Component.objects.distinct().order_by("category").values_list("category", flat=True)
    assert spec.lookup_choices == list(distinct)
    assert not [q for q in queries.captured_queries if "DISTINCT" in q["sql"]]


def values_filter(rf, admin_user, model_admin, name: str):
    from apps.core.admin import DistinctValuesFilter

    request = rf.get(LIST)
    request.user = admin_user
    field = Component._meta.get_field(name)
    return DistinctValuesFilter(field, request, {}, Component, model_admin, name)


def test_an_admin_that_narrows_its_rows_filters_by_the_values_of_those_rows(rf, admin_user):
    from django.contrib import admin

    class ActiveOnly(EntityAdmin):
        def get_queryset(self, request):
            return super().get_queryset(request).filter(status="ACTIVE")

    first, _ = made(["Sensors", "Cables"])
    Component.objects.filter(pk=first.pk).update(status="ACTIVE")
    spec = values_filter(rf, admin_user, ActiveOnly(Component, admin.site), "category")
    assert list(spec.lookup_choices) == ["Sensors"]


def test_a_column_no_index_leads_is_filtered_by_djangos_query(rf, admin_user):
    """One lookup per value would read the whole table once per value."""
    from django.contrib import admin

    made(["Sensors", "Cables"])
    spec = values_filter(rf, admin_user, EntityAdmin(Component, admin.site), "supplier")
    assert "DISTINCT" in str(spec.lookup_choices.query)
    assert list(spec.lookup_choices) == [""]


@pytest.mark.postgres
def test_an_unfiltered_entity_list_of_a_large_table_is_counted_by_the_planners_estimate(
    admin_client, settings
):
    settings.API_COUNT_ESTIMATE_THRESHOLD = 3
    made(["Sensors"] * 4 + ["Cables"])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE components_component")
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(LIST)
    assert response.context["cl"].result_count == 5
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(LIST, {"category": "Sensors"})
    assert response.context["cl"].result_count == 4  # filtered: counted exactly
    assert response.context["cl"].full_result_count is None  # and the table not counted
    assert len([q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]) == 1


def test_the_tag_filter_finds_each_record_carrying_the_tag_once_without_distinct(admin_client):
    both, one, _untagged = made(["Sensors", "Sensors", "Cables"])
    both.set_tags(["passive", "Lot-7"])
    both.save()
    one.set_tags(["Passive"])
    one.save()
    response = admin_client.get(LIST)
    [spec] = [f for f in response.context["cl"].filter_specs if isinstance(f, TagFilter)]
    assert [name for name, _ in spec.lookup_choices] == ["Lot-7", "passive"]
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(LIST, {"tag": "PASSIVE"})
    assert [record.pk for record in response.context["cl"].result_list] == [one.pk, both.pk]
    assert response.context["cl"].result_count == 2
    assert not [q for q in queries.captured_queries if "DISTINCT" in q["sql"]]
    # By the tag's id, as the API's filter: no statement reading records compares names.
    assert not [
        q
        for q in queries.captured_queries
        if 'FROM "components_component"' in q["sql"] and '"core_tag"."name"' in q["sql"]
    ]
    response = admin_client.get(LIST, {"tag": "nowhere"})
    assert list(response.context["cl"].result_list) == []


AUDIT_LOG = "/admin/core/auditentry/"


def test_the_audit_log_finds_a_whole_public_id_through_the_records_history(admin_client):
    first, _ = made(["Sensors", "Cables"])
    Component.objects.create(name=f"Replaces {first.public_id}", part_number="P-9")
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(AUDIT_LOG, {"q": f" {first.public_id.lower()} "})
    assert list(response.context["cl"].result_list) == list(
        AuditEntry.objects.filter(object_id=first.pk, public_id=first.public_id)
    )
    assert response.context["cl"].result_count == 1
    assert not [q for q in queries.captured_queries if "LIKE" in q["sql"]]


def test_the_audit_log_finds_a_deleted_records_entries_by_its_public_id(admin_client):
    [gone] = made(["Sensors"])
    admin_client.post(f"{LIST}{gone.pk}/delete/", {"post": "yes"})
    assert not Component.objects.exists()
    response = admin_client.get(AUDIT_LOG, {"q": gone.public_id})
    assert [entry.action for entry in response.context["cl"].result_list] == ["DELETE", "CREATE"]


def entries_at(*moments: str) -> list:
    """One audit entry at each ISO 8601 moment (the entries of new records)."""
    records = made([f"C{n}" for n in range(len(moments))])
    for record, moment in zip(records, moments, strict=True):
        AuditEntry.objects.filter(object_id=record.pk).update(
            timestamp=datetime.datetime.fromisoformat(moment)
        )
    return records


MOMENTS = (
    "2024-12-31T23:30:00+00:00",
    "2025-01-01T00:10:00+00:00",
    "2025-03-15T12:00:00+00:00",
    "2025-03-16T04:59:00+00:00",
    "2025-03-16T05:00:00+00:00",
    "2026-07-04T09:00:00+00:00",
)


@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Asia/Kolkata"])
@pytest.mark.parametrize("kind", ["year", "month", "day"])
def test_the_periods_holding_entries_are_djangos_own(zone, kind):
    entries_at(*MOMENTS)
    entries = AuditEntry.objects.all()
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        for queryset in (entries, entries.filter(timestamp__year=2025), entries.none()):
            found = periods_holding(queryset, "timestamp", kind, timezone.get_current_timezone())
            assert found == list(queryset.datetimes("timestamp", kind))


def test_the_audit_logs_date_hierarchy_is_read_through_the_index_of_time(admin_client):
    entries_at(*MOMENTS)

    def offered(**params) -> list[tuple]:
        """The periods the page links to, as (year, month, day) numbers."""
        with CaptureQueriesContext(connection) as queries:
            page = admin_client.get(AUDIT_LOG, params).content.decode()
        assert not [q for q in queries.captured_queries if "DISTINCT" in q["sql"]]
        [hierarchy] = re.findall(r'<nav class="toplinks">(.*?)</nav>', page, re.DOTALL)
        links = [parse_qs(html.unescape(q)) for q in re.findall(r'href="\?([^"]*)"', hierarchy)]
        return sorted(
            tuple(
                int(link[f"timestamp__{part}"][0])
                for part in ("year", "month", "day")
                if f"timestamp__{part}" in link
            )
            for link in links
            if "timestamp__year" in link
        )

    assert offered() == [(2024,), (2025,), (2026,)]
    assert offered(timestamp__year=2025) == [(2025, 1), (2025, 3)]
    assert offered(timestamp__year=2025, timestamp__month=3) == [
        (2025,),  # back to the year
        (2025, 3, 15),
        (2025, 3, 16),
    ]


@pytest.mark.parametrize("term", ["CMP-", "cmp-00", "CMP-000", "Part", "XYZ-0001"])
def test_anything_but_a_whole_public_id_of_a_tool_is_djangos_search(admin_client, term):
    made(["Sensors", "Cables"])
    response = admin_client.get(AUDIT_LOG, {"q": term})
    expected = 0 if term == "XYZ-0001" else 2
    assert response.context["cl"].result_count == expected


def test_a_link_to_another_record_is_picked_by_searching_not_from_a_list_of_all(admin_client):
    from django.contrib.admin.widgets import AutocompleteSelect

    _, linked = made(["Sensors", "Cables"])
    response = admin_client.get("/admin/testing/testrun/add/")
    assert response.status_code == 200
    field = response.context["adminform"].form.fields["component"]
    assert isinstance(field.widget.widget, AutocompleteSelect)
    assert "Part 0" not in response.content.decode()  # no option per component
    found = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "testing", "model_name": "testrun", "field_name": "component"}
        | {"term": linked.public_id.lower()},
    ).json()
    assert [result["id"] for result in found["results"]] == [str(linked.pk)]


@pytest.mark.postgres
def test_an_autocomplete_offers_the_first_matches_up_to_the_count_cap(admin_client, settings):
    """It counts its matches as the API caps a filtered list's count: enough
    to say whether there is a page more, without counting every match."""
    settings.API_COUNT_CAP = 30  # a page and a half of 20
    made(["Sensors"] * 35)
    query = {"app_label": "testing", "model_name": "testrun", "field_name": "component"}
    with CaptureQueriesContext(connection) as queries:
        first = admin_client.get("/admin/autocomplete/", query | {"term": "part"}).json()
    assert (len(first["results"]), first["pagination"]["more"]) == (20, True)
    [count] = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert "LIMIT 31" in count
    last = admin_client.get("/admin/autocomplete/", query | {"term": "part", "page": 2}).json()
    assert (len(last["results"]), last["pagination"]["more"]) == (10, False)


def test_an_action_the_workflow_refuses_for_one_record_writes_nothing(admin_client, swap_workflow):
    swap_workflow(Component, REVIEWED)
    stocked = [
        Component.objects.create(
            name=f"Stocked {n}", part_number=f"S-{n}", status="ACTIVE", quantity_on_hand=n
        )
        for n in (2, 3)
    ]
    empty = Component.objects.create(name="Empty", part_number="E-1", status="ACTIVE")
    response = admin_client.post(
        LIST,
        {
            "action": "archive_selected",
            "index": 0,
            "_selected_action": [empty.pk, *(record.pk for record in stocked)],
        },
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Nothing was archived: 2 of 3 components cannot be. "
        f"{stocked[0].public_id} still has 2 in stock. "
        f"{stocked[1].public_id} still has 3 in stock."
    ]
    assert set(Component.objects.values_list("status", flat=True)) == {"ACTIVE"}
    assert not AuditEntry.objects.filter(action="ARCHIVE").exists()


def test_restore_selected_leaves_the_records_that_are_not_archived(admin_client):
    archived = Component.objects.create(name="Old", part_number="O-1", status="ARCHIVED")
    active = Component.objects.create(name="Live", part_number="L-1", status="ACTIVE")
    response = admin_client.post(
        LIST,
        {"action": "restore_selected", "index": 0, "_selected_action": [archived.pk, active.pk]},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == ["Restored 1 component."]
    assert dict(Component.objects.values_list("part_number", "status")) == {
        "O-1": Component.workflow.restore_to,
        "L-1": "ACTIVE",
    }


def test_archiving_and_restoring_need_the_change_permission(client, component):
    viewer = User.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_component"))
    client.force_login(viewer)
    assert client.get(LIST).context["action_form"] is None  # no action is offered
    client.post(
        LIST, {"action": "archive_selected", "index": 0, "_selected_action": [component.pk]}
    )
    component.refresh_from_db()
    assert component.status != Component.workflow.archived


def test_a_refusal_that_does_not_name_its_record_is_led_by_the_public_id(
    admin_client, swap_workflow
):
    swap_workflow(
        Component,
        Workflow(
            [Status("ACTIVE", "Active")],
            [Transition("ACTIVE", "ARCHIVED", guard=lambda record, target: "Still in use.")],
        ),
    )
    record = Component.objects.create(name="Used", part_number="U-1", status="ACTIVE")
    response = admin_client.post(
        LIST,
        {"action": "archive_selected", "index": 0, "_selected_action": [record.pk]},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        f"Nothing was archived: 1 of 1 component cannot be. {record.public_id}: Still in use."
    ]


def test_a_version_in_the_history_is_shown_not_saved_back(admin_client, component):
    """simple_history's form would put back the version's fields but not its
    tags, past the workflow: the API's revert does both."""
    component.set_tags(["smd"])
    component.save()
    version = component.history.earliest()
    url = f"/admin/components/component/{component.pk}/history/{version.history_id}/"
    component.name = "Renamed"
    component.save()

    page = admin_client.get(url)
    assert page.status_code == 200
    assert page.context["revert_disabled"] is True
    response = admin_client.post(url, {"name": "Sensor", "part_number": "S-1", "status": "DRAFT"})
    assert response.status_code == 403
    component.refresh_from_db()
    assert component.name == "Renamed"


TAGS = "/admin/core/tag/"


def test_a_tag_in_use_keeps_its_name_and_is_not_deleted_here(admin_client, component):
    """A rename or a delete here would change its records with no audit
    entry, no history and the same ETag."""
    component.set_tags(["smd"])
    component.save()
    other = Component.objects.create(name="Other", part_number="O-1")
    other.set_tags(["smd", "spare"])
    other.save()
    smd, spare = Tag.objects.get(name="smd"), Tag.objects.get(name="spare")
    unused = Tag.objects.create(name="unused")
    entries = AuditEntry.objects.count()

    form = admin_client.get(f"{TAGS}{smd.pk}/change/").context["adminform"].form
    assert "name" not in form.fields
    admin_client.post(f"{TAGS}{smd.pk}/change/", {"name": "SMT"})
    smd.refresh_from_db()
    assert smd.name == "smd"

    page = admin_client.post(f"{TAGS}{smd.pk}/delete/", {"post": "yes"})
    assert page.status_code == 200  # the page saying why, not a redirect
    assert "2 components tagged “smd”" in page.content.decode()
    response = admin_client.post(
        TAGS,
        {"action": "delete_selected", "post": "yes", "_selected_action": [spare.pk, unused.pk]},
    )
    assert "1 component tagged “spare”" in response.content.decode()
    assert set(Tag.objects.values_list("name", flat=True)) == {"smd", "spare", "unused"}
    assert sorted(other.stored_tag_names_sorted()) == ["smd", "spare"]
    assert AuditEntry.objects.count() == entries

    # Unused, it is the admin's to rename and delete.
    admin_client.post(f"{TAGS}{unused.pk}/change/", {"name": "renamed"})
    assert Tag.objects.filter(name="renamed").exists()
    admin_client.post(f"{TAGS}{unused.pk}/delete/", {"post": "yes"})
    assert not Tag.objects.filter(pk=unused.pk).exists()


def test_an_audit_entry_links_to_its_record_and_is_filtered_by_entity_type(admin_client, component):
    response = admin_client.get("/admin/core/auditentry/")
    page = response.content.decode()
    assert (
        f'<a href="/admin/components/component/{component.pk}/change/">{component.public_id}</a>'
        in page
    )
    [spec] = [f for f in response.context["cl"].filter_specs if f.title == "entity type"]
    labels = [label for _, label in spec.lookup_choices]
    assert "Components: component" in labels
    assert not any("session" in label.lower() or "historical" in label.lower() for label in labels)

    def entries_of(model):
        content_type = ContentType.objects.get_for_model(model)
        response = admin_client.get("/admin/core/auditentry/", {"content_type": content_type.pk})
        return response.context["cl"].result_count

    assert (entries_of(Component), entries_of(User)) == (1, 0)
    entry = AuditEntry.objects.get()
    detail = admin_client.get(f"/admin/core/auditentry/{entry.pk}/change/").content.decode()
    assert f"/admin/components/component/{component.pk}/change/" in detail


def test_what_operators_did_to_people_is_listed_read_only(admin_client):
    person = User.objects.create_user("writer1", is_active=True)
    response = admin_client.post(
        f"/admin/core/user/{person.pk}/change/",
        {
            "username": "writer1",
            "is_active": "",
            "is_staff": "on",
            "date_joined_0": "2026-12-06",
            "date_joined_1": "10:00:00",
            "external_id": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = admin_client.get("/admin/admin/logentry/").content.decode()
    assert "writer1" in page
    assert "Changed Active, Staff status" in page
    [entry] = LogEntry.objects.filter(object_id=str(person.pk))
    assert admin_client.post(f"/admin/admin/logentry/{entry.pk}/delete/").status_code == 403
