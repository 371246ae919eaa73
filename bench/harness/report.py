"""The figures: a table on the terminal, and the same as JSON and Markdown
under var/bench/ for docs/performance.md to quote."""

import json
import os
import platform
import statistics
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

from bench.harness.load import SCENARIOS, RunResult
from bench.harness.stacks import ROOT, Postgres

SEED_PACKAGES = (
    "fastapi",
    "starlette",
    "uvicorn",
    "uvloop",
    "httptools",
    "sqlalchemy",
    "psycopg2-binary",
    "pydantic",
    "python-jose",
    "cryptography",
)
SUITE_PACKAGES = (
    "django",
    "djangorestframework",
    "django-filter",
    "django-simple-history",
    "gunicorn",
    "psycopg",
    "redis",
)


def describe_machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in cpuinfo.splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    total_kib = int(next(line.split()[1] for line in meminfo if line.startswith("MemTotal:")))
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_gib": round(total_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "loadavg": Path("/proc/loadavg").read_text().split()[:3],
    }


def package_versions(python: Path, names: tuple[str, ...]) -> dict:
    code = (
        "import importlib.metadata as m, json, platform, sys\n"
        "v = {'python': platform.python_version()}\n"
        f"for n in {list(names)!r}:\n"
        "    try: v[n] = m.version(n)\n"
        "    except m.PackageNotFoundError: v[n] = None\n"
        "print(json.dumps(v))"
    )
    done = subprocess.run([str(python), "-c", code], capture_output=True, text=True)
    return json.loads(done.stdout) if done.returncode == 0 else {"error": done.stderr[-300:]}


def tool_version(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True)
    return (done.stdout or done.stderr).splitlines()[0].strip() if done.returncode in (0, 1) else ""


def summarize(runs: list[RunResult], label_a: str, label_b: str, memory: dict) -> dict:
    """Per worker count and scenario: each stack's mean over its runs, and B / A,
    of the means and of each round's pair of runs (run n of A and run n of B
    were measured one after the other, so the machine's drift hits both)."""
    rows = []
    for workers in sorted({r.workers for r in runs}):
        for scenario in SCENARIOS:
            row = {"workers": workers, "scenario": scenario}
            for key, label in (("a", label_a), ("b", label_b)):
                mine = [
                    r
                    for r in runs
                    if r.workers == workers
                    and r.scenario == scenario
                    and r.stack == label
                    and not r.warmup
                ]
                if not mine:
                    break
                rps = [r.rps for r in mine]
                row[key] = {
                    "rps": statistics.mean(rps),
                    "rps_runs": [round(v, 1) for v in rps],
                    "spread": (max(rps) - min(rps)) / statistics.mean(rps)
                    if len(rps) > 1 and min(rps)
                    else None,
                    "p50_ms": statistics.mean(r.latency_us["p50"] for r in mine) / 1000,
                    "p99_ms": statistics.mean(r.latency_us["p99"] for r in mine) / 1000,
                    "cpu_ms_per_request": _mean_or_none([r.cpu_ms_per_request for r in mine]),
                    "busy_share": _mean_or_none([r.busy_share for r in mine]),
                    "requests": sum(r.requests for r in mine),
                    "problems": [r.problems() for r in mine if not r.clean],
                }
            else:
                a, b = row["a"], row["b"]
                row["ratio"] = {
                    "rps": _ratio(b["rps"], a["rps"]),
                    "rps_rounds": [
                        _ratio(rps_b, rps_a)
                        for rps_a, rps_b in zip(a["rps_runs"], b["rps_runs"], strict=True)
                    ],
                    "p50": _ratio(b["p50_ms"], a["p50_ms"]),
                    "p99": _ratio(b["p99_ms"], a["p99_ms"]),
                    "cpu": _ratio(b["cpu_ms_per_request"], a["cpu_ms_per_request"]),
                }
                row["flagged"] = bool(a["problems"] or b["problems"])
                rows.append(row)
    memory_rows = []
    for workers, peaks in sorted(memory.items()):
        a, b = peaks.get(label_a), peaks.get(label_b)
        memory_rows.append(
            {
                "workers": workers,
                "a_mib": a,
                "b_mib": b,
                "ratio": _ratio(b, a) if a and b else None,
            }
        )
    return {"rows": rows, "memory": memory_rows}


def _ratio(numerator, denominator):
    return numerator / denominator if numerator is not None and denominator else None


def _mean_or_none(values):
    return None if not values or None in values else statistics.mean(values)


def _fmt(value, spec=".0f"):
    return "n/a" if value is None else format(value, spec)


def markdown_tables(summary: dict, label_a: str, label_b: str) -> str:
    lines = [
        f"| workers | scenario | {label_a} req/s | {label_b} req/s | req/s {label_b}/{label_a}"
        f" | req/s ratio per round | {label_a} p50 ms | {label_b} p50 ms | p50 ratio"
        f" | {label_a} p99 ms | {label_b} p99 ms | p99 ratio | errors |",
        "|---:|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in summary["rows"]:
        a, b, ratio = row["a"], row["b"], row["ratio"]
        problems = "; ".join(
            f"{label}: {', '.join(side['problems'])}"
            for label, side in ((label_a, a), (label_b, b))
            if side["problems"]
        )
        lines.append(
            f"| {row['workers']} | {row['scenario']} | {_fmt(a['rps'])} | {_fmt(b['rps'])}"
            f" | {_fmt(ratio['rps'], '.2f')}"
            f" | {', '.join(_fmt(value, '.2f') for value in ratio['rps_rounds'])}"
            f" | {_fmt(a['p50_ms'], '.1f')}"
            f" | {_fmt(b['p50_ms'], '.1f')} | {_fmt(ratio['p50'], '.2f')}"
            f" | {_fmt(a['p99_ms'], '.1f')} | {_fmt(b['p99_ms'], '.1f')}"
            f" | {_fmt(ratio['p99'], '.2f')} | {('FLAGGED: ' + problems) if problems else 'none'} |"
        )
    lines += [
        "",
        f"| workers | scenario | {label_a} worker CPU ms/req | {label_b} worker CPU ms/req"
        f" | ratio {label_b}/{label_a} | {label_a} workers busy | {label_b} workers busy |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for row in summary["rows"]:
        lines.append(
            f"| {row['workers']} | {row['scenario']}"
            f" | {_fmt(row['a']['cpu_ms_per_request'], '.2f')}"
            f" | {_fmt(row['b']['cpu_ms_per_request'], '.2f')}"
            f" | {_fmt(row['ratio']['cpu'], '.2f')}"
            f" | {_fmt(row['a']['busy_share'], '.0%')} | {_fmt(row['b']['busy_share'], '.0%')} |"
        )
    lines += [
        "",
        f"| workers | {label_a} peak RSS per worker (MiB) | {label_b} peak RSS per worker (MiB)"
        f" | ratio {label_b}/{label_a} |",
        "|---:|---:|---:|---:|",
    ]
    for row in summary["memory"]:
        lines.append(
            f"| {row['workers']} | {_fmt(row['a_mib'], '.1f')} | {_fmt(row['b_mib'], '.1f')}"
            f" | {_fmt(row['ratio'], '.2f')} |"
        )
    return "\n".join(lines)


def spread_note(summary: dict, label_a: str, label_b: str) -> str:
    """The largest run-to-run difference, so a reader can tell noise from a result."""
    worst = max(
        (
            (row[key]["spread"], row["workers"], row["scenario"], label)
            for row in summary["rows"]
            for key, label in (("a", label_a), ("b", label_b))
            if row[key]["spread"] is not None
        ),
        default=None,
    )
    if worst is None:
        return ""
    spread, workers, scenario, label = worst
    return (
        f"Largest run-to-run difference in req/s: {spread:.0%} "
        f"({label}, {scenario}, {workers} worker(s))."
    )


def current_commit() -> str:
    """The commit measured, `-dirty` when tracked files differ from it."""
    return subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()


def publish(args, stacks, runs, memory, notes, started, machine_before, commit) -> bool:
    """Print the tables and write results.json and results.md; True when
    any figure is flagged (a run had non-2xx responses or socket errors)."""
    label_a, label_b = (stack.label for stack in stacks)
    summary = summarize(runs, label_a, label_b, memory)
    machine = machine_before | {"loadavg_after": describe_machine()["loadavg"]}
    versions = {
        label_a: package_versions(args.seed_venv / "bin" / "python", SEED_PACKAGES),
        "wrk": tool_version(["wrk", "--version"]),
        "postgresql": Postgres(args.postgres).execute("postgres", "SHOW server_version")[0][0],
    }
    if not args.self_check:
        versions[label_b] = package_versions(args.suite_python, SUITE_PACKAGES)
    tables = markdown_tables(summary, label_a, label_b)
    spread = spread_note(summary, label_a, label_b)
    markdown = "\n".join(
        [
            f"# Throughput: {label_b} against {label_a}",
            "",
            f"Measured {started:%Y-%m-%d %H:%M} UTC at commit `{commit}`: "
            f"{machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB, "
            f"kernel {machine['kernel']}; load average {' '.join(machine['loadavg'])} before, "
            f"{' '.join(machine['loadavg_after'])} after.",
            "",
            f"wrk, {args.connections} connections, {args.threads} threads, "
            f"{args.duration} s per run, {args.rounds} run(s) per stack alternating, "
            f"{args.warmup} s warm-up; figures are the mean of the runs. Ratios are "
            f"{label_b} / {label_a}: above 1.0 is more req/s, or more latency, CPU or memory.",
            "",
            tables,
            "",
            spread,
            *(f"\nNote: {note}" for note in notes),
            "",
            f"Versions: `{json.dumps(versions)}`",
        ]
    )
    document = {
        "started": started.isoformat(timespec="seconds"),
        "commit": commit,
        "stacks": {"a": label_a, "b": label_b},
        "config": {
            "self_check": args.self_check,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "rounds": args.rounds,
            "connections": args.connections,
            "wrk_threads": args.threads,
            "workers": args.workers,
            "scenarios": args.scenarios,
            "suite_env": args.suite_env,
            "suite_gunicorn_args": args.suite_gunicorn_args,
        },
        "machine": machine,
        "versions": versions,
        "summary": summary,
        "notes": notes,
        "runs": [asdict(run) | {"rps": run.rps} for run in runs],
    }
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "results.json").write_text(json.dumps(document, indent=2) + "\n")
    (args.output / "results.md").write_text(markdown + "\n")
    print(f"\n{tables}\n\n{spread}")
    for note in notes:
        print(f"Note: {note}")
    print(f"\nWritten: {args.output / 'results.md'} and results.json")
    flagged = [row for row in summary["rows"] if row["flagged"]]
    if flagged:
        print(
            f"\n{len(flagged)} row(s) FLAGGED: some responses were not 2xx; "
            "see the errors column and the wrk logs.",
            file=sys.stderr,
        )
    return bool(flagged)
