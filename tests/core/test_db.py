"""Timestamps read on PostgreSQL (`apps.core.db`): the fast reader gives
what Django's loader gives, for every value the server can send."""

import datetime

import pytest
from django.db import DataError, connection
from django.db.backends.postgresql.psycopg_any import BaseTzLoader

from apps.components.models import Component
from apps.core.db import UtcTimestamptzLoader

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

VALUES = [
    "2026-11-26 13:16:25.354511+00",
    "2026-11-26 13:16:25+00",
    "2026-11-26 13:16:25.5+05:30",  # another offset, given back in UTC
    "0099-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
    "0044-03-15 12:00:00+00 BC",  # out of Python's range: Django's error
    "infinity",
]


def read(sql, loader):
    raw = connection.connection
    raw.adapters.register_loader("timestamptz", loader)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]
    except DataError as error:
        return type(error)
    finally:
        raw.adapters.register_loader("timestamptz", UtcTimestamptzLoader)


class DjangosOwn(BaseTzLoader):
    timezone = datetime.UTC


@pytest.mark.parametrize("text", VALUES)
def test_a_timestamp_reads_as_djangos_loader_reads_it(text):
    sql = f"SELECT '{text}'::timestamptz"
    ours, djangos = read(sql, UtcTimestamptzLoader), read(sql, DjangosOwn)
    assert ours == djangos
    if isinstance(ours, datetime.datetime):
        assert ours.tzinfo is djangos.tzinfo is datetime.UTC


def test_connections_read_timestamps_with_it(user):
    Component.objects.create(name="Sensor", part_number="P-1")
    loader = connection.connection.adapters.get_loader(
        connection.connection.adapters.types["timestamptz"].oid, 0
    )
    assert loader is UtcTimestamptzLoader
    record = Component.objects.get()
    assert record.created_at.tzinfo is datetime.UTC
