"""The options of `make bench`: each can be given on the command line or as
a BENCH_* environment variable, so `make bench` can be steered either way."""

import argparse
import os
from pathlib import Path

from bench.harness.load import SCENARIOS
from bench.harness.stacks import ROOT, parse_env_assignments

# (option, environment variable, type, default, help)
VALUED_OPTIONS = [
    ("--duration", "BENCH_DURATION", int, "10", "seconds per measured run"),
    ("--warmup", "BENCH_WARMUP", int, "3", "seconds of warm-up per stack and scenario"),
    ("--rounds", "BENCH_ROUNDS", int, "2", "measured runs per stack and scenario, alternating"),
    ("--connections", "BENCH_CONNECTIONS", int, "16", "concurrent connections"),
    ("--threads", "BENCH_THREADS", int, "2", "wrk threads"),
    ("--workers", "BENCH_WORKERS", str, "1,2", "worker counts, in order"),
    ("--scenarios", "BENCH_SCENARIOS", str, ",".join(SCENARIOS), "scenarios to run"),
    (
        "--postgres",
        "BENCH_POSTGRES_URL",
        str,
        "postgresql://postgres@127.0.0.1:5432",
        "PostgreSQL server, without a database name; only bench_* databases are touched",
    ),
    ("--seed-venv", "BENCH_SEED_VENV", Path, "var/bench/seed-venv", "the seed stack's venv"),
    (
        "--suite-python",
        "BENCH_SUITE_PYTHON",
        Path,
        ".venv/bin/python",
        "Toolsuite's Python, with requirements/prod.txt installed",
    ),
    (
        "--suite-cache-url",
        "BENCH_SUITE_CACHE_URL",
        str,
        "redis://127.0.0.1:6379/13",
        "Toolsuite's CACHE_URL; cleared at set-up, so give it a Redis database of its own",
    ),
    (
        "--suite-gunicorn-args",
        "BENCH_SUITE_GUNICORN_ARGS",
        str,
        "",
        "arguments added after the production image's gunicorn command",
    ),
    ("--output", "BENCH_OUTPUT", Path, "var/bench", "where results.json, results.md and logs go"),
]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Throughput of Toolsuite's API against the seed's FastAPI stack (issue 6).",
        epilog="Relative paths are from the repository root.",
    )
    parser.add_argument(
        "--self-check",
        action="store_true",
        help="measure the seed stack against a second copy of itself: "
        "every ratio should come out close to 1.0",
    )
    parser.add_argument(
        "--check", action="store_true", help="set up, start and preflight both stacks; no load"
    )
    for option, variable, kind, default, text in VALUED_OPTIONS:
        parser.add_argument(
            option,
            type=kind,
            default=kind(os.environ.get(variable, default)),
            help=f"{text} ({variable}, default {default or 'none'})",
        )
    parser.add_argument(
        "--suite-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment for Toolsuite, repeatable (e.g. to switch throttling off); "
        "added to BENCH_SUITE_ENV ('KEY=VALUE KEY2=VALUE2')",
    )
    args = parser.parse_args(argv)
    for name in ("seed_venv", "suite_python", "output"):
        setattr(args, name, ROOT / getattr(args, name))
    args.workers = [int(n) for n in args.workers.split(",") if n.strip()]
    args.scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    args.suite_env = parse_env_assignments(os.environ.get("BENCH_SUITE_ENV", "")) | {
        key: value for item in args.suite_env for key, value in parse_env_assignments(item).items()
    }
    return args
