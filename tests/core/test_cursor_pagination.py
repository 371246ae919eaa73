"""Cursor pagination over fields that may be empty, and over links: every
record exactly once, empty values last going up and first going down, on
every database. (The generic tests page every ordering of every tool; their
sample records have every field filled.)"""

import datetime

import pytest

from apps.components.models import Component
from apps.core.api.filters import EntityOrderingFilter
from apps.testing import models as testing  # (a class named Test… would be collected)

RUNS = "/api/v1/testing/test-runs/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def runs():
    parts = [Component.objects.create(name=f"Part {n}", part_number=f"P-{n}") for n in range(2)]
    start = datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC)
    created = []
    for n in range(7):
        executed_at = start + datetime.timedelta(days=n % 3) if n % 2 else None
        created.append(
            testing.TestRun.objects.create(
                name=f"Run {n}", component=parts[n % 2], executed_at=executed_at
            )
        )
    return created


def walk(api, ordering) -> list[str]:
    body = api.get(RUNS, {"ordering": ordering, "cursor": "", "limit": 2}).json()
    seen = [row["public_id"] for row in body["results"]]
    while body["next"]:
        body = api.get(body["next"]).json()
        seen += [row["public_id"] for row in body["results"]]
    return seen


def expected(runs, key, descending):
    """Empty values as if greater than any value; ties newest (highest id) first."""
    filled = sorted(
        (r for r in runs if key(r) is not None),
        key=lambda r: (key(r), -r.pk if not descending else r.pk),
        reverse=descending,
    )
    empty = sorted((r for r in runs if key(r) is None), key=lambda r: -r.pk)
    ordered = empty + filled if descending else filled + empty
    return [r.public_id for r in ordered]


@pytest.mark.parametrize("descending", [False, True])
def test_empty_values_sort_as_greatest_and_every_record_comes_once(api, runs, descending):
    ordering = "-executed_at" if descending else "executed_at"
    assert walk(api, ordering) == expected(runs, lambda r: r.executed_at, descending)


@pytest.mark.parametrize("descending", [False, True])
def test_a_link_orders_by_the_linked_records_id(api, runs, descending):
    ordering = "-component" if descending else "component"
    assert walk(api, ordering) == expected(runs, lambda r: r.component_id, descending)


def test_previous_links_walk_back_over_empty_values(api, runs):
    first = api.get(RUNS, {"ordering": "executed_at", "cursor": "", "limit": 3}).json()
    pages = [first]
    while pages[-1]["next"]:
        pages.append(api.get(pages[-1]["next"]).json())
    back = [pages[-1]]
    while back[-1]["previous"]:
        back.append(api.get(back[-1]["previous"]).json())
    assert [p["results"] for p in reversed(back)] == [p["results"] for p in pages]


@pytest.mark.parametrize(
    ("model_ordering", "expected"),
    [
        (("-created_at", "-id"), ("status", "-created_at", "-id")),
        # A tool ordered otherwise still has its ties broken by the key.
        (("name",), ("status", "name", "-id")),
    ],
)
def test_an_ordering_breaks_ties_by_the_lists_order_then_the_key(
    monkeypatch, model_ordering, expected
):
    monkeypatch.setattr(Component._meta, "ordering", list(model_ordering))
    ordering = EntityOrderingFilter(fields=["status", "name"])
    assert ordering.filter(Component.objects.all(), ["status"]).query.order_by == expected
    assert ordering.filter(Component.objects.all(), ["-name"]).query.order_by[-1] == "-id"
