"""Fixtures of the activity feed's tests."""

import pytest
from feed_entries import installed


@pytest.fixture
def inventory(monkeypatch):
    """A second tool, `inventory`, with one entity type."""
    return installed(monkeypatch, "inventory", "item")
