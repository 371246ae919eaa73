"""An app server's process collects cyclic garbage between requests
(apps/core/garbage.py): what the requests before made is freed as the next
one starts, the older generations on CPython's schedule, and the automatic
collector still guards a request that makes a great many objects."""

import gc
import weakref

import pytest
from django.core.signals import request_started

from apps.core import garbage


class Node:
    """An object in a reference cycle: only the cyclic collector frees it."""

    def __init__(self):
        self.me = self


def garbage_cycles(count: int) -> weakref.ref:
    """`count` unreachable cycles; a weak reference to one of them."""
    nodes = [Node() for _ in range(count)]
    return weakref.ref(nodes[0])


@pytest.fixture
def between_requests():
    thresholds = gc.get_threshold()
    garbage.collect_between_requests()
    gc.collect()  # every generation's count starts at 0
    yield
    request_started.disconnect(dispatch_uid=garbage.__name__)
    gc.set_threshold(*thresholds)


def test_what_the_requests_before_made_is_freed_as_the_next_starts(between_requests, client):
    cycle = garbage_cycles(garbage.BETWEEN_REQUESTS)
    assert cycle() is not None  # no collection within a request

    assert client.get("/health").status_code == 200
    assert cycle() is None


def test_a_few_new_objects_wait_for_a_later_request(between_requests, client):
    cycle = garbage_cycles(10)
    client.get("/health")
    assert cycle() is not None

    garbage_cycles(garbage.BETWEEN_REQUESTS)
    client.get("/health")
    assert cycle() is None


def test_the_older_generations_are_collected_on_cpythons_schedule(between_requests, client):
    generations = []

    def record(phase, info):
        if phase == "start":
            generations.append(info["generation"])

    gc.callbacks.append(record)
    try:
        for _ in range(12 * 11 + 1):
            garbage_cycles(garbage.BETWEEN_REQUESTS)
            client.get("/health")
    finally:
        gc.callbacks.remove(record)

    # Once a generation has been collected more often than its threshold
    # (10) since the one above it was, the next collection takes that one too.
    assert generations == ([0] * 11 + [1]) * 11 + [2]


def test_a_request_making_a_great_many_objects_is_still_collected_within_it(between_requests):
    assert gc.isenabled()
    cycle = garbage_cycles(10)
    garbage_cycles(garbage.REQUEST_THRESHOLD + 1)  # no request starts
    assert cycle() is None
