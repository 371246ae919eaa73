"""`scripts/filter_sweep.py` end to end, on a few hundred rows: it builds its
database, asks for every filter under every sortable ordering the tool
manifest names, both ways, prints each and drops the database. A filter or
an ordering the list stops accepting fails it (anything but a 200)."""

import psycopg
import pytest

from tests.scripts import database_server, run_script

pytestmark = pytest.mark.postgres

FILTERS = 12


def test_the_sweep_asks_for_every_filter_under_every_ordering_and_drops_its_database():
    printed = run_script("filter_sweep.py", "--rows", "300", "--slower-than", "100000")
    header = next(line for line in printed.splitlines() if " under " in line)
    assert header.startswith(f"{FILTERS} filters under ")
    orderings = int(header.split(" under ")[1].split()[0])
    assert orderings > 20  # the default, and each sortable field both ways
    answers = [line for line in printed.splitlines() if line.endswith(" ms") and " 200 " in line]
    assert len(answers) == FILTERS * orderings
    for ordering in ("(default)", "category", "-category", "-unit_cost", "name"):
        assert sum(line.split()[-4] == ordering for line in answers) == FILTERS
    assert "0 slower than 100000 ms:" in printed
    with psycopg.connect(f"{database_server()}/postgres") as connection:
        left = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = 'measure_filter_sweep'"
        ).fetchall()
    assert not left


def test_the_report_lists_the_slow_slowest_first_and_fails_on_anything_but_200(capsys):
    from scripts import filter_sweep

    answers = [
        ("none", "(default)", 200, 12.0),
        ("status", "name", 200, 450.0),
        ("category", "-category", 200, 2100.0),
        ("search", "name", 400, 3.0),
    ]
    assert filter_sweep.report(answers, slower_than=300) == 1
    printed = capsys.readouterr().out
    slow = printed[printed.index("2 slower than 300 ms:") :].splitlines()[1:3]
    assert [line.split()[0] for line in slow] == ["category", "status"]
    assert "failed: search" in printed
    assert filter_sweep.report(answers[:3], slower_than=300) == 0
