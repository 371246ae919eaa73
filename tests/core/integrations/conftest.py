"""Fixtures of the integrations' tests: the tests' webhook sources,
registered for each test and gone after it; a fake Linear the suite is
connected to; and a record to link."""

import pytest
from webhook_senders import (
    PARTS_SECRET,
    TRACKER_SECRET,
    PartsWebhooks,
    TrackerWebhooks,
    WebhookSender,
)

from apps.components.models import Component
from apps.core.integrations import register_webhook_source, unregister_webhook_source
from apps.core.testing.linear import connected_fake_linear


@pytest.fixture(autouse=True)
def webhook_sources(settings):
    settings.WEBHOOK_SECRET = PARTS_SECRET
    settings.TRACKER_WEBHOOK_SECRET = TRACKER_SECRET
    sources = [register_webhook_source(PartsWebhooks), register_webhook_source(TrackerWebhooks)]
    yield sources
    for source in sources:
        unregister_webhook_source(source.name)


@pytest.fixture
def sender(client):
    return WebhookSender(client)


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
