"""Proof that 141 tools run as well as 2: generate 139 tools into a throwaway
copy of the project, and measure it side by side with an unmodified copy.

    .venv/bin/python scripts/scale_check.py [--database-url postgres://…/scale_check]

Each copy gets a fresh PostgreSQL database (`<name>_2`, `<name>_141`,
dropped at the end unless --keep). Measured for each: process start
(`manage.py check`) and its peak memory, URL patterns, OpenAPI schema
generation, the manifest (`GET /api/v1/tools/`) through the whole stack,
and the generic tool tests. docs/scale.md explains the figures and targets.
"""

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import scale_tools
from throwaway_database import recreate

PROJECT_DIR = Path(__file__).resolve().parents[1]
PROBE = Path(__file__).resolve().parent / "scale_probe.py"
COPIED = ("manage.py", "pyproject.toml", "suite", "apps", "tests", "requirements")
BUILT_IN_TOOLS = ("components", "testing")

# Targets (issue 5).
START_RATIO_TARGET = 2.0
SCHEMA_SECONDS_TARGET = 10.0
MANIFEST_MS_TARGET = 50.0

# The tests use the database the check migrated, as it is, each in a
# transaction rolled back at its end (pytest-django's documented way).
TEST_CONFTEST = '''\
import pytest


@pytest.fixture(scope="session")
def django_db_setup():
    """The scale check migrated this database already."""
'''


@dataclass
class Copy:
    """One throwaway copy of the project and its database."""

    label: str
    root: Path
    database_url: str
    figures: dict = field(default_factory=dict)

    @property
    def env(self) -> dict:
        return {
            **os.environ,
            "PYTHONPATH": str(self.root),
            "DJANGO_SETTINGS_MODULE": "suite.settings",
            "SECRET_KEY": "scale-check-only-not-a-secret-0123456789abcdefghijklmnop",
            "DEBUG": "false",
            "DEV_MODE": "false",
            # Plain HTTP on this machine: no redirect to HTTPS.
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": self.database_url,
            "ALLOWED_HOSTS": "testserver",
            "API_THROTTLE_USER": "",
            "API_THROTTLE_ANON": "",
        }

    def run(self, *args: str, timeout: int = 3600) -> "Run":
        """Run `args` (after the Python interpreter) in the copy; fail loudly."""
        command = [sys.executable, *args]
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            cwd=self.root,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        stdout, stderr = process.communicate(timeout=timeout)
        seconds = time.perf_counter() - started
        if process.returncode != 0:
            raise SystemExit(
                f"[{self.label}] {' '.join(args)} failed ({process.returncode}):\n"
                f"{stderr[-4000:] or stdout[-4000:]}"
            )
        return Run(seconds, stdout, stderr)

    def measured(self, *args: str) -> "Run":
        """Run `args` and record the child's CPU time and peak memory."""
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, *args],
            cwd=self.root,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        stderr = process.stderr.read().decode()
        process.stderr.close()
        if process.returncode != 0:
            raise SystemExit(f"[{self.label}] {' '.join(args)} failed:\n{stderr[-4000:]}")
        return Run(seconds, "", stderr, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)

    def probe(self, *args: str) -> dict:
        return json.loads(self.run(str(PROBE), *args).stdout.strip().splitlines()[-1])


@dataclass
class Run:
    seconds: float
    stdout: str
    stderr: str
    cpu_seconds: float = 0.0
    peak_mb: float = 0.0


# --- Setting up ------------------------------------------------------------------------


def copy_project(target: Path) -> Path:
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    target.mkdir(parents=True)
    for name in COPIED:
        source = PROJECT_DIR / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=skip)
        else:
            shutil.copy2(source, target / name)
    (target / "conftest.py").write_text(TEST_CONFTEST)
    (target / "var").mkdir()
    return target


def compile_bytecode(copy: Copy):
    """As the Docker image does: a start measures loading the code, not
    compiling it (PYTHONDONTWRITEBYTECODE would make every start compile)."""
    copy.run("-m", "compileall", "-q", "apps", "suite", "tests", "manage.py")


def generate_tools(copy: Copy, specs: list[scale_tools.ToolSpec]) -> dict:
    """The first tool with `manage.py newtool` as a person runs it, the
    others with the same command in one process per wave, each wave followed
    by one makemigrations for its tools. A wave's tools link only to tools
    that have their migrations already, so each gets the one `0001_initial`
    that `newtool` would have made."""
    first, *others = specs
    single = copy.run("manage.py", "newtool", *first.newtool_args())
    batch_seconds = makemigrations_seconds = 0.0
    made = 1
    specs_file = copy.root / "var" / "scale-specs.json"
    for wave in sorted({spec.wave for spec in others}):
        batch = [spec for spec in others if spec.wave == wave]
        specs_file.write_text(json.dumps([spec.newtool_args() for spec in batch]))
        result = copy.probe("generate", str(specs_file))
        batch_seconds += result["seconds"]
        made += result["tools"]
        slugs = [spec.slug for spec in batch]
        makemigrations_seconds += copy.run(
            "manage.py", "makemigrations", *slugs, "--no-input"
        ).seconds
    return {
        "tools": made,
        "single_newtool_seconds": single.seconds,
        "batch_seconds": batch_seconds,
        "makemigrations_seconds": makemigrations_seconds,
    }


# --- Measuring -----------------------------------------------------------------------


def measure(copy: Copy, options, test_modules: list[str]):
    figures = copy.figures
    figures["migrate_seconds"] = copy.run("manage.py", "migrate", "--no-input").seconds
    figures.update(copy.probe("inspect"))

    schema_file = copy.root / "var" / "openapi.yaml"
    schemas = [
        copy.measured("manage.py", "spectacular", "--file", str(schema_file))
        for _ in range(options.schema_runs)
    ]
    figures["schema_best"] = min(r.seconds for r in schemas)
    figures["schema_cpu_best"] = min(r.cpu_seconds for r in schemas)
    figures["schema_kb"] = schema_file.stat().st_size / 1024
    validate = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn",
         "--file", str(schema_file)],
        cwd=copy.root, env=copy.env, capture_output=True, check=False,
    )  # fmt: skip
    figures["schema_valid"] = "yes" if validate.returncode == 0 else "NO"

    figures.update(
        {f"manifest_{k}": v for k, v in copy.probe("manifest", str(options.requests)).items()}
    )
    figures.update(run_tests(copy, test_modules))


def measure_starts(copies: list[Copy], runs: int):
    """`manage.py check` in each copy in turn, `runs` rounds: whatever else
    the machine is doing weighs on both alike."""
    starts: dict[str, list[Run]] = {copy.label: [] for copy in copies}
    for copy in copies:
        copy.measured("manage.py", "check")  # warm the file system cache
    for _ in range(runs):
        for copy in copies:
            starts[copy.label].append(copy.measured("manage.py", "check"))
    for copy in copies:
        runs_of_copy = starts[copy.label]
        copy.figures.update(
            start_best=min(r.seconds for r in runs_of_copy),
            start_median=statistics.median(r.seconds for r in runs_of_copy),
            start_cpu_best=min(r.cpu_seconds for r in runs_of_copy),
            start_cpu_median=statistics.median(r.cpu_seconds for r in runs_of_copy),
            start_peak_mb=max(r.peak_mb for r in runs_of_copy),
        )


def run_tests(copy: Copy, modules: list[str]) -> dict:
    report = copy.root / "var" / "tests.xml"
    paths = [f"tests/tools/test_{module}.py" for module in modules]
    run = copy.run("-m", "pytest", "-q", *paths, f"--junitxml={report}")
    per_module: dict[str, float] = defaultdict(float)
    tests = 0
    for case in ET.parse(report).getroot().iter("testcase"):
        module = case.get("classname", "").split(".")[2].removeprefix("test_")
        per_module[module] += float(case.get("time", 0))
        tests += 1
    generated = [s for m, s in per_module.items() if m not in BUILT_IN_TOOLS]
    return {
        "tests_wall": run.seconds,
        "tests_count": tests,
        "tests_modules": len(per_module),
        "tests_per_module": dict(per_module),
        "tests_generated_mean": statistics.mean(generated) if generated else None,
    }


# --- Reporting -------------------------------------------------------------------------


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {"cpus": os.cpu_count(), "cpu": cpu, "ram_gb": memory_kb / 1024 / 1024}


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def print_report(small: Copy, large: Copy, generation: dict, options, loads: list[str]):
    a, b = small.figures, large.figures
    info = machine()
    print(
        f"\nMachine: {info['cpus']} CPUs ({info['cpu']}), {info['ram_gb']:.1f} GB RAM; "
        f"Python {platform.python_version()}."
    )
    print(f"Load average (1, 5, 15 min): {' -> '.join(loads)}.")
    print(
        f"Generated {generation['tools']} tools: one `manage.py newtool` "
        f"{generation['single_newtool_seconds']:.1f} s (with its makemigrations); "
        f"{generation['tools'] - 1} more in-process {generation['batch_seconds']:.1f} s "
        f"and makemigrations for them {generation['makemigrations_seconds']:.1f} s.\n"
    )
    rows = [
        ("installed apps / tools", "{apps} / {tools}"),
        ("models (entities + history + links)", "{models}"),
        ("admin registrations", "{admin_models}"),
        ("URL patterns", "{url_patterns}"),
        ("migrate a fresh database (s)", "{migrate_seconds:.1f}"),
        (f"start: manage.py check, best of {options.runs} (s)", "{start_best:.2f}"),
        ("start: median (s)", "{start_median:.2f}"),
        ("start: CPU time, best / median (s)", "{start_cpu_best:.2f} / {start_cpu_median:.2f}"),
        ("start: peak memory (MB)", "{start_peak_mb:.0f}"),
        ("import the URLconf, in-process (s)", "{urls_seconds:.2f}"),
        (
            f"schema: manage.py spectacular, best of {options.schema_runs}: wall / CPU (s)",
            "{schema_best:.2f} / {schema_cpu_best:.2f}",
        ),
        (
            "schema: in-process, first / again (s)",
            "{schema_cold_seconds:.2f} / {schema_warm_seconds:.2f}",
        ),
        ("schema: paths, size (KB), valid", "{schema_paths}, {schema_kb:.0f}, {schema_valid}"),
        ("manifest: first request (ms)", "{manifest_cold_ms:.0f}"),
        (
            f"manifest: warm, median / p95 of {options.requests} (ms)",
            "{manifest_warm_median_ms:.1f} / {manifest_warm_p95_ms:.1f}",
        ),
        ("manifest: 304 (If-None-Match), median (ms)", "{manifest_not_modified_median_ms:.1f}"),
        ("manifest: tools, size (KB)", "{manifest_tools}, {manifest_kb:.0f}"),
        ("tests: modules run, tests", "{tests_modules}, {tests_count}"),
        ("tests: pytest wall time (s)", "{tests_wall:.1f}"),
        *(
            (f"tests: test_{tool}.py (s)", f"{{tests_per_module[{tool}]:.1f}}")
            for tool in BUILT_IN_TOOLS
        ),
        ("tests: generated tool, mean (s)", "{tests_generated_mean_text}"),
        ("tests: every tool (s)", "{tests_all_text}"),
    ]
    for figures in (a, b):
        figures["manifest_kb"] = figures["manifest_bytes"] / 1024
        mean = figures["tests_generated_mean"]
        figures["tests_generated_mean_text"] = "-" if mean is None else f"{mean:.1f}"
        built_in = sum(figures["tests_per_module"][t] for t in BUILT_IN_TOOLS)
        extra = figures["tools"] - len(BUILT_IN_TOOLS)
        if mean is None or figures["tests_modules"] == figures["tools"]:
            total = sum(figures["tests_per_module"].values())
            figures["tests_all_text"] = f"{total:.0f}"
        else:
            figures["tests_all_text"] = f"~{built_in + mean * extra:.0f} (extrapolated)"
    width = max(len(label) for label, _ in rows)
    print(f"{'':{width}}  {small.label:>16}  {large.label:>22}")
    for label, template in rows:
        print(f"{label:{width}}  {template.format(**a):>16}  {template.format(**b):>22}")

    ratio = b["start_best"] / a["start_best"]
    cpu_ratio = b["start_cpu_best"] / a["start_cpu_best"]
    verdicts = [
        (
            f"start with {b['tools']} tools within {START_RATIO_TARGET:g}x of {a['tools']} "
            "(wall and CPU time, best runs)",
            f"{ratio:.2f}x wall, {cpu_ratio:.2f}x CPU",
            max(ratio, cpu_ratio) <= START_RATIO_TARGET,
        ),
        (
            f"schema generation under {SCHEMA_SECONDS_TARGET:g} s (in-process, first call)",
            f"{b['schema_cold_seconds']:.2f} s",
            b["schema_cold_seconds"] < SCHEMA_SECONDS_TARGET,
        ),
        (
            f"`manage.py spectacular --file` (YAML) under {SCHEMA_SECONDS_TARGET:g} s",
            f"{b['schema_best']:.2f} s wall, {b['schema_cpu_best']:.2f} s CPU",
            max(b["schema_best"], b["schema_cpu_best"]) < SCHEMA_SECONDS_TARGET,
        ),
        (
            f"manifest under {MANIFEST_MS_TARGET:g} ms (warm median)",
            f"{b['manifest_warm_median_ms']:.1f} ms",
            b["manifest_warm_median_ms"] < MANIFEST_MS_TARGET,
        ),
    ]
    print("\nTargets:")
    for name, value, ok in verdicts:
        print(f"  {'PASS' if ok else 'FAIL'}  {name}: {value}")
    return all(ok for _, _, ok in verdicts)


# --- The command -----------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("SCALE_CHECK_DATABASE_URL")
        or "postgres://postgres@127.0.0.1:5432/scale_check",
        help="PostgreSQL server and base name: <name>_2 and <name>_<N> are (re)created there.",
    )
    parser.add_argument("--tools", type=int, default=139, help="Tools to generate (139).")
    parser.add_argument("--seed", type=int, default=141, help="Seed of the tool specs (141).")
    parser.add_argument("--runs", type=int, default=7, help="manage.py check runs (7).")
    parser.add_argument("--schema-runs", type=int, default=3, help="spectacular runs (3).")
    parser.add_argument("--requests", type=int, default=200, help="Manifest requests (200).")
    parser.add_argument(
        "--sample",
        type=int,
        default=10,
        help="Generated tools whose tests run (10, seeded; 0: all of them).",
    )
    parser.add_argument("--keep", action="store_true", help="Keep the copies and databases.")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    options = parse_args(argv)
    specs = scale_tools.tool_specs(options.tools, options.seed)
    workdir = Path(tempfile.mkdtemp(prefix="scale-check-"))
    base = options.database_url.rstrip("/")
    small, large = (
        Copy(f"{n} tools", workdir / f"tools-{n}", f"{base}_{n}")
        for n in (len(BUILT_IN_TOOLS), len(BUILT_IN_TOOLS) + len(specs))
    )
    loads = [load()]
    print(f"Working in {workdir}; load average {loads[0]}.", flush=True)
    try:
        copy_project(small.root)
        copy_project(large.root)
        print(f"Generating {len(specs)} tools …", flush=True)
        generation = generate_tools(large, specs)
        slugs = [spec.slug for spec in specs]
        sample = (
            slugs
            if options.sample == 0
            else random.Random(options.seed).sample(slugs, min(options.sample, len(slugs)))
        )
        for copy, modules in ((small, []), (large, sorted(sample))):
            print(f"Measuring {copy.label} …", flush=True)
            compile_bytecode(copy)
            recreate(copy.database_url)
            measure(copy, options, [*BUILT_IN_TOOLS, *modules])
            loads.append(load())
        print("Measuring start-up, both in turn …", flush=True)
        measure_starts([small, large], options.runs)
        loads.append(load())
        if options.sample:
            print(f"Tests of generated tools: a sample of {len(sample)} (seed {options.seed}).")
        ok = print_report(small, large, generation, options, loads)
    finally:
        if options.keep:
            print(f"Kept {workdir} and the databases {small.database_url}, {large.database_url}.")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
            for copy in (small, large):
                recreate(copy.database_url, create=False)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
