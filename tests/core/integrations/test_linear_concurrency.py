"""Two requests to link one record at the same moment, on separate
PostgreSQL connections: Linear is asked once, and the second request finds
the first one's link."""

import threading
import time

import pytest
from django.db import connections

from apps.core.models import LinearIssueLink
from apps.core.testing.api import client_for
from tests.locks import wait_for_a_lock_wait

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_requests_make_one_issue(user, record, linear):
    url = f"/api/v1/components/components/{record.pk}/linear-issue/"
    statuses = []

    def link():
        try:
            client = client_for(user, "components:read", "components:write")
            statuses.append(client.post(url, {}, format="json").status_code)
        finally:
            connections.close_all()

    linear.released.clear()  # Linear holds its answer to the first request
    first, second = threading.Thread(target=link), threading.Thread(target=link)
    first.start()
    deadline = time.monotonic() + 10
    while not linear.calls and time.monotonic() < deadline:
        time.sleep(0.01)
    second.start()
    wait_for_a_lock_wait(waiting_for="the record's row lock, held across the call to Linear")
    linear.released.set()
    first.join(10)
    second.join(10)
    assert sorted(statuses) == [201, 409]
    assert len(linear.calls) == 1
    assert LinearIssueLink.objects.count() == 1
