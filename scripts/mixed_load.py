"""A mixed load on the production server, to find what breaks or crawls
before users do.

Several clients at once send every kind of request a tool's users send —
lists, searches, filters with orderings, keyset pages, records, histories,
the activity feed (of a tool, of actions, of an actor), exports, creates,
PATCHes (some with If-Match, on a few records every client writes to),
reverts, transitions, restores and bulk writes — to gunicorn as the
production image runs it (the Dockerfile's arguments, DEBUG off, tokens
checked against a JWKS served on 127.0.0.1).
Their user is new to the suite, so its first requests race each other, as
a new user's do. It prints, per kind of request, how many were sent, their
statuses and their p50 / p95 / max, then the server's errors, and exits 1
if any answer was a 5xx.

    .venv/bin/python scripts/mixed_load.py                    # 10,000 rows, 60 s
    .venv/bin/python scripts/mixed_load.py --database scale_bench --seconds 240

By default it builds a throwaway database, `measure_mixed_load`, with the
data of `scripts/bench_api.py` (bench/million_rows.py) and drops it after;
`--database` names one that `scripts/bench_api.py --keep` left (`scale_bench`,
a million rows; `scale_bench_small`) and leaves it as the load left it.
The PostgreSQL server is BENCH_DATABASE_URL's (postgres://postgres@127.0.0.1:5432).
The load generator runs on the same machine: its figures show where the
server queues or crawls, not its throughput (that is `make bench`).
"""

import argparse
import collections
import json
import os
import random
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from bench import million_rows  # noqa: E402
from bench.harness.processes import free_port  # noqa: E402
from bench.harness.stacks import Identity, Postgres, ToolsuiteStack  # noqa: E402
from bench.harness.tokens import JwksServer, SigningKey, bench_token  # noqa: E402

DOMAIN = "mixed-load.local"
ISSUER, AUDIENCE = f"https://{DOMAIN}/", f"https://api.{DOMAIN}"
# The shared cache as in production: the key set, the rate limits.
CACHE_URL = os.environ.get("MIXED_LOAD_CACHE_URL", "redis://127.0.0.1:6379/13")
COLLECTION = "/api/v1/components/components/"
WORDS = ["sensor", "relay", "capacitor", "Mouser", "CMP-0001", "x"]
ORDERINGS = ["-updated_at", "name", "-unit_cost", "status", "-status", "category", "-category"]
ACTIONS = list(million_rows.ACTION_WEIGHTS)  # the actions of the loaded trail
FEEDS = ["tool=components", "action={action}", "action=ARCHIVE&action=RESTORE", "actor={actor}"]
HOT_RECORDS = 20


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000, help="rows of the database it builds")
    parser.add_argument("--database", help="a database kept by bench_api.py, used as it is")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=6, help="requests in flight at once")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn's worker processes")
    return parser.parse_args(argv)


class Load:
    """The clients' requests: each a kind drawn at random by weight, a kind
    being a function of a `random.Random` that sends one request or a few
    and answers the last one's status."""

    def __init__(self, base: str, token: str, there: dict):
        self.base, self.token = base, token
        self.top_id, self.categories = there["top_id"], there["categories"] or ["Sensors"]
        self.actor = there["actor"]
        self.kinds = {  # kind: (weight, sender)
            "list": (14, lambda r: self.get(COLLECTION + "?limit=50")),
            "search": (10, lambda r: self.get(f"{COLLECTION}?search={r.choice(WORDS)}")),
            "filter and order": (7, self.filtered),
            "keyset page": (4, lambda r: self.get(COLLECTION + "?ordering=name&cursor=")),
            "record": (11, lambda r: self.get(f"{COLLECTION}{self.some_id(r)}/")),
            "history": (4, lambda r: self.get(f"{COLLECTION}{self.some_id(r)}/history/")),
            "activity": (4, self.activity),
            "export": (2, self.export),
            "create": (9, self.create),
            "patch": (10, self.patch),
            "read, then PATCH with If-Match": (5, self.conditional_patch),
            "read history, then revert": (2, self.revert),
            "transition": (4, self.transition),
            "restore": (2, lambda r: self.send("POST", f"{self.record(r)}restore/", {})[0]),
            "bulk patch 100": (5, self.bulk_patch),
            "bulk archive 100": (4, self.bulk_archive),
            "bulk create 50": (3, self.bulk_create),
        }

    def some_id(self, rng) -> int:
        return rng.randrange(1, self.top_id + 1)

    def record(self, rng) -> str:
        return f"{COLLECTION}{self.some_id(rng)}/"

    def hot_record(self, rng) -> str:
        """One of the few records every client writes to: If-Match and row
        locks under contention."""
        return f"{COLLECTION}{rng.randrange(1, HOT_RECORDS + 1)}/"

    def get(self, path: str) -> int:
        return self.send("GET", path)[0]

    def filtered(self, rng):
        category, ordering = rng.choice(self.categories), rng.choice(ORDERINGS)
        return self.get(f"{COLLECTION}?status=ACTIVE&category={category}&ordering={ordering}")

    def activity(self, rng):
        """The feed of one tool, of an action or two, or of an actor."""
        narrowed = rng.choice(FEEDS).format(action=rng.choice(ACTIONS), actor=self.actor)
        return self.get(f"/api/v1/activity/?{narrowed}&limit=50")

    def export(self, rng):
        return self.get(f"{COLLECTION}export.csv?search={rng.choice(WORDS[:3])}&status=DRAFT")

    def create(self, rng):
        body = {"name": "Load part", "part_number": _unique("LOAD", rng), "tags": ["load"]}
        return self.send("POST", COLLECTION, body)[0]

    def patch(self, rng):
        body = {"quantity_on_hand": rng.randrange(100), "tags": [rng.choice("abc")]}
        return self.send("PATCH", self.record(rng), body)[0]

    def conditional_patch(self, rng):
        path = self.hot_record(rng)
        status, _, headers = self.send("GET", path)
        if status != 200:
            return status
        body = {"quantity_on_hand": rng.randrange(100)}
        return self.send("PATCH", path, body, {"If-Match": headers["ETag"]})[0]

    def revert(self, rng):
        path = self.hot_record(rng)
        status, body, _ = self.send("GET", path + "history/?limit=5")
        entries = json.loads(body)["results"] if status == 200 else []
        if not entries:
            return status
        return self.send("POST", path + "revert/", {"audit_id": rng.choice(entries)["id"]})[0]

    def transition(self, rng):
        body = {"to": rng.choice(["ACTIVE", "ARCHIVED"]), "comment": "mixed load"}
        return self.send("POST", f"{self.record(rng)}transition/", body)[0]

    def bulk_patch(self, rng):
        ids = {self.some_id(rng) for _ in range(100)}
        items = [{"id": i, "supplier": "Load"} for i in ids]
        return self.send("PATCH", COLLECTION + "bulk/", items)[0]

    def bulk_archive(self, rng):
        ids = sorted({self.some_id(rng) for _ in range(100)})
        return self.send("POST", COLLECTION + "bulk/archive/", {"ids": ids})[0]

    def bulk_create(self, rng):
        items = [{"name": f"Load {n}", "part_number": _unique("BULK", rng)} for n in range(50)]
        return self.send("POST", COLLECTION + "bulk/", items)[0]

    def send(self, method: str, path: str, body=None, headers=None) -> tuple[int, bytes, dict]:
        """`(status, body, headers)` of one request."""
        request = urllib.request.Request(
            self.base + path,
            data=None if body is None else json.dumps(body).encode(),
            method=method,
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json",
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read(), error.headers

    def run(self, clients: int, seconds: float) -> dict[str, list[tuple[int, float]]]:
        """`{kind: [(status, seconds), ...]}` of every request sent."""
        answers = collections.defaultdict(list)
        names = list(self.kinds)
        weights = [self.kinds[name][0] for name in names]
        stop = time.monotonic() + seconds

        def kinds_to_send(seed: int, rng):
            # The first client sends each kind once before it draws, so every
            # kind is measured however slow the machine is.
            if seed == 0:
                yield from names
            while time.monotonic() < stop:
                yield rng.choices(names, weights)[0]

        def client(seed: int):
            rng = random.Random(seed)
            for kind in kinds_to_send(seed, rng):
                started = time.perf_counter()
                status = self.kinds[kind][1](rng)
                answers[kind].append((status, time.perf_counter() - started))

        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return answers


def _unique(prefix: str, rng) -> str:
    return f"{prefix}-{time.time_ns()}-{rng.randrange(1 << 30)}"


def report(answers: dict, seconds: float, clients: int, workers: int) -> int:
    """Print the table; return the number of 5xx answers."""
    total = sum(len(a) for a in answers.values())
    print(f"{total:,} requests in {seconds:.0f} s from {clients} clients, {workers} workers")
    print("| request | sent | statuses | p50 ms | p95 ms | max ms |")
    print("|---|---:|---|---:|---:|---:|")
    failed = 0
    for kind, sent in sorted(answers.items()):
        times = sorted(t * 1000 for _, t in sent)
        statuses = collections.Counter(status for status, _ in sent)
        failed += sum(count for status, count in statuses.items() if status >= 500)
        shown = ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items()))
        p50, p95 = times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"| {kind} | {len(sent)} | {shown} | {p50:.0f} | {p95:.0f} | {times[-1]:.0f} |")
    return failed


def server_errors(log: Path) -> list[str]:
    """The exception of each traceback the server logged: its last line, and
    of a chain of exceptions only the last one's."""
    errors, in_traceback = [], False
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith(("The above exception", "During handling")):
            if errors:
                errors.pop()  # the cause, followed by the exception it caused
        elif line.startswith("Traceback"):
            in_traceback = True
        elif in_traceback and line and not line.startswith(" "):
            errors.append(line)
            in_traceback = False
    return errors


def main(argv=None) -> int:
    args = parse_args(argv)
    with million_rows.measured_database(args.database, "measure_mixed_load", args.rows) as name:
        there = _what_is_there()
        key = SigningKey()
        subject = f"auth0|mixed-load-{time.time_ns()}"  # a user new to the suite each run
        token = bench_token(key, issuer=ISSUER, audience=AUDIENCE, subject=subject)
        with JwksServer(key.jwks()) as jwks, tempfile.TemporaryDirectory() as scratch:
            log = Path(scratch) / "server.log"
            identity = Identity(DOMAIN, ISSUER, AUDIENCE, jwks.url)
            with production_server(name, identity, args.workers, log) as base:
                load = Load(base, token, there)
                print(f"Load: {args.clients} clients for {args.seconds:.0f} s", flush=True)
                answers = load.run(args.clients, args.seconds)
            failed = report(answers, args.seconds, args.clients, args.workers)
            errors = collections.Counter(server_errors(log))
            for error, count in errors.most_common():
                print(f"server error, {count} times: {error}")
    if failed:
        print(f"{failed} answers were 5xx.")
    return 1 if failed else 0


def _what_is_there() -> dict:
    """The largest record id, some categories and an actor of the audit
    trail (0 if none, whose feed is empty) of the database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM components_component")
        (top_id,) = cursor.fetchone()
        cursor.execute("SELECT DISTINCT category FROM components_component LIMIT 20")
        categories = [category for (category,) in cursor.fetchall()]
        cursor.execute("SELECT actor_id FROM core_auditentry WHERE actor_id IS NOT NULL LIMIT 1")
        actor = cursor.fetchone()
    connection.close()
    return {"top_id": top_id or 1, "categories": categories, "actor": actor[0] if actor else 0}


@contextmanager
def production_server(database: str, identity: Identity, workers: int, log: Path):
    """The server as the production image runs it, on `database`: the
    benchmark's ToolsuiteStack (the Dockerfile's gunicorn arguments, DEBUG
    off, tokens checked against `identity`). Yields its URL once it answers
    /health; stopped, every worker with it, when the block ends."""
    stack = ToolsuiteStack(
        database, Path(sys.executable), cache_url=CACHE_URL, extra_env={}, extra_gunicorn_args=[]
    )
    port = free_port()
    server = stack.server(Postgres(million_rows.server_url()), identity, workers, port, log)
    server.start()
    try:
        base = f"http://127.0.0.1:{port}"
        server.wait_until_answering(f"{base}/health", workers)
        yield base
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
