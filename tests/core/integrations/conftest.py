"""Fixtures of the Linear integration's tests: a fake Linear the suite is
connected to, and a record to link."""

import pytest
from linear_fake import API_KEY, TEAM_ID, FakeLinear

from apps.components.models import Component


@pytest.fixture
def linear(settings):
    """The suite connected to a fake Linear (`linear_fake.FakeLinear`)."""
    with FakeLinear() as fake:
        settings.LINEAR_API_KEY = API_KEY
        settings.LINEAR_TEAM_ID = TEAM_ID
        settings.LINEAR_PROJECT_ID = ""
        settings.LINEAR_API_URL = fake.url
        settings.LINEAR_TIMEOUT_SECONDS = 5
        yield fake


@pytest.fixture
def record(db):
    return Component.objects.create(
        name="Sensor", part_number="S-1", description="Reads the temperature."
    )
