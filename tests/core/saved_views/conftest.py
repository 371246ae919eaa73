"""Fixtures of the saved views' tests: the people who save and read them."""

import pytest

from apps.core.models import User
from apps.core.testing.api import client_for


@pytest.fixture
def alice(user):
    """The owner of the views: reads both tools."""
    return client_for(user, "components:read", "testing:read")


@pytest.fixture
def bob_user(db):
    return User.objects.create_user(username="bob", first_name="Bob", last_name="Reader")


@pytest.fixture
def bob(bob_user):
    """Another reader of the components."""
    return client_for(bob_user, "components:read")


@pytest.fixture
def carol(db):
    """A reader of the test runs only, not of the components."""
    user = User.objects.create_user(username="carol")
    return client_for(user, "testing:read")
