"""Bulk writes through the API, beyond what the generic tool tests hold every
tool to: the query bound at 1,000 rows, batched lookups and uniqueness, the
workflow's checks. The entity queryset's own set-based writes, which these
go through, are in test_queryset_writes.py."""

import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers
from rest_framework.validators import UniqueTogetherValidator

from apps.components.models import Component
from apps.core import services
from apps.core.api.bulk_validation import BulkError, EntityBulkSerializer
from apps.core.api.registry import serializer_for
from apps.core.api.serializers import EntityReferenceField, PrimaryKeyReferenceField
from apps.core.context import acting_as
from apps.core.models import AuditEntry, User
from apps.core.testing.api import client_for
from tests.locks import holding, wait_for_a_lock_wait
from tests.workflows import REVIEWED

pytestmark = pytest.mark.django_db

BULK = "/api/v1/components/components/bulk/"


def items(count, start=0):
    return [
        {
            "name": f"Part {n}",
            "part_number": f"P-{n}",
            "unit_cost": "0.10",
            "tags": ["bulk", f"t{n}"],
        }
        for n in range(start, start + count)
    ]


def make(n, **fields):
    return Component.objects.create(name=f"Part {n}", part_number=f"P-{n}", **fields)


def create_queries(api, body) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.post(BULK, body, format="json")
    assert response.status_code == 201, response.json()
    return len(queries)


def validate(child, data):
    serializer = EntityBulkSerializer(child=child, data=data)
    try:
        serializer.is_valid()
    except BulkError as error:
        return error
    return serializer.validated_data


# --- Bounded queries ---------------------------------------------------------------------


def create_1010(api) -> list[list[dict]]:
    """Ten records, then a thousand, in two requests; the first warms caches."""
    return [
        api.post(BULK, items(10), format="json").json(),
        api.post(BULK, items(1000, 10), format="json").json(),
    ]


@pytest.mark.postgres
def test_creating_1000_rows_takes_as_many_queries_as_10(api, user):
    create_queries(api, items(1, start=5000))  # warms the content type cache
    assert create_queries(api, items(10)) == create_queries(api, items(1000, start=10))
    assert Component.objects.count() == AuditEntry.objects.filter(action="CREATE").count() == 1011
    assert AuditEntry.objects.values("request_id").distinct().count() == 3  # one per request


@pytest.mark.postgres
def test_updating_1000_rows_takes_as_many_queries_as_10(api):
    counts = []
    for batch, rows in enumerate(create_1010(api)):
        tags = ["moved", f"batch {batch}"]  # each request creates one new tag
        body = [{"id": row["id"], "supplier": "Bulk", "tags": tags} for row in rows]
        with CaptureQueriesContext(connection) as queries:
            response = api.patch(BULK, body, format="json")
        assert response.status_code == 200, response.json()
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert AuditEntry.objects.filter(action="UPDATE").count() == 1010


@pytest.mark.postgres
def test_updating_1000_rows_with_tag_changes_takes_as_many_queries_as_10(api):
    counts = []
    for batch, rows in enumerate(create_1010(api)):
        # Each record gets a field, loses one tag and gets two, one of them new to the suite.
        changes = {"supplier": "Bulk", "add_tags": ["moved", f"batch {batch}"]}
        body = [{"id": row["id"], **changes, "remove_tags": ["bulk"]} for row in rows]
        with CaptureQueriesContext(connection) as queries:
            response = api.patch(BULK, body, format="json")
        assert response.status_code == 200, response.json()
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert AuditEntry.objects.filter(action="UPDATE").count() == 1010
    record = Component.objects.first()
    assert (record.supplier, sorted(record.tag_names)) == ("Bulk", ["batch 1", "moved", "t1009"])


@pytest.mark.postgres
def test_archiving_1000_rows_takes_as_many_queries_as_10(api):
    counts = []
    for rows in create_1010(api):
        with CaptureQueriesContext(connection) as queries:
            response = api.post(BULK + "archive/", {"ids": [r["id"] for r in rows]}, format="json")
        assert response.status_code == 200, response.json()
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert AuditEntry.objects.filter(action="ARCHIVE").count() == 1010


@pytest.mark.postgres
def test_tagging_1000_rows_takes_as_many_queries_as_10(api):
    counts = []
    for batch, rows in enumerate(create_1010(api)):
        # Each record loses one tag and gets two, one of them new to the suite.
        body = {
            "ids": [r["id"] for r in rows],
            "add": ["moved", f"batch {batch}"],
            "remove": ["bulk"],
        }
        with CaptureQueriesContext(connection) as queries:
            response = api.post(BULK + "tags/", body, format="json")
        assert response.status_code == 200, response.json()
        assert len(response.json()["changed"]) == len(rows)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert AuditEntry.objects.filter(action="UPDATE").count() == 1010
    assert sorted(Component.objects.first().tag_names) == ["batch 1", "moved", "t1009"]


def test_links_to_entities_are_looked_up_once_per_field_for_the_whole_list():
    parts = [make(n) for n in range(30)]

    class Links(serializers.Serializer):
        part = EntityReferenceField(queryset=Component.objects.all())
        spares = EntityReferenceField(queryset=Component.objects.all(), many=True)

    def body(count):
        return [
            {"part": parts[n].public_id, "spares": [parts[n + 1].pk, parts[n + 2].public_id]}
            for n in range(count)
        ]

    counts = []
    for count in (3, 28):
        with CaptureQueriesContext(connection) as queries:
            validated = validate(Links(), body(count))
        assert [row["part"] for row in validated] == parts[:count]
        counts.append(len(queries))
    assert counts == [2, 2]
    error = validate(Links(), [{"part": "CMP-999999", "spares": [True]}])
    assert error.errors == [
        {
            "index": 0,
            "errors": {
                "part": ["No component with id 'CMP-999999'."],
                "spares": {0: ["Expected an id or a public id, got bool."]},
            },
        }
    ]


def test_links_to_users_are_looked_up_once_for_the_whole_list(user):
    class Owner(serializers.Serializer):
        owner = PrimaryKeyReferenceField(queryset=User.objects.all())

    with CaptureQueriesContext(connection) as queries:
        validated = validate(Owner(), [{"owner": user.pk}, {"owner": str(user.pk)}])
    assert [row["owner"] for row in validated] == [user, user]
    assert len(queries) == 1
    body = [{"owner": v} for v in (user.pk, 10**9, "me", float(user.pk), 2**64, 0, True)]
    error = validate(Owner(), body)
    assert [(e["index"], e["errors"]["owner"][0]) for e in error.errors] == [
        (1, 'Invalid pk "1000000000" - object does not exist.'),
        (2, "Incorrect type. Expected pk value, received str."),
        (3, "Incorrect type. Expected pk value, received float."),
        (4, f'Invalid pk "{2**64}" - object does not exist.'),
        (5, 'Invalid pk "0" - object does not exist.'),
        (6, "Incorrect type. Expected pk value, received bool."),
    ]


def test_unique_together_is_checked_once_for_the_whole_list():
    make(1, supplier="Acme", category="Power")
    base = serializer_for(Component)

    class PairSerializer(base):
        class Meta(base.Meta):
            validators = [
                UniqueTogetherValidator(Component.objects.all(), fields=["supplier", "category"])
            ]

    body = [
        {"name": "A", "part_number": "A", "supplier": "Acme", "category": "Power"},
        {"name": "B", "part_number": "B", "supplier": "Acme", "category": "Sensors"},
        {"name": "C", "part_number": "C", "supplier": "Acme", "category": "Sensors"},
    ]
    with CaptureQueriesContext(connection) as queries:
        error = validate(PairSerializer(), body)
    assert len(queries) == 2  # part_number, then the pair
    assert error.errors == [
        {
            "index": 0,
            "errors": {
                "non_field_errors": ["The fields supplier, category must make a unique set."]
            },
        },
        {
            "index": 2,
            "errors": {"non_field_errors": ["Same as item 1 of this request; must be unique."]},
        },
    ]


# --- Behaviour the generic tests do not cover -----------------------------------------------


def test_swapping_unique_values_between_two_records_is_refused(api):
    first, second = make(1), make(2)
    body = [{"id": first.pk, "part_number": "P-2"}, {"id": second.pk, "part_number": "P-1"}]
    response = api.patch(BULK, body, format="json")
    assert [e["index"] for e in response.json()["errors"]] == [0, 1]


def test_a_status_change_in_bulk_is_an_audited_archive(api):
    record = make(1)
    response = api.patch(BULK, [{"id": record.pk, "status": "ARCHIVED"}], format="json")
    assert response.status_code == 200
    assert response.json()[0]["archived_at"] is not None
    assert AuditEntry.objects.filter(object_id=record.pk).latest("id").action == "ARCHIVE"


def test_a_bulk_update_keeps_what_changed_since_the_records_were_read(user):
    stale = make(1, supplier="Before")
    Component.objects.filter(pk=stale.pk).update(supplier="Changed meanwhile")
    with acting_as(user):
        services.bulk_update_entities(Component, [(stale, {"name": "Renamed"})])
    stale.refresh_from_db()
    assert (stale.name, stale.supplier) == ("Renamed", "Changed meanwhile")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_bulk_update_waits_for_a_concurrent_change_and_keeps_it(user):
    """The second item names only `name`, but the lot writes `supplier` too:
    the bulk update must wait for the concurrent transaction holding the row
    and write the supplier it committed, not the one validation read."""
    first, second = make(1, supplier="Old"), make(2, supplier="Old")
    responses = []

    def bulk_update():
        try:
            body = [{"id": first.pk, "supplier": "Bulk"}, {"id": second.pk, "name": "Renamed"}]
            client = client_for(user, "components:read", "components:write")
            responses.append(client.patch(BULK, body, format="json"))
        finally:
            connections.close_all()

    release = holding(lambda: Component.objects.filter(pk=second.pk).update(supplier="Concurrent"))
    writer = threading.Thread(target=bulk_update)
    writer.start()
    wait_for_a_lock_wait()
    release()
    writer.join()
    assert responses[0].status_code == 200, responses[0].json()
    second.refresh_from_db()
    assert (second.name, second.supplier) == ("Renamed", "Concurrent")
    first.refresh_from_db()
    assert first.supplier == "Bulk"


def test_the_400_lists_each_failing_item_with_its_field_errors(api):
    make(1)
    body = [
        *items(1, start=2),
        {"name": "", "unit_cost": "-1"},
        {"name": "Taken", "part_number": "P-1"},
    ]
    response = api.post(BULK, body, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "2 of 3 failed; nothing was written.",
        "code": "invalid",
        "errors": [
            {
                "index": 1,
                "errors": {
                    "name": ["This field may not be blank."],
                    "part_number": ["This field is required."],
                    "unit_cost": ["Ensure this value is greater than or equal to 0."],
                },
            },
            {
                "index": 2,
                "errors": {"part_number": ["Component with this part number already exists."]},
            },
        ],
    }


# --- A tool's own workflow: admin-only transitions and guards, item by item ---------------


@pytest.fixture
def reviewed(swap_workflow):
    swap_workflow(Component, REVIEWED)


@pytest.mark.usefixtures("reviewed")
def test_an_admin_only_transition_in_bulk_needs_admin_for_each_item(user):
    first, second = make(1), make(2)
    body = [{"id": first.pk, "status": "ACTIVE"}, {"id": second.pk, "name": "Renamed"}]
    writer = client_for(user, "components:read", "components:write")
    response = writer.patch(BULK, body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "index": 0,
            "errors": {
                "status": [
                    "You need the 'components:admin' permission to move CMP-0001 "
                    "from Draft to Active."
                ]
            },
        }
    ]
    second.refresh_from_db()
    assert second.name == "Part 2"
    admin = client_for(user, "components:read", "components:write", "components:admin")
    assert admin.patch(BULK, body, format="json").status_code == 200


@pytest.mark.usefixtures("reviewed")
def test_a_guard_vetoes_archiving_one_item_and_nothing_is_archived(api):
    stocked, empty = make(1, quantity_on_hand=3), make(2)
    Component.objects.filter(pk__in=[stocked.pk, empty.pk]).update(status="ACTIVE")
    response = api.post(BULK + "archive/", {"ids": [empty.pk, stocked.pk]}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"index": 1, "errors": {"status": ["CMP-0001 still has 3 in stock."]}}
    ]
    assert set(Component.objects.values_list("status", flat=True)) == {"ACTIVE"}


@pytest.mark.usefixtures("reviewed")
def test_creating_in_bulk_behind_an_admin_only_transition_needs_admin(user):
    body = [{**items(1)[0], "status": "ACTIVE"}]
    writer = client_for(user, "components:read", "components:write")
    response = writer.post(BULK, body, format="json")
    assert response.json()["errors"][0]["errors"]["status"] == [
        "You need the 'components:admin' permission to move A new record from Draft to Active."
    ]
    assert not Component.objects.exists()
