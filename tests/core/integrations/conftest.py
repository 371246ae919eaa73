"""Fixtures of the Linear integration's tests: a fake Linear the suite is
connected to, and a record to link."""

import pytest

from apps.components.models import Component
from apps.core.testing.linear import connected_fake_linear


@pytest.fixture
def linear(settings):
    """The suite connected to a fake Linear (`apps.core.testing.linear`)."""
    with connected_fake_linear(settings) as fake:
        yield fake


@pytest.fixture
def record(db):
    return Component.objects.create(
        name="Sensor", part_number="S-1", description="Reads the temperature."
    )
