"""The entity queryset's set-based writes (`EntityQuerySet.update()` and
`bulk_update()`, under the API's bulk writes and the admin's actions): each
record that changes written and audited once, with its tags; on PostgreSQL
in one `UPDATE` (`row_updates.changed_rows`), which must write and audit as
Django's own path does."""

import datetime
import json
import random
import uuid
from decimal import Decimal
from unittest import mock

import pytest
from django.db import DataError, connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from apps.components.models import Component
from apps.core import audit
from apps.core.context import acting_as
from apps.core.models import AuditEntry, queryset
from apps.testing import models as testing

pytestmark = pytest.mark.django_db


def make(n, **fields):
    return Component.objects.create(name=f"Part {n}", part_number=f"P-{n}", **fields)


def test_queryset_bulk_update_writes_and_audits_tags_with_the_fields(user):
    renamed, retagged = make(1), make(2)
    renamed.name = "Renamed"
    renamed.set_tags(["kept"])
    retagged.set_tags(["New", "other"])
    with acting_as(user, request_id=uuid.uuid4()):
        Component.objects.bulk_update([renamed, retagged], ["name"])
    entries = {e.object_id: e.changes for e in AuditEntry.objects.filter(action="UPDATE")}
    assert entries[renamed.pk] == {
        "name": {"old": "Part 1", "new": "Renamed"},
        "tags": {"old": [], "new": ["kept"]},
    }
    assert entries[retagged.pk] == {"tags": {"old": [], "new": ["New", "other"]}}
    retagged.refresh_from_db()
    assert retagged.tag_names == ["New", "other"]
    assert retagged.version == 2


def test_queryset_bulk_update_of_unchanged_tags_writes_nothing():
    record = make(1)
    record.set_tags(["same"])
    record.save()
    entries = AuditEntry.objects.filter(object_id=record.pk).count()
    record.set_tags(["SAME"])
    Component.objects.bulk_update([record], [])
    assert AuditEntry.objects.filter(object_id=record.pk).count() == entries
    record.refresh_from_db()
    assert (record.version, record.tag_names) == (2, ["same"])


def updates_of(record) -> list[dict]:
    return [
        entry.changes
        for entry in AuditEntry.objects.filter(object_id=record.pk, action="UPDATE").order_by("id")
    ]


def test_queryset_bulk_update_writes_only_the_records_that_change(user):
    changed, same = make(1, supplier="Old"), make(2, supplier="Same")
    changed.supplier, same.supplier = "New", "Same"
    with acting_as(user):
        assert Component.objects.bulk_update([changed, same], ["supplier"]) == 2
    changed.refresh_from_db()
    same.refresh_from_db()
    assert (changed.supplier, changed.version, changed.updated_by) == ("New", 2, user)
    assert (same.version, same.updated_by) == (1, None)
    assert updates_of(changed) == [{"supplier": {"old": "Old", "new": "New"}}]
    assert updates_of(same) == []
    assert (changed.history.count(), same.history.count()) == (2, 1)


def test_a_decimal_beyond_its_column_s_places_is_no_change_once_rounded(user):
    record = make(1, unit_cost="1.23")
    with acting_as(user):
        Component.objects.filter(pk=record.pk).update(unit_cost="1.2300001")
    record.refresh_from_db()
    assert (record.unit_cost, record.version, updates_of(record)) == (Decimal("1.23"), 1, [])
    with acting_as(user):
        Component.objects.filter(pk=record.pk).update(unit_cost=Decimal("1.236"))
    record.refresh_from_db()
    assert (record.unit_cost, record.version) == (Decimal("1.24"), 2)
    assert updates_of(record) == [{"unit_cost": {"old": "1.23", "new": "1.24"}}]


def test_an_update_by_an_expression_is_audited_per_record(user):
    first, second = make(1, quantity_on_hand=1), make(2, quantity_on_hand=5)
    with acting_as(user):
        Component.objects.update(quantity_on_hand=F("quantity_on_hand") + 1)
    assert updates_of(first) == [{"quantity_on_hand": {"old": 1, "new": 2}}]
    assert updates_of(second) == [{"quantity_on_hand": {"old": 5, "new": 6}}]


def test_a_status_written_in_bulk_keeps_archived_at_with_it(user):
    archived, active = make(1), make(2)
    with acting_as(user):
        Component.objects.filter(pk=archived.pk).update(status="ARCHIVED")
        archived.refresh_from_db()
        since = archived.archived_at
        # Still archived, renamed: archived_at stays; restored: cleared.
        archived.name, active.status = "Renamed", "ARCHIVED"
        Component.objects.bulk_update([archived, active], ["name", "status"])
    archived.refresh_from_db()
    active.refresh_from_db()
    assert (archived.name, archived.archived_at) == ("Renamed", since)
    assert active.archived_at is not None
    with acting_as(user):
        Component.objects.update(status="ACTIVE")
    assert list(Component.objects.values_list("archived_at", flat=True)) == [None, None]
    assert AuditEntry.objects.filter(action="RESTORE").count() == 2


def test_a_link_to_another_record_is_written_in_bulk_and_audited(user):
    first, second = make(1), make(2)
    runs = [
        testing.TestRun.objects.create(name=f"Run {n}", component=first, measured_value="1.5")
        for n in range(2)
    ]
    with acting_as(user):
        testing.TestRun.objects.update(component=second)
    for run in runs:
        run.refresh_from_db()
        assert run.component == second
        assert updates_of(run) == [{"component": {"old": first.pk, "new": second.pk}}]
    runs[0].component, runs[0].measured_value = first, Decimal("2.5")
    with acting_as(user):
        testing.TestRun.objects.bulk_update(runs, ["component", "measured_value"])
    assert updates_of(runs[0])[-1] == {
        "component": {"old": second.pk, "new": first.pk},
        "measured_value": {"old": "1.5000", "new": "2.5000"},
    }
    assert len(updates_of(runs[1])) == 1


@pytest.mark.postgres
def test_a_bulk_update_writes_its_rows_and_their_bookkeeping_in_one_statement(user):
    records = [make(n) for n in range(3)]
    for record in records:
        record.supplier = "Mouser"
    with acting_as(user), CaptureQueriesContext(connection) as queries:
        Component.objects.bulk_update(records, ["supplier"])
    writes = [q["sql"].split()[0] for q in queries.captured_queries]
    assert writes.count("UPDATE") == 1
    assert writes.count("SELECT") == 1  # the rows locked, as they were


@pytest.mark.postgres
def test_a_value_too_long_for_its_column_fails_and_writes_nothing(user):
    record = make(1, supplier="Old")
    record.supplier = "x" * 256
    with acting_as(user), pytest.raises(DataError), transaction.atomic():
        Component.objects.bulk_update([record], ["supplier"])
    record.refresh_from_db()
    assert (record.supplier, record.version, updates_of(record)) == ("Old", 1, [])


@pytest.mark.parametrize(
    ("objs", "fields", "message"),
    [
        (lambda: [Component(name="Unsaved")], ["name"], "must have a primary key set"),
        (lambda: [make(1)], ["id"], "cannot be used with primary key fields"),
        (lambda: [make(1)], ["tags"], "can only be used with concrete fields"),
    ],
    ids=["an unsaved record", "the primary key", "a many-to-many field"],
)
def test_queryset_bulk_update_refuses_what_django_refuses(objs, fields, message):
    with pytest.raises(ValueError, match=message):
        Component.objects.bulk_update(objs(), fields)


def random_values(rng, components) -> dict:
    """Values for each field a user changes of a test run, some equal to
    others as stored (1.5 and 1.5000), some empty."""
    executed = datetime.datetime(2025, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    return {
        "name": rng.choice(["Run", "Ünïcode ✓", "x" * 200]),
        "description": rng.choice(["", "multi\nline"]),
        "category": rng.choice(["", "Thermal", "Vibration"]),
        "status": rng.choice(["PENDING", "RUNNING", "ARCHIVED"]),
        "measured_value": rng.choice([None, Decimal("1.5"), Decimal("1.5000"), Decimal("2.25")]),
        "unit": rng.choice(["", "mV"]),
        "result": rng.choice(["", "ok"]),
        "component": rng.choice(components),
        "executed_at": rng.choice([None, executed]),
    }


def written(runs) -> tuple[list, list]:
    """What the rows and their audit entries hold, with ids counted from the
    first run's (the two writes are compared on two sets of runs)."""
    first, pks = runs[0].pk, [run.pk for run in runs]
    tracked = audit.tracked_fields(testing.TestRun)
    rows = [
        (
            row.pk - first,
            row.version,
            row.archived_at is None,
            row.updated_by_id,
            *(getattr(row, field.attname) for field in tracked),
        )
        for row in testing.TestRun.objects.filter(pk__in=pks).order_by("pk")
    ]
    entries = AuditEntry.objects.filter(object_id__in=pks).exclude(action="CREATE")
    return rows, sorted(
        (e.object_id - first, e.action, json.dumps(e.changes, sort_keys=True)) for e in entries
    )


@pytest.mark.parametrize("seed", range(4))
def test_one_update_and_djangos_two_write_and_audit_alike(user, seed):
    """The one-statement write (`row_updates.changed_rows`, PostgreSQL) and
    Django's, with a second update for the bookkeeping, leave the same rows,
    versions, archive times and audit entries after rounds of random
    updates, in bulk and by value."""
    components = [make(n) for n in range(2)]
    outcomes = []
    for one_statement in (True, False):
        rng = random.Random(seed)
        runs = [
            testing.TestRun.objects.create(name=f"Run {n}", component=components[0])
            for n in range(6)
        ]
        writes = queryset.changed_rows if one_statement else lambda *args, **kwargs: None
        with acting_as(user), mock.patch.object(queryset, "changed_rows", writes):
            for _ in range(3):
                names = sorted(random_values(rng, components))
                fields = rng.sample(names, rng.randrange(1, len(names) + 1))
                for run in runs:
                    for name, value in random_values(rng, components).items():
                        if name in fields:
                            setattr(run, name, value)
                testing.TestRun.objects.bulk_update(runs, fields)
                values = random_values(rng, components)
                testing.TestRun.objects.filter(pk__in=[run.pk for run in runs[:3]]).update(
                    **{name: values[name] for name in fields[:2]}
                )
        outcomes.append(written(runs))
    assert outcomes[0] == outcomes[1]
