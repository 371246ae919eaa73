import pytest

# Plain-assert failures in the generic tool tests show their values too.
pytest.register_assert_rewrite("apps.core.testing")

from apps.core.api.manifest import forget_manifests  # noqa: E402
from apps.core.models import User  # noqa: E402
from apps.core.testing.api import client_for  # noqa: E402


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests (real concurrency, row locks) skip on SQLite."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (run `make test`)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True, scope="session")
def _files_in_a_folder_of_the_run(tmp_path_factory):
    """Attachments' files are kept in a folder of the test run, not var/media."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(autouse=True)
def _table_sizes_read_afresh():
    """A table's size, which a process reads once a minute, is not carried
    from one test to the next (`counts.table_size`)."""
    from apps.core.api.counts import forget_table_sizes

    yield
    forget_table_sizes()


@pytest.fixture(autouse=True)
def _linear_not_configured(settings):
    """No test reaches the real Linear, whatever the environment says: a test
    of the integration points it at a fake server of its own."""
    settings.LINEAR_API_KEY = settings.LINEAR_TEAM_ID = ""
    settings.LINEAR_API_URL = "http://127.0.0.1:9/graphql"


@pytest.fixture
def user(db):
    return User.objects.create_user(
        username="alice", email="alice@example.com", first_name="Alice", last_name="Tester"
    )


@pytest.fixture
def admin_client(client):
    """The Django admin, signed in as a superuser (in place of pytest-django's own)."""
    client.force_login(User.objects.create_superuser("root", "root@example.com", "pw-for-tests"))
    return client


@pytest.fixture
def swap_workflow(monkeypatch):
    """`swap_workflow(model, workflow)`: the model has that workflow for the
    test, and the manifests (made once per process) follow it, then forget it."""

    def swap(model, workflow):
        monkeypatch.setattr(model, "workflow", workflow)
        forget_manifests()

    yield swap
    forget_manifests()


@pytest.fixture
def writer(user):
    """An API client that may read and write components, and no more."""
    return client_for(user, "components:read", "components:write")


@pytest.fixture
def admin(user):
    """An API client that may do anything to components, and no more."""
    return client_for(user, "components:read", "components:write", "components:admin")


@pytest.fixture
def api(user):
    """An API client with every permission on every tool."""
    return client_for(user, "*:read", "*:write", "*:admin")
