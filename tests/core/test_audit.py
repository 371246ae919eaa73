"""One audit entry per real change, on every write path, in the change's transaction."""

import uuid

import pytest
from django.db import connection, transaction

from apps.components.models import Component
from apps.core.api.reads import entity_queryset
from apps.core.context import acting_as
from apps.core.models import AuditEntry, Tag, User

pytestmark = pytest.mark.django_db


def make(n=1, **fields):
    return Component.objects.create(name=f"Part {n}", part_number=f"P-{n}", **fields)


def entries(record):
    return list(AuditEntry.objects.filter(object_id=record.pk).order_by("id"))


def test_a_plain_orm_create_is_audited_without_an_actor():
    record = make(unit_cost="2.50", category="Power")
    (entry,) = entries(record)
    assert entry.action == "CREATE"
    assert entry.actor is None
    assert entry.actor_label == ""
    assert entry.request_id is None
    assert entry.public_id == record.public_id
    assert entry.object_label == f"{record.public_id} Part 1"
    assert entry.content_type.model_class() is Component
    assert entry.changes["unit_cost"] == {"old": None, "new": "2.50"}
    assert entry.changes["category"] == {"old": None, "new": "Power"}
    assert "description" not in entry.changes  # empty at creation


def test_acting_as_attributes_every_write_in_the_block(user):
    with acting_as(user):
        record = make()
        other = make(2)
    assert {e.actor for e in entries(record) + entries(other)} == {user}
    assert entries(record)[0].actor_label == "Alice Tester"
    assert entries(record)[0].request_id == entries(other)[0].request_id is not None
    assert record.created_by == record.updated_by == user


def test_an_update_records_only_the_fields_that_changed(user):
    record = make(unit_cost="1.00")
    with acting_as(user):
        record.name = "Renamed"
        record.unit_cost = "1.0"  # the same amount, spelled differently
        record.save()
    update = entries(record)[-1]
    assert update.action == "UPDATE"
    assert update.changes == {"name": {"old": "Part 1", "new": "Renamed"}}
    record.refresh_from_db()
    assert record.version == 2
    assert record.updated_by == user


def test_a_save_that_changes_nothing_writes_no_entry_and_no_history(user):
    record = make()
    with acting_as(user):
        Component.objects.get(pk=record.pk).save()
    assert len(entries(record)) == 1
    assert record.history.count() == 1


def test_save_with_update_fields_diffs_only_those_fields():
    record = make()
    with acting_as(None):
        record.name = "Renamed"
        record.supplier = "Not saved"
        record.save(update_fields=["name"])
    assert entries(record)[-1].changes == {"name": {"old": "Part 1", "new": "Renamed"}}
    record.refresh_from_db()
    assert record.supplier == ""


def test_archiving_and_restoring_are_named_and_stamp_archived_at():
    record = make()
    with acting_as(None):
        record.status = "ARCHIVED"
        record.save()
    assert record.archived_at is not None
    with acting_as(None):
        record.status = "ACTIVE"
        record.save()
    assert record.archived_at is None
    assert [e.action for e in entries(record)] == ["CREATE", "ARCHIVE", "RESTORE"]


def test_queryset_update_audits_each_changed_row_once(user):
    first, second, unchanged = (
        make(1, supplier="Old"),
        make(2, supplier="Old"),
        make(3, supplier="New"),
    )
    with acting_as(user):
        count = Component.objects.update(supplier="New")
    assert count == 3
    for record in (first, second):
        update = entries(record)[-1]
        assert update.action == "UPDATE"
        assert update.actor == user
        assert update.changes == {"supplier": {"old": "Old", "new": "New"}}
        record.refresh_from_db()
        assert record.version == 2
        assert record.history.count() == 2
    assert len(entries(unchanged)) == 1


def test_queryset_update_of_status_archives(user):
    record = make()
    with acting_as(user):
        Component.objects.filter(pk=record.pk).update(status="ARCHIVED")
    record.refresh_from_db()
    assert record.archived_at is not None
    assert entries(record)[-1].action == "ARCHIVE"


def test_bulk_update_is_audited(user):
    records = [make(1), make(2)]
    for record in records:
        record.quantity_on_hand = 7
    with acting_as(user):
        Component.objects.bulk_update(records, ["quantity_on_hand"])
    for record in records:
        assert entries(record)[-1].changes == {"quantity_on_hand": {"old": 0, "new": 7}}


def test_bulk_create_is_audited_with_history_and_tags(user, django_assert_max_num_queries):
    records = [Component(name=f"Part {n}", part_number=f"B-{n}") for n in range(100)]
    for record in records:
        record.set_tags(["bulk", f"batch-{record.part_number}"])
    # A handful of statements, not several per row (SQLite splits big inserts into batches).
    with acting_as(user), django_assert_max_num_queries(20):
        Component.objects.bulk_create(records)
    assert AuditEntry.objects.filter(action="CREATE").count() == 100
    first = entries(records[0])[0]
    assert first.changes["tags"] == {"old": [], "new": ["batch-B-0", "bulk"]}
    assert first.actor == user
    assert Component.history.count() == 100
    assert sorted(records[0].tags.values_list("name", flat=True)) == ["batch-B-0", "bulk"]


def test_tags_changed_through_the_orm_are_audited_once_per_unit(user):
    record = make()
    keep, drop, add = Tag.objects.resolve(["keep", "drop", "add"]).values()
    with acting_as(user):
        record.tags.add(keep, drop)
    with acting_as(user):
        record.tags.set([keep, add])  # a remove then an add: one entry
    tag_entries = entries(record)[1:]
    assert [e.changes for e in tag_entries] == [
        {"tags": {"old": [], "new": ["drop", "keep"]}},
        {"tags": {"old": ["drop", "keep"], "new": ["add", "keep"]}},
    ]
    record.refresh_from_db()
    assert record.version == 4  # each m2m step bumps the version (the ETag)


def test_an_instance_read_with_its_tags_shows_the_row_after_an_orm_tag_change(user):
    """Tags changed through the related manager: the instance in hand shows
    the new tags, version, time and author, as a fresh read of the row would."""
    make()
    record = entity_queryset(Component).get()
    assert record.tag_names == []
    before = record.updated_at
    with acting_as(user):
        record.tags.add(*Tag.objects.resolve(["fresh"]).values())
    fresh = entity_queryset(Component).get()
    assert record.tag_names == fresh.tag_names == ["fresh"]
    assert (record.version, record.updated_at, record.updated_by) == (
        fresh.version,
        fresh.updated_at,
        fresh.updated_by,
    )
    assert record.updated_at > before
    # A refresh reads the tags again, however they were changed.
    type(record).tags.through.objects.filter(component_id=record.pk).delete()
    record.refresh_from_db()
    assert record.tag_names == []


def test_tag_names_are_unique_case_insensitively():
    first = Tag.objects.resolve(["Calibrated"])
    again = Tag.objects.resolve(["calibrated", " CALIBRATED "])
    assert first == again == {"calibrated": Tag.objects.get()}
    assert Tag.objects.count() == 1
    assert Tag.objects.get().name == "Calibrated"


def test_a_tag_name_the_database_lowers_otherwise_than_python_resolves():
    """SQLite lowers ASCII only; PostgreSQL lowers by its locale, and Python's
    `İ` lowers to two characters. Each name still finds its one tag."""
    names = ["Éclair", "İzmir", "ΣΊΣΥΦΟΣ"]
    tags = Tag.objects.resolve(names)
    assert [tag.name for tag in tags.values()] == names
    assert Tag.objects.resolve(names) == tags


def test_changes_that_cancel_out_in_one_unit_leave_no_entry(user):
    record = make()
    with acting_as(user):
        record.name = "Temporary"
        record.save()
        record.name = "Part 1"
        record.save()
    assert [e.action for e in entries(record)] == ["CREATE"]


def test_a_record_made_and_deleted_in_one_unit_leaves_no_entry(user):
    with acting_as(user):
        record = make()
        pk = record.pk
        record.delete()
    assert not AuditEntry.objects.filter(object_id=pk).exists()
    assert Component.history.filter(id=pk).count() == 2  # history keeps both


def test_a_hard_delete_is_audited_with_the_last_values(user):
    record = make(supplier="Acme")
    pk = record.pk
    with acting_as(user):
        record.delete()
    entry = AuditEntry.objects.filter(object_id=pk).order_by("id").last()
    assert entry.action == "DELETE"
    assert entry.changes["supplier"] == {"old": "Acme", "new": None}
    assert Component.history.filter(id=pk, history_type="-").exists()


def test_the_audit_entry_rolls_back_with_its_change():
    with pytest.raises(RuntimeError), transaction.atomic():
        make()
        raise RuntimeError("abandon")
    assert not AuditEntry.objects.exists()


def test_deleting_the_actor_keeps_the_entry_and_its_label(user):
    with acting_as(user):
        record = make()
    user.delete()
    entry = entries(record)[0]
    assert entry.actor is None
    assert entry.actor_label == "Alice Tester"
    record.refresh_from_db()
    assert record.created_by is None


# Any path but the health probes, answered before ids are given (docs/deployment.md).
NO_SUCH_TOOL = "/api/v1/no-such-tool/"
COMPONENTS = "/api/v1/components/components/"


def test_a_clients_request_id_is_not_taken_and_a_new_one_is_returned(client):
    given = str(uuid.uuid4())
    returned = client.get(NO_SUCH_TOOL, HTTP_X_REQUEST_ID=given)["X-Request-ID"]
    assert returned != given
    assert uuid.UUID(returned)


def test_a_trusted_proxys_request_id_is_taken_when_it_is_a_uuid(client, settings):
    settings.TRUST_REQUEST_ID_HEADER = True
    given = str(uuid.uuid4())
    assert client.get(NO_SUCH_TOOL, HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given
    generated = client.get(NO_SUCH_TOOL, HTTP_X_REQUEST_ID="not-a-uuid")["X-Request-ID"]
    assert generated != "not-a-uuid"
    assert uuid.UUID(generated)


def test_a_clients_request_id_does_not_file_its_entries_under_another_request(api, settings):
    """Two actors' entries never share an id one of them chose
    (`/api/v1/activity/?request_id=` lists one request's entries)."""
    first = api.post(COMPONENTS, {"name": "First", "part_number": "RQ-1"}, format="json")
    mimic = api.post(
        COMPONENTS,
        {"name": "Second", "part_number": "RQ-2"},
        format="json",
        HTTP_X_REQUEST_ID=first["X-Request-ID"],
    )
    assert mimic.status_code == 201, mimic.json()
    assert mimic["X-Request-ID"] != first["X-Request-ID"]
    assert [e.request_id for e in AuditEntry.objects.filter(object_id=mimic.json()["id"])] == [
        uuid.UUID(mimic["X-Request-ID"])
    ]


def test_admin_edits_are_audited_once_with_the_admin_as_actor(client):
    admin = User.objects.create_superuser("admin", "admin@example.com", "pw-for-tests")
    client.force_login(admin)
    record = make()
    tag = Tag.objects.resolve(["from-admin"])["from-admin"]
    response = client.post(
        f"/admin/components/component/{record.pk}/change/",
        {
            "name": "Edited in admin",
            "description": "",
            "status": "ACTIVE",
            "category": "",
            "tags": [tag.pk],
            "part_number": "P-1",
            "supplier": "",
            "unit_cost": "0",
            "quantity_on_hand": "0",
            "datasheet_url": "",
        },
    )
    assert response.status_code == 302, response.content[:500]
    update = entries(record)[-1]
    assert update.actor == admin
    assert update.action == "UPDATE"
    assert set(update.changes) == {"name", "status", "tags"}
    assert update.changes["tags"] == {"old": [], "new": ["from-admin"]}


def test_the_audit_table_is_indexed_for_object_history_and_latest_entries():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, AuditEntry._meta.db_table)
    indexed = [tuple(c["columns"]) for c in constraints.values() if c["index"]]
    assert ("content_type_id", "object_id", "id") in indexed
    assert ("timestamp", "id") in indexed
