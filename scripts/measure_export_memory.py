"""Show that a CSV export's memory stays flat as the table grows.

Loads 10,000 and then 100,000 components into a throwaway PostgreSQL
database, and at each size streams `GET …/export.csv` through the real view
(middleware, DRF, the streaming response) in a fresh process, printing:

- peak RSS while streaming, and its growth over the process before the export;
- the tracemalloc peak of the export (Python allocations), in a second pass;
- rows, megabytes, seconds and queries of the export.

    .venv/bin/python scripts/measure_export_memory.py [--database-url URL] [--keep]

The default database is postgres://postgres@127.0.0.1:5432/bulk_measure; it
is created, migrated and dropped (only names containing "measure" are used).
"""

import argparse
import gc
import json
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from throwaway_database import DEFAULT_URL, api_client, setup_django, throwaway_database

EXPORT_URL = "/api/v1/components/components/export.csv"
SIZES = (10_000, 100_000)
LOAD_BATCH = 5_000


def load(total: int):
    """Top the components table up to `total` rows, with tags, history and audit."""
    from decimal import Decimal

    from apps.components.models import Component
    from apps.core.context import acting_as
    from apps.core.models import User

    user, _ = User.objects.get_or_create(username="measure", first_name="Measure")
    start = Component.objects.count()
    with acting_as(user):
        for first in range(start, total, LOAD_BATCH):
            batch = []
            for n in range(first, min(first + LOAD_BATCH, total)):
                record = Component(
                    name=f"Ceramic capacitor {n}",
                    description=f"Multilayer ceramic capacitor number {n}, for decoupling.",
                    category=("Capacitors", "Resistors", "Sensors")[n % 3],
                    status="ACTIVE",
                    part_number=f"CAP-{n:07d}",
                    supplier="Digi-Key",
                    unit_cost=Decimal(n % 1000) / 100,
                    quantity_on_hand=n % 5000,
                    datasheet_url=f"https://datasheets.example.com/cap-{n}.pdf",
                )
                record.set_tags(["passive", f"lot-{n % 50}"])
                batch.append(record)
            Component.objects.bulk_create(batch)


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def _reset_peak_rss():
    # Writing 5 to clear_refs resets the process's peak RSS (VmHWM), Linux 4.0+.
    Path("/proc/self/clear_refs").write_text("5")


def _drain(response) -> tuple[int, int]:
    assert response.status_code == 200, response.content[:300]
    size = lines = 0
    for piece in response.streaming_content:
        size += len(piece)
        lines += piece.count(b"\r\n")
    response.close()
    return lines - 1, size


def measure(database_url: str) -> dict:
    """Stream the whole export twice in this process: once for time, RSS and
    queries, once under tracemalloc."""
    setup_django(database_url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_client("components:read")
    _drain(client.get(EXPORT_URL, {"search": "warm up imports and caches"}))
    gc.collect()
    before = _status_kib("VmRSS")
    _reset_peak_rss()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        rows, size = _drain(client.get(EXPORT_URL))
    seconds = time.perf_counter() - started
    peak = _status_kib("VmHWM")
    queries = len(captured)  # now: the next request resets the query log

    tracemalloc.start()
    _drain(client.get(EXPORT_URL))
    traced_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "rows": rows,
        "megabytes": round(size / 1e6, 1),
        "seconds": round(seconds, 2),
        "queries": queries,
        "rss_before_mib": round(before / 1024, 1),
        "rss_peak_mib": round(peak / 1024, 1),
        "rss_growth_mib": round((peak - before) / 1024, 1),
        "tracemalloc_peak_mib": round(traced_peak / 2**20, 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES, help="rows to measure at")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.database_url)))
        return

    results = []
    with throwaway_database(args.database_url, keep=args.keep):
        for size in args.sizes:
            started = time.perf_counter()
            load(size)
            print(f"loaded {size:,} rows in {time.perf_counter() - started:.0f} s", flush=True)
            child = subprocess.run(
                [sys.executable, __file__, "--measure", "--database-url", args.database_url],
                capture_output=True,
                text=True,
                check=True,
            )
            results.append(json.loads(child.stdout.strip().splitlines()[-1]))
    columns = list(results[0])
    print(" | ".join(columns))
    for result in results:
        print(" | ".join(str(result[c]) for c in columns))


if __name__ == "__main__":
    main()
