"""Prepared statements when one worker serves many tools: requests spread
over every entity of a project, with `DATABASE_PREPARED_STATEMENTS` on and
off, alternating, each measurement in a fresh process.

    # in the 141-tool copy that `make scale-check SCALE_ARGS=--keep` leaves:
    cd /tmp/scale-check-…/tools-141
    [DATABASE_PREPARED_STATEMENTS_MAX=3000] /path/to/.venv/bin/python \\
        /path/to/scripts/measure_prepared_mix.py \\
        --database-url postgres://postgres@127.0.0.1:5432/scale_check_141

The project measured is the working directory, with its own code and
settings (the environment is passed on: `DATABASE_PREPARED_STATEMENTS_MAX`
sets how many statements a connection keeps prepared). Each entity first
gets `--rows` records, made through its API serializer as the generic tests
make them (only on a database that has fewer), then the database is
vacuumed. A round asks each entity in turn for its list, one of its records
and a PATCH of one record's name, in one of two orders:

- rotation: each round visits every entity once, as a worker whose traffic
  is spread over all the tools sees it;
- bursts: every round of one entity, then of the next, as traffic that stays
  on one tool for a while.

psycopg prepares a statement on its fifth run; PostgreSQL plans a prepared
statement for its values on its first five runs and reuses a generic plan
after that, so the steady state takes a dozen rounds or more. Printed per
order and setting: the CPU of this process and of the PostgreSQL process
serving its connection (read from /proc: the server must run on this
machine) and the wall time, per request; the statements psycopg prepared
and evicted while measuring; and the memory of the connection's cached
plans at the end (docs/deployment.md, docs/performance.md).
"""

import argparse
import json
import random
import subprocess
import sys
import time
from pathlib import Path

# bench/ after the measured project's own code, which PYTHONPATH puts first.
sys.path.append(str(Path(__file__).resolve().parent.parent))

from throwaway_database import environment

from bench.harness.processes import CLOCK_TICKS, process_cpu_ticks

SETTINGS = ("true", "false")
ORDERS = ("rotation", "bursts")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="the project's database")
    parser.add_argument("--rows", type=int, default=5, help="records per entity (5)")
    parser.add_argument("--rounds", type=int, default=25, help="rounds per measurement (25)")
    parser.add_argument("--alternations", type=int, default=2, help="on / off turns (2)")
    parser.add_argument(
        "--order", choices=ORDERS, action="append", help="measure only this order (repeatable)"
    )
    parser.add_argument("--child", choices=("setup", *ORDERS), help=argparse.SUPPRESS)
    return parser.parse_args()


def main():
    args = parse_args()
    if args.child:
        print(json.dumps(child(args)))
        return
    run_child(args, "setup", "false")
    print(
        "| order | DATABASE_PREPARED_STATEMENTS | app CPU ms/req | PostgreSQL CPU ms/req "
        "| wall ms/req | prepared | evicted | plan cache MB |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for _ in range(args.alternations):
        for order in args.order or ORDERS:
            for setting in SETTINGS:
                figures = run_child(args, order, setting)
                print(
                    f"| {order} | {setting} "
                    f"| {figures['cpu_ms']:.2f} | {milliseconds(figures['db_cpu_ms'])} "
                    f"| {figures['wall_ms']:.2f} "
                    f"| {figures['prepared']} | {figures['evicted']} "
                    f"| {figures['plan_cache_mb']:.1f} |",
                    flush=True,
                )


def milliseconds(value) -> str:
    return "?" if value is None else f"{value:.2f}"


def run_child(args, order: str, setting: str) -> dict:
    project = Path.cwd()
    env = environment(args.database_url) | {
        "PYTHONPATH": str(project),
        "DATABASE_PREPARED_STATEMENTS": setting,
        # One connection for the whole measurement: its server process's CPU is read.
        "DATABASE_CONN_MAX_AGE": "3600",
        # One user makes every request: no rate limits.
        "API_THROTTLE_USER": "",
        "API_THROTTLE_ANON": "",
    }
    command = [
        sys.executable,
        __file__,
        "--database-url",
        args.database_url,
        "--rows",
        str(args.rows),
        "--rounds",
        str(args.rounds),
        "--child",
        order,
    ]
    done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{order} with prepared statements {setting} failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def child(args) -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.urls import reverse
    from rest_framework.test import APIClient

    from apps.core.context import acting_as
    from apps.core.models import User
    from apps.core.permissions import Grants
    from apps.core.testing.samples import create_sample
    from apps.core.tools import entity_models, tool_for_model

    user, _ = User.objects.get_or_create(username="prepared-mix-probe")
    if args.child == "setup":
        with acting_as(user):
            for model in entity_models():
                for n in range(model.objects.count(), args.rows):
                    create_sample(model, n)
        with connection.cursor() as cursor:  # no autovacuum of those rows meanwhile
            cursor.execute("VACUUM ANALYZE")
        return {}

    client = APIClient()
    client.force_authenticate(user, token=Grants.everything())
    targets = [
        (
            reverse(f"{tool_for_model(model).slug}:{model._meta.model_name}-list"),
            list(model.objects.values_list("pk", flat=True)[: args.rows]),
        )
        for model in entity_models()
    ]
    rng = random.Random(7)

    def visit(url, ids):
        for response in (
            client.get(url),
            client.get(f"{url}{rng.choice(ids)}/"),
            client.patch(
                f"{url}{rng.choice(ids)}/",
                {"name": f"Renamed {rng.randrange(10**6)}"},
                format="json",
            ),
        ):
            if response.status_code != 200:
                raise AssertionError(f"{url}: {response.status_code} {response.content[:300]}")

    for target in targets:  # warm: every statement seen, every cache filled
        visit(*target)
    if args.child == "rotation":
        visits = [target for _ in range(args.rounds) for target in targets]
    else:
        visits = [target for target in targets for _ in range(args.rounds)]

    manager = getattr(connection.connection, "_prepared", None)  # psycopg's
    prepared_before = manager._prepared_idx if manager else 0
    evicted = [0]
    if manager:
        deallocate = connection.connection._deallocate

        def counting(name):
            evicted[0] += 1
            return deallocate(name)

        connection.connection._deallocate = counting

    backend = connection.connection.info.backend_pid
    cpu, wall, db_cpu = time.process_time(), time.perf_counter(), server_cpu_seconds(backend)
    for target in visits:
        visit(*target)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if db_cpu is not None and connection.connection.info.backend_pid == backend:
        db_cpu = server_cpu_seconds(backend) - db_cpu
    else:
        db_cpu = None
    requests = 3 * len(visits)
    with connection.cursor() as cursor:  # what the connection's cached plans hold
        cursor.execute(
            "SELECT coalesce(sum(total_bytes), 0) FROM pg_backend_memory_contexts"
            " WHERE name IN ('CachedPlanSource', 'CachedPlanQuery', 'CachedPlan')"
        )
        plan_cache_bytes = int(cursor.fetchone()[0])
    return {
        "entities": len(targets),
        "requests": requests,
        "cpu_ms": 1000 * cpu / requests,
        "db_cpu_ms": None if db_cpu is None else 1000 * db_cpu / requests,
        "wall_ms": 1000 * wall / requests,
        "prepared": (manager._prepared_idx - prepared_before) if manager else 0,
        "evicted": evicted[0],
        "plan_cache_mb": plan_cache_bytes / 2**20,
    }


def server_cpu_seconds(pid: int) -> float | None:
    """CPU time of the PostgreSQL process serving the connection, when it
    runs on this machine; None otherwise."""
    if not Path(f"/proc/{pid}").exists():
        return None
    return process_cpu_ticks(pid) / CLOCK_TICKS


if __name__ == "__main__":
    main()
