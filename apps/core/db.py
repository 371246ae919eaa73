"""Database connections, set up as Django opens them.

Timestamps on PostgreSQL. Django reads every `timestamptz` through its own
psycopg loader, a subclass of psycopg's pure-Python one (psycopg's C loader
cannot be subclassed), which parses the server's text in about 3 µs; a list
page reads a hundred of them. In a UTC session — Django's with `USE_TZ` and
no database `TIME_ZONE` — the server writes `2026-11-26 13:16:25.354511+00`,
which `datetime.fromisoformat` reads to the same value in 0.2 µs. Whatever it
does not read as UTC (a date BC, `infinity`, a year past 9999) goes to
Django's loader, as before.
"""

import datetime

from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from django.db.backends.signals import connection_created
from django.dispatch import receiver


class UtcTimestamptzLoader(BaseTzLoader):
    timezone = datetime.UTC

    def load(self, data):
        try:
            value = datetime.datetime.fromisoformat(str(data, "ascii"))
        except ValueError:
            return super().load(data)
        return value if value.tzinfo is datetime.UTC else super().load(data)


@receiver(connection_created)
def read_utc_timestamps_fast(sender, connection, **kwargs):
    if (
        connection.vendor == "postgresql"
        and connection.timezone is datetime.UTC
        and connection.timezone_name == "UTC"
    ):
        connection.connection.adapters.register_loader("timestamptz", UtcTimestamptzLoader)
