"""Optimistic concurrency under real concurrency: two clients on separate
PostgreSQL connections write the same record at the same moment. (The
single-client ETag behaviour is in the generic tool tests.)"""

import threading
import time

import pytest
from django.db import connections, transaction

from apps.components.models import Component
from apps.core import services
from apps.core.models import AuditEntry, User
from apps.core.testing.api import client_for

URL = "/api/v1/components/components/"
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def slow_updates(monkeypatch):
    """Hold every update for a moment after its precondition check, so two
    writers that pass the barrier together are inside the write together."""
    update = services.update_entity

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return update(*args, **kwargs)

    monkeypatch.setattr(services, "update_entity", slow)


def patch_together(record, bodies, headers):
    """PATCH the record once per body, each from its own thread and
    connection, released together by a barrier."""
    user = User.objects.create_user(username="writer")
    barrier = threading.Barrier(len(bodies))
    results = [None] * len(bodies)

    def write(index):
        try:
            client = client_for(user, "components:read", "components:write")
            barrier.wait()
            results[index] = client.patch(
                f"{URL}{record.pk}/", bodies[index], format="json", **headers
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def record():
    return Component.objects.create(name="Sensor", part_number="S-1")


def test_of_two_writers_holding_the_same_etag_exactly_one_wins(record, slow_updates):
    etag = f'"{record.pk}-{record.version}"'
    results = patch_together(
        record, [{"supplier": "Mouser"}, {"supplier": "Farnell"}], {"HTTP_IF_MATCH": etag}
    )
    assert sorted(r.status_code for r in results) == [200, 412]
    winner = next(r for r in results if r.status_code == 200)
    loser = next(r for r in results if r.status_code == 412)
    record.refresh_from_db()
    assert record.supplier == winner.json()["supplier"]
    assert loser["ETag"] == winner["ETag"] == f'"{record.pk}-{record.version}"'
    updates = AuditEntry.objects.filter(object_id=record.pk, action="UPDATE")
    assert [e.changes["supplier"]["new"] for e in updates] == [record.supplier]


def test_writers_without_if_match_are_serialised_and_lose_no_update(record, slow_updates):
    results = patch_together(record, [{"supplier": "Mouser"}, {"quantity_on_hand": 7}], {})
    assert [r.status_code for r in results] == [200, 200]
    record.refresh_from_db()
    assert (record.supplier, record.quantity_on_hand) == ("Mouser", 7)
    assert AuditEntry.objects.filter(object_id=record.pk, action="UPDATE").count() == 2


def test_a_writer_that_waited_for_the_lock_reads_what_the_first_one_wrote(record, slow_updates):
    # A write reads its record only once it holds the record's lock: the second
    # writer's response shows the first one's change, tags included (a read
    # that joined the lock's statement would see the tags as they were when
    # that statement started, before it waited).
    results = patch_together(record, [{"tags": ["red", "blue"]}, {"quantity_on_hand": 7}], {})
    assert [r.status_code for r in results] == [200, 200]
    second = max(results, key=lambda r: int(r["ETag"].strip('"').split("-")[1]))
    assert sorted(second.json()["tags"]) == ["blue", "red"]
    assert second.json()["quantity_on_hand"] == 7
    record.refresh_from_db()
    assert (sorted(record.tag_names), record.quantity_on_hand) == (["blue", "red"], 7)


def test_a_write_whose_lock_waited_reads_its_record_as_the_writer_ahead_left_it(record):
    # The write's lock reads the record in the same statement, so its tags and
    # authors come from a snapshot taken before the wait: the record is read
    # again once the lock is held. The response shows the tags the writer
    # ahead committed, and the audit entry no change of tags.
    user = User.objects.create_user(username="writer")
    holding = threading.Event()

    def write_ahead():
        try:
            with transaction.atomic():
                ahead = Component.objects.select_for_update().get(pk=record.pk)
                services.update_entity(ahead, {"tag_names": ["red", "blue"]})
                holding.set()
                time.sleep(0.3)  # the PATCH below is waiting for the lock meanwhile
        finally:
            connections.close_all()

    thread = threading.Thread(target=write_ahead)
    thread.start()
    assert holding.wait(5)
    client = client_for(user, "components:read", "components:write")
    response = client.patch(f"{URL}{record.pk}/", {"quantity_on_hand": 7}, format="json")
    thread.join()

    assert response.status_code == 200
    assert sorted(response.json()["tags"]) == ["blue", "red"]
    assert response["ETag"] == f'"{record.pk}-{record.version + 2}"'
    latest = AuditEntry.objects.filter(object_id=record.pk).order_by("-pk").first()
    assert latest.changes == {"quantity_on_hand": {"old": 0, "new": 7}}
