"""A throwaway PostgreSQL database for the measurement scripts: created empty
and migrated before a measurement, dropped after it.

`recreate()` is the one way every measurement script (this module's users,
`bench_api.py` through `bench/million_rows.py`, `scale_check.py`) drops and
creates its databases. Only a database whose name says it is throwaway
("measure", "bench" or "scale" in it) is ever dropped, so a database URL
pointing at real data by mistake is refused, not emptied.
"""

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bulk_measure"


def environment(database_url: str) -> dict:
    """The settings a measurement runs with: production-like, no DEBUG."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "measurement-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "DEBUG": "false",
        "DEV_MODE": "false",
        # Plain HTTP on this machine: no redirect to HTTPS.
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "testserver",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "suite.settings",
    }


# A database the scripts may drop has one of these in its name.
THROWAWAY_MARKERS = ("measure", "bench", "scale")


def recreate(database_url: str, *, create: bool = True):
    """Drop the PostgreSQL database at `database_url`, then create it again,
    empty (only drop it when not `create`)."""
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if parts.scheme not in ("postgres", "postgresql") or not any(
        marker in name for marker in THROWAWAY_MARKERS
    ):
        markers = ", ".join(f"*{marker}*" for marker in THROWAWAY_MARKERS)
        raise SystemExit(f"Refusing {database_url}: use a PostgreSQL database named {markers}.")
    server = parts._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if create:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django(database_url: str):
    os.environ.update(environment(database_url))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


@contextmanager
def throwaway_database(database_url: str, keep: bool = False):
    """An empty, migrated database at `database_url` for the block; dropped
    afterwards unless `keep`. Django is set up to use it."""
    recreate(database_url)
    setup_django(database_url)
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    try:
        yield
    finally:
        connections.close_all()
        if not keep:
            recreate(database_url, create=False)


def api_client(*permissions: str):
    """An API client acting as a measurement user with `permissions`."""
    from rest_framework.test import APIClient

    from apps.core.models import User
    from apps.core.permissions import Grants

    user, _ = User.objects.get_or_create(username="measure", first_name="Measure")
    client = APIClient()
    client.force_authenticate(user, token=Grants(frozenset(permissions)))
    return client
