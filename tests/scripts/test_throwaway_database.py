"""The measurement scripts' one way of dropping and creating databases
(scripts/throwaway_database.py): only a database named as throwaway."""

import os

import psycopg
import pytest

from scripts.throwaway_database import recreate
from tests.scripts import database_server

SERVER = "postgres://postgres@127.0.0.1:5432"


@pytest.mark.parametrize(
    "url",
    [f"{SERVER}/toolsuite", f"{SERVER}/postgres", "sqlite:///var/measure.sqlite3"],
)
def test_a_database_not_named_as_throwaway_is_refused(url):
    with pytest.raises(SystemExit, match="Refusing"):
        recreate(url)


@pytest.mark.postgres
def test_a_throwaway_database_is_made_empty_and_dropped():
    name = f"measure_throwaway_test_{os.getpid()}"  # this run's own
    url = f"{database_server()}/{name}"

    def exists():
        with psycopg.connect(f"{database_server()}/postgres") as connection:
            row = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
        return row is not None

    recreate(url)
    with psycopg.connect(url) as connection:
        connection.execute("CREATE TABLE leftover (id int)")
    recreate(url)
    with psycopg.connect(url) as connection:
        tables = connection.execute("SELECT count(*) FROM pg_tables WHERE tablename = 'leftover'")
        assert tables.fetchone() == (0,)
    recreate(url, create=False)
    assert not exists()
