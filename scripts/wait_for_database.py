"""Fail fast, with a message a person can act on, when the test database
server is not reachable. Used by `make test` before pytest starts."""

import os
import sys

import environ

url = os.environ.get("DATABASE_URL", "")
config = environ.Env.db_url_config(url) if url else {}
if config.get("ENGINE") != "django.db.backends.postgresql":
    sys.exit(0)

import psycopg  # noqa: E402

try:
    psycopg.connect(
        host=config.get("HOST") or "127.0.0.1",
        port=config.get("PORT") or 5432,
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        dbname="postgres",
        connect_timeout=5,
    ).close()
except psycopg.OperationalError as exc:
    sys.exit(
        f"PostgreSQL is not reachable for the tests ({url}).\n"
        f"Start it, or point DATABASE_URL at a server you can use. Cause: {exc}"
    )
