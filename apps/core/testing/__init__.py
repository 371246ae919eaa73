"""Test support every tool uses: the generic API tests and sample data."""

from apps.core.testing.api import EntityAPITestCase

__all__ = ["EntityAPITestCase"]
