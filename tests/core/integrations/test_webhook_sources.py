"""Registering webhook sources: a name once, by one class; the same class
again, as a second run of an app's `ready()` does, is kept."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from apps.core.integrations import (
    WebhookSource,
    register_webhook_source,
    unregister_webhook_source,
    webhook_source,
)
from apps.core.integrations.linear_webhooks import LinearWebhooks


class Feed(WebhookSource):
    name = "feed"

    def handle(self, delivery):
        pass


class OtherFeed(Feed):
    pass


class Misnamed(Feed):
    name = "Feed_1"


@pytest.fixture
def feed():
    yield register_webhook_source(Feed)
    unregister_webhook_source("feed")


def test_the_platform_registers_linears_source():
    assert type(webhook_source("linear")) is LinearWebhooks


def test_a_class_registered_again_is_kept(feed):
    assert register_webhook_source(Feed) is feed
    assert webhook_source("feed") is feed


def test_a_name_taken_by_another_class_is_refused(feed):
    with pytest.raises(ImproperlyConfigured, match="registered by both Feed and OtherFeed"):
        register_webhook_source(OtherFeed)
    assert webhook_source("feed") is feed


def test_a_name_that_cannot_be_a_path_segment_is_refused():
    with pytest.raises(ImproperlyConfigured, match="'Feed_1'"):
        register_webhook_source(Misnamed)
    assert webhook_source("Feed_1") is None
