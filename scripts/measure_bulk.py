"""Measure the bulk writes through the real views: queries and wall time of
`POST …/bulk/` with 10 and 1,000 components, and of `PATCH …/bulk/`,
`POST …/bulk/tags/` and `POST …/bulk/archive/` with 1,000, on a throwaway
PostgreSQL database.

    .venv/bin/python scripts/measure_bulk.py [--database-url URL] [--runs N] [--keep]
                                             [--slowest N]

Each item has a name, a part number, a cost, a supplier and two tags (one of
them new in each run); every write also stores history and audit entries.
The default database is postgres://postgres@127.0.0.1:5432/bulk_measure; it
is created, migrated and dropped (only names containing "measure" are used).
With --slowest N it also prints, for each request of the last run, its N
slowest statements, to show where a bulk write's time goes.
"""

import argparse
import statistics
import time

from throwaway_database import DEFAULT_URL, api_client, throwaway_database

BULK_URL = "/api/v1/components/components/bulk/"


def items(run: int, count: int) -> list[dict]:
    return [
        {
            "name": f"Ceramic capacitor {run}-{n}",
            "part_number": f"CAP-{run:03d}-{n:05d}",
            "unit_cost": "0.12",
            "supplier": "Digi-Key",
            "tags": ["passive", f"run-{run}"],
        }
        for n in range(count)
    ]


# The statements of each request of the last run: (seconds, SQL).
STATEMENTS: dict[str, list[tuple[float, str]]] = {}


def timed(send, name: str) -> tuple[int, float, object]:
    """Queries, seconds and response of one request (its statements kept in
    STATEMENTS under `name`)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        response = send()
    seconds = time.perf_counter() - started
    assert response.status_code in (200, 201), response.content[:500]
    STATEMENTS[name] = [(float(q["time"]), q["sql"]) for q in captured.captured_queries]
    return len(captured), seconds, response


def measure(runs: int) -> dict[str, list[tuple[int, float]]]:
    client = api_client("components:read", "components:write")
    client.post(BULK_URL, items(999, 1), format="json")  # warm imports and caches
    results = {
        "create 10": [],
        "create 1000": [],
        "update 1000": [],
        "tags 1000": [],
        "archive 1000": [],
    }
    for run in range(runs):
        queries, seconds, _ = timed(
            lambda run=run: client.post(BULK_URL, items(500 + run, 10), format="json"), "create 10"
        )
        results["create 10"].append((queries, seconds))
        queries, seconds, response = timed(
            lambda run=run: client.post(BULK_URL, items(run, 1000), format="json"), "create 1000"
        )
        results["create 1000"].append((queries, seconds))
        ids = [row["id"] for row in response.json()]
        changes = [{"id": pk, "supplier": "Mouser", "tags": ["passive", "moved"]} for pk in ids]
        queries, seconds, _ = timed(
            lambda c=changes: client.patch(BULK_URL, c, format="json"), "update 1000"
        )
        results["update 1000"].append((queries, seconds))
        tags = {"ids": ids, "add": ["urgent"], "remove": ["moved"]}
        queries, seconds, _ = timed(
            lambda t=tags: client.post(BULK_URL + "tags/", t, format="json"), "tags 1000"
        )
        results["tags 1000"].append((queries, seconds))
        queries, seconds, _ = timed(
            lambda i=ids: client.post(BULK_URL + "archive/", {"ids": i}, format="json"),
            "archive 1000",
        )
        results["archive 1000"].append((queries, seconds))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--slowest",
        type=int,
        default=0,
        metavar="N",
        help="print each request's N slowest statements",
    )
    args = parser.parse_args()
    with throwaway_database(args.database_url, keep=args.keep):
        results = measure(args.runs)
    print("operation | queries | median s | min s | max s")
    for operation, samples in results.items():
        queries = sorted({q for q, _ in samples})
        seconds = [s for _, s in samples]
        print(
            f"{operation} | {', '.join(map(str, queries))} | {statistics.median(seconds):.3f} | "
            f"{min(seconds):.3f} | {max(seconds):.3f}"
        )
    for operation, statements in STATEMENTS.items() if args.slowest else ():
        total = sum(seconds for seconds, _ in statements)
        print(f"\n{operation}: {len(statements)} statements, {total:.3f} s in the database")
        for seconds, sql in sorted(statements, reverse=True)[: args.slowest]:
            print(f"  {seconds:.3f} s  {sql[:110]}")


if __name__ == "__main__":
    main()
