"""The tool API at 10,000 and at 1,000,000 rows on PostgreSQL, side by side.

    .venv/bin/python scripts/bench_api.py                  # about 15 minutes
    .venv/bin/python scripts/bench_api.py --large 100000 --iterations 60   # a quick look
    .venv/bin/python scripts/bench_api.py --explain        # also print the query plans

Builds two fresh databases on the server of BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432): `scale_bench_small` with `--small` rows
and `scale_bench` with `--large` rows (`--databases` names them otherwise;
both dropped first, and afterwards unless `--keep`; `--reuse` measures
databases an earlier `--keep` left, and leaves them, and refuses one that
something else wrote to, such as `scripts/mixed_load.py --database`). Each
is migrated, then loaded with COPY: components with realistic names,
descriptions, categories, statuses and tags on a third of them (no audit or
history for them), and as many audit entries for the activity feed, then
VACUUM ANALYZEd and checkpointed (the data set: bench/million_rows.py).

Requests go in-process through the whole stack — Django's test client:
middleware, DRF, permissions, filters, pagination, serializers and the
database — as a user holding every grant (the token check is bypassed; rate
limits are off as in the tests). The two sizes are measured in alternating
blocks, so a change in the machine's load hits both alike. Prints p50 / p95
per operation and the ratio large / small.
"""

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import throwaway_database  # beside this script

from bench.million_rows import (
    ACTORS,
    COMMON_WORD,
    MANUFACTURERS,
    SPAN,
    build,
    categories,
    changed_since_built,
    forget_earlier_writes,
    recreate_database,
    server_url,
    use_database,
)

LIST = "/api/v1/components/components/"
FEED = "/api/v1/activity/"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=10_000, help="rows of the small database")
    parser.add_argument("--large", type=int, default=1_000_000, help="rows of the large database")
    parser.add_argument("--iterations", type=int, default=200, help="timed requests per figure")
    parser.add_argument("--rounds", type=int, default=5, help="alternating blocks per figure")
    parser.add_argument("--explain", action="store_true", help="print the plans at both sizes")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="measure databases kept by --keep, and keep them"
    )
    parser.add_argument(
        "--only", action="append", help="measure the operations whose name contains this"
    )
    parser.add_argument(
        "--databases",
        default="scale_bench",
        help="the databases' names: this (the large one) and this with _small",
    )
    return parser.parse_args()


def setup_django(database: str):
    # As every measurement script runs Django (throwaway_database.environment),
    # with no rate limits: the benchmark's one user makes thousands of requests.
    os.environ["API_THROTTLE_USER"] = os.environ["API_THROTTLE_ANON"] = ""
    throwaway_database.setup_django(f"{server_url()}/{database}")


# --- Measuring ------------------------------------------------------------------------------


class Target:
    """One database and what the operations need to know about it."""

    def __init__(self, name: str, rows: int):
        from django.db import connection

        from apps.core.api.cursors import Cursor, encode_cursor

        self.name, self.rows = name, rows
        use_database(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT min(id), max(id) FROM components_component")
            self.low, self.high = cursor.fetchone()
            # A page 90 % of the way down the default (newest first) order.
            cursor.execute(
                "SELECT created_at, id FROM components_component "
                "WHERE id >= %s ORDER BY id LIMIT 1",
                [self.low + (self.high - self.low) // 10],
            )
            self.deep_cursor = encode_cursor(Cursor(("-created_at", "-id"), cursor.fetchone()))
            cursor.execute("SELECT min(timestamp), max(timestamp) FROM core_auditentry")
            first, last = cursor.fetchone()
        # A month a third of the way into the feed's history.
        since = first + (last - first) / 3
        self.month = {"since": since.isoformat(), "until": (since + SPAN / 36).isoformat()}


class Bench:
    def __init__(self, iterations: int, rounds: int):
        from rest_framework.test import APIClient

        from apps.core.models import User
        from apps.core.permissions import Grants

        # Every database has the same users with the same ids.
        self.user = User.objects.get(username="bench")
        self.client = APIClient()
        self.client.force_authenticate(self.user, token=Grants.everything())
        # A reader of one tool, whose feed is read entity type by entity type.
        self.reader = APIClient()
        self.reader.force_authenticate(self.user, token=Grants(frozenset({"components:read"})))
        self.iterations, self.rounds = iterations, rounds
        self.rng = random.Random(7)
        self.created = 0
        self.run = uuid.uuid4().hex[:8]  # part numbers stay unique in kept databases

    def get(self, path, params=None, client=None):
        response = (client or self.client).get(path, params)
        assert response.status_code == 200, (path, params, response.content[:300])
        return response

    def new_body(self):
        self.created += 1
        return {
            "name": f"Bench part {self.created}",
            "description": "Created by the benchmark.",
            "category": self.rng.choice(list(categories())),
            "part_number": f"BENCH-{self.run}-{self.created}",
            "unit_cost": "1.25",
            "tags": ["bench"],
        }

    def operations(self) -> dict:
        from apps.components.models import Component
        from apps.core.api.registry import viewset_for
        from apps.core.context import acting_as
        from apps.core.models import format_public_id

        def create(target):
            response = self.client.post(LIST, self.new_body(), format="json")
            assert response.status_code == 201, response.content[:300]

        def bulk_create_api(target):
            body = [self.new_body() for _ in range(100)]
            response = self.client.post(f"{LIST}bulk/", body, format="json")
            assert response.status_code == 201, response.content[:300]

        def bulk_create_orm(target):
            rows = []
            for _ in range(100):
                body = self.new_body()
                tags = body.pop("tags")
                rows.append(Component(**body))
                rows[-1].set_tags(tags)
            with acting_as(self.user):
                Component.objects.bulk_create(rows)

        return {
            "list (first page)": lambda t: self.get(LIST),
            "search (~0.3 % of rows)": lambda t: self.get(
                LIST, {"search": self.rng.choice(MANUFACTURERS)}
            ),
            "search, common word (~8 %)": lambda t: self.get(LIST, {"search": COMMON_WORD}),
            "search, a public id": lambda t: self.get(
                LIST,
                {"search": format_public_id(Component.id_prefix, self.rng.randint(t.low, t.high))},
            ),
            "filter (status + category)": lambda t: self.get(
                LIST, {"status": "ACTIVE", "category": self.rng.choice(list(categories()))}
            ),
            "detail": lambda t: self.get(f"{LIST}{self.rng.randint(t.low, t.high)}/"),
            "deep page (cursor, 90 %)": lambda t: self.get(LIST, {"cursor": t.deep_cursor}),
            "activity feed": lambda t: self.get(FEED),
            "activity by actor": lambda t: self.get(
                FEED, {"actor": self.user.pk + 1 + self.rng.randrange(ACTORS)}
            ),
            "activity, one month": lambda t: self.get(FEED, t.month),
            "activity, deletes (2 %)": lambda t: self.get(FEED, {"action": "DELETE"}),
            "activity, a reader of one tool": lambda t: self.get(FEED, client=self.reader),
            # Writes last: they add rows, and the reads are measured at the sizes given.
            "create": create,
            **(
                {"bulk create (100, API)": bulk_create_api}
                if hasattr(viewset_for(Component), "bulk_create")
                else {"bulk create (100, ORM)": bulk_create_orm}
            ),
        }

    def measure(self, operation, targets) -> dict:
        """p50 / p95 per target, timing alternating blocks of requests."""
        samples = {target.name: [] for target in targets}
        block = max(1, self.iterations // self.rounds)
        for _ in range(self.rounds):
            for target in targets:
                use_database(target.name)
                for _ in range(3):  # a fresh connection, warmed
                    operation(target)
                for _ in range(block):
                    started = time.perf_counter()
                    operation(target)
                    samples[target.name].append((time.perf_counter() - started) * 1000)
        return {name: (statistics.median(s), percentile(s, 0.95)) for name, s in samples.items()}


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def explain(targets):
    """The plans of the queries behind the list operations, at each size."""
    from django.utils import timezone

    from apps.components.models import Component
    from apps.core.api.registry import filterset_for
    from apps.core.models import AuditEntry

    def listed(**params):
        """The list's queryset for these query parameters, as the API builds it."""
        return filterset_for(Component)(params, queryset=Component.objects.all()).qs

    term = MANUFACTURERS[0]
    queries = {
        "list, newest first": listed()[:51],
        "status filter": listed(status=["ACTIVE"])[:51],
        "status + category": listed(status=["ACTIVE"], category="Sensors")[:51],
        "status + category, capped count": CappedCount(
            listed(status=["ACTIVE"], category="Sensors")
        ),
        "search": listed(search=term)[:51],
        "search, capped count": CappedCount(listed(search=term)),
        "search, common word": listed(search=COMMON_WORD)[:51],
        "search, common word, capped count": CappedCount(listed(search=COMMON_WORD)),
        "search for a public id": listed(search="CMP-123456")[:51],
        "activity feed, one actor": AuditEntry.objects.filter(actor_id=2).order_by(
            "-timestamp", "-id"
        )[:51],
        "activity feed, one month": AuditEntry.objects.filter(
            timestamp__gte=timezone.now() - SPAN / 2,
            timestamp__lt=timezone.now() - SPAN / 2 + SPAN / 36,
        ).order_by("-timestamp", "-id")[:51],
    }
    for target in targets:
        use_database(target.name)
        for label, queryset in queries.items():
            plan = queryset.explain(analyze=True)
            print(f"\n--- {label} at {target.rows:,} rows\n{plan}")
        search_estimates(target, listed)


def search_estimates(target, listed):
    """For the search of each manufacturer: the planner's estimate of its
    matches against their real number, and which way the page is read — what
    the planner decides from that estimate (docs/performance.md, "Lists at a
    million rows")."""
    from apps.core.api.counts import planner_estimate

    ratios, ordered = [], 0
    for term in MANUFACTURERS:
        searched = listed(search=term)
        ratios.append(planner_estimate(searched) / max(1, searched.count()))
        ordered += "Bitmap Heap Scan" not in searched[:51].explain()
    ratios.sort()
    off = sum(not 0.5 <= ratio <= 2 for ratio in ratios)
    print(
        f"\n--- search, the {len(ratios)} manufacturers at {target.rows:,} rows\n"
        f"estimate / real count: min {ratios[0]:.2f}, median {statistics.median(ratios):.2f}, "
        f"max {ratios[-1]:.2f}; more than 2x off: {off}\n"
        f"page read in list order: {ordered}; from the trigram index and sorted: "
        f"{len(ratios) - ordered}"
    )


class CappedCount:
    """The count query of a filtered list, as `apps.core.api.counts` sends it."""

    def __init__(self, queryset):
        self.queryset = queryset

    def explain(self, analyze):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from apps.core.api.counts import count_rows

        with CaptureQueriesContext(connection) as queries:
            count_rows(self.queryset, filtered=True)
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {'ANALYZE ' if analyze else ''}{queries[-1]['sql']}")
            return "\n".join(row[0] for row in cursor.fetchall())


def report(targets, results):
    small, large = targets
    print(
        f"\n| operation | p50 @ {small.rows:,} | p95 @ {small.rows:,} "
        f"| p50 @ {large.rows:,} | p95 @ {large.rows:,} | p50 ratio | p95 ratio |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, figures in results.items():
        (p50_small, p95_small), (p50_large, p95_large) = figures[small.name], figures[large.name]
        print(
            f"| {name} | {p50_small:.1f} ms | {p95_small:.1f} ms | {p50_large:.1f} ms "
            f"| {p95_large:.1f} ms | {p50_large / p50_small:.2f} | {p95_large / p95_small:.2f} |"
        )


def main():
    args = parse_args()
    names = (f"{args.databases}_small", args.databases)
    setup_django(names[0])
    from django.utils import timezone

    now = timezone.now()
    sizes = (args.small, args.large)
    if args.reuse:
        for name, rows in zip(names, sizes, strict=True):
            forget_earlier_writes(name)
            if changed := changed_since_built(name, rows):
                sys.exit(changed)
    else:
        print("Building the databases", flush=True)
        for name, rows in zip(names, sizes, strict=True):
            build(name, rows, now)
    targets = [
        Target(name, rows) for name, rows in zip(names, (args.small, args.large), strict=True)
    ]
    try:
        if args.explain:
            explain(targets)
        bench = Bench(args.iterations, args.rounds)
        results = {}
        print(f"Measuring ({args.iterations} requests per figure)", flush=True)
        operations = {
            name: operation
            for name, operation in bench.operations().items()
            if not args.only or any(part in name for part in args.only)
        }
        for name, operation in operations.items():
            results[name] = bench.measure(operation, targets)
            figures = "   ".join(
                f"{t.rows:>9,}: p50 {p50:6.1f} p95 {p95:6.1f}"
                for t in targets
                for p50, p95 in [results[name][t.name]]
            )
            print(f"  {name:<32} {figures}", flush=True)
        report(targets, results)
    finally:
        if not (args.keep or args.reuse):
            from django.db import connections

            connections.close_all()
            for name in names:
                recreate_database(name, drop_only=True)


if __name__ == "__main__":
    main()
