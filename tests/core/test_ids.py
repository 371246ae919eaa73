"""Human-readable ids: CMP-0001, race-free, never reused, no gaps after rollbacks."""

import threading
from types import SimpleNamespace

import pytest
from django.db import IntegrityError, connection, connections, transaction

from apps.components.models import Component
from apps.core.checks import prefix_errors
from apps.core.models import IdCounter, format_public_id


def make(n, **fields):
    return Component.objects.create(name=f"Part {n}", part_number=f"P-{n}", **fields)


def test_public_ids_are_zero_padded_to_four_digits_and_grow_past_9999():
    assert format_public_id("CMP", 1) == "CMP-0001"
    assert format_public_id("CMP", 9999) == "CMP-9999"
    assert format_public_id("CMP", 10000) == "CMP-10000"


@pytest.mark.django_db
def test_ids_are_allocated_in_order_per_prefix():
    assert [make(n).public_id for n in range(3)] == ["CMP-0001", "CMP-0002", "CMP-0003"]


@pytest.mark.django_db
def test_numbering_continues_past_9999():
    IdCounter.objects.create(prefix="CMP", last_number=9999)
    assert make(1).public_id == "CMP-10000"


@pytest.mark.django_db
def test_numbers_are_never_reused_after_a_delete():
    make(1)
    last = make(2)
    last.delete()
    assert make(3).public_id == "CMP-0003"


@pytest.mark.django_db
def test_a_rolled_back_create_leaves_no_gap():
    make(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        make(2)
        raise RuntimeError("abandon the create")
    assert make(3).public_id == "CMP-0002"


@pytest.mark.django_db
def test_the_database_refuses_a_public_id_twice():
    first, second = make(1), make(2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Component._base_manager.filter(pk=second.pk).update(public_id=first.public_id)


@pytest.mark.django_db
def test_bulk_create_allocates_a_consecutive_block():
    records = Component.objects.bulk_create(
        [Component(name=f"Part {n}", part_number=f"B-{n}") for n in range(3)]
    )
    assert [r.public_id for r in records] == ["CMP-0001", "CMP-0002", "CMP-0003"]
    assert make(9).public_id == "CMP-0004"


@pytest.mark.django_db(transaction=True)
def test_allocation_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        IdCounter.objects.allocate("CMP")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_on_separate_connections_get_distinct_ids():
    """200 creates from 8 threads, each with its own PostgreSQL connection."""
    errors, barrier = [], threading.Barrier(8)

    def create_many(thread):
        try:
            barrier.wait()
            for n in range(25):
                make(f"{thread}-{n}")
        except Exception as exc:  # reported below with its thread
            errors.append((thread, exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create_many, args=(t,)) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    ids = list(Component.objects.values_list("public_id", flat=True))
    assert len(ids) == len(set(ids)) == 200
    assert sorted(ids) == [format_public_id("CMP", n) for n in range(1, 201)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_concurrent_rollback_leaves_no_gap_among_committed_rows():
    started, release = threading.Event(), threading.Event()

    def abandoned_create():
        try:
            with transaction.atomic():
                make("abandoned")
                started.set()
                release.wait(5)
                transaction.set_rollback(True)
        finally:
            connections.close_all()

    worker = threading.Thread(target=abandoned_create)
    worker.start()
    started.wait(5)
    waiter = threading.Thread(target=lambda: (make("kept"), connections.close_all()))
    waiter.start()  # queues on the counter row until the first transaction ends
    release.set()
    worker.join()
    waiter.join()
    assert list(Component.objects.values_list("public_id", flat=True)) == ["CMP-0001"]
    assert connection.vendor == "postgresql"


def fake_entity(label, prefix):
    return type("Fake", (), {"id_prefix": prefix, "_meta": SimpleNamespace(label=label)})


def test_prefix_check_rejects_malformed_and_duplicate_prefixes():
    errors = prefix_errors(
        [
            fake_entity("a.Lower", "cmp"),
            fake_entity("alpha.Thing", "ABC"),
            fake_entity("beta.Other", "ABC"),
        ]
    )
    assert [e.id for e in errors] == ["core.E001", "core.E002"]
    assert "a.Lower" in errors[0].msg
    assert "alpha.Thing" in errors[1].msg
    assert "beta.Other" in errors[1].msg


def test_installed_tools_pass_the_prefix_check():
    from apps.core.checks import check_id_prefixes

    assert check_id_prefixes() == []
