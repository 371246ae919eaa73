"""Every filter under every ordering of the components' list, timed, to find
the combinations PostgreSQL plans badly before users do.

A list's filters and its ordering each come from an index or not, and the
planner picks between walking the ordering's index until the page is full
and finding every match then sorting them, from what it estimates. A filter
that goes with the ordering (all the records of a tag in the last
categories, say) or a test it cannot estimate makes the walk pass most of
the table: `?category=Sensors&ordering=category` took 2 s at a million rows
until the platform read such a list one category at a time. This script
asks for the first page of each filter the list offers (a status, a
category in any case, a supplier, the rarest and the commonest tag, a
search, a range, some together) under every ordering the tool manifest says
is sortable, both directions, and prints each time, the slow ones last.

    .venv/bin/python scripts/filter_sweep.py                       # 10,000 rows
    .venv/bin/python scripts/filter_sweep.py --database scale_bench

Requests go through Django's test client in this process, DEBUG off, each
timed the second of two times (the first warms PostgreSQL's cache for it).
By default it builds a throwaway database, `measure_filter_sweep`, with the
data of `scripts/bench_api.py` (bench/million_rows.py) and drops it after;
`--database` names one that `scripts/bench_api.py --keep` left. It exits 1
if any request answers anything but 200.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from bench import million_rows  # noqa: E402

TOOL, LIST = "components", "/api/v1/components/components/"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000, help="rows of the database it builds")
    parser.add_argument("--database", help="a database kept by bench_api.py, used as it is")
    parser.add_argument(
        "--slower-than", type=float, default=300, help="ms above which a request is listed last"
    )
    return parser.parse_args(argv)


def filters(values: dict) -> dict[str, dict]:
    """The filters asked for, by name, from the values the database holds."""
    category, tags = values["category"], values["tags"]
    return {
        "none": {},
        "status": {"status": "DRAFT"},
        "category": {"category": category},
        "category, another case": {"category": category.swapcase()},
        "supplier": {"supplier": values["supplier"]},
        "rarest tag": {"tag": tags[0]},
        "commonest tag": {"tag": tags[-1]},
        "search": {"search": "relay"},
        "created after": {"created_after": values["middle"]},
        "unit cost from": {"unit_cost__gte": "500"},
        "status and category": {"status": "ACTIVE", "category": category},
        "rarest tag and status": {"tag": tags[0], "status": "DRAFT"},
    }


def orderings(client) -> list[str]:
    """The default and, both ways, each field the tool manifest says is sortable."""
    manifest = client.get("/api/v1/tools/").json()
    [tool] = [tool for tool in manifest["tools"] if tool["slug"] == TOOL]
    fields = [field["name"] for field in tool["entities"][0]["fields"] if field["sortable"]]
    return ["", *(f"{sign}{name}" for name in fields for sign in ("", "-"))]


def sweep(client, asked: dict[str, dict], orders: list[str]):
    """(filter, ordering, status, ms) of each first page, timed the second time."""
    for name, params in asked.items():
        for ordering in orders:
            query = {**params, **({"ordering": ordering} if ordering else {})}
            client.get(LIST, query)
            started = time.perf_counter()
            response = client.get(LIST, query)
            yield (
                name,
                ordering or "(default)",
                response.status_code,
                (time.perf_counter() - started) * 1000,
            )


def _values() -> dict:
    """A category (of the middle), the supplier of most records, the tags
    from the rarest to the commonest, and the middle of the records' times."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT category FROM components_component ORDER BY 1")
        categories = [category for (category,) in cursor.fetchall() if category]
        cursor.execute(
            "SELECT supplier FROM components_component GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        )
        (supplier,) = cursor.fetchone()
        cursor.execute(
            "SELECT tag.name FROM core_tag tag JOIN components_component_tags link "
            "ON link.tag_id = tag.id GROUP BY 1 ORDER BY count(*), 1"
        )
        tags = [tag for (tag,) in cursor.fetchall()]
        cursor.execute(
            "SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY created_at) "
            "FROM components_component"
        )
        (middle,) = cursor.fetchone()
    return {
        "category": categories[len(categories) // 2],
        "supplier": supplier,
        "tags": tags,
        "middle": middle.isoformat(),
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    with million_rows.measured_database(args.database, "measure_filter_sweep", args.rows):
        from throwaway_database import api_client

        client = api_client(f"{TOOL}:read")
        asked, orders = filters(_values()), orderings(client)
        print(f"{len(asked)} filters under {len(orders)} orderings", flush=True)
        answers = []
        for answer in sweep(client, asked, orders):
            answers.append(answer)
            print("{:24} {:20} {} {:9.1f} ms".format(*answer), flush=True)
    return report(answers, args.slower_than)


def report(answers: list, slower_than: float) -> int:
    """The median, the slow ones slowest first, and whether any failed."""
    times = [ms for *_, ms in answers]
    print(f"\nmedian {statistics.median(times):.1f} ms, slowest {max(times):.1f} ms")
    slow = sorted((a for a in answers if a[3] > slower_than), key=lambda a: -a[3])
    print(f"{len(slow)} slower than {slower_than:.0f} ms:")
    for answer in slow:
        print("  {:24} {:20} {} {:9.1f} ms".format(*answer))
    failed = [answer for answer in answers if answer[2] != 200]
    for answer in failed:
        print("failed: {:24} {:20} {}".format(*answer[:3]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
