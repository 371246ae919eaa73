"""`make bench`: set up both stacks on the same rows, then measure each
scenario with 1 and then 2 workers, alternating the stacks (A, B, A, B) so
drift on this shared machine hits both. See docs/performance.md."""

import datetime
import itertools
import json
import shutil
import signal
import sys
import time
from contextlib import ExitStack

from bench.harness import report
from bench.harness.dataset import SEARCH_TERM, SUBJECT, build_rows, search_matches
from bench.harness.load import LoadShape, RunResult, patch_value_base, run_wrk
from bench.harness.options import parse_args
from bench.harness.preflight import PreflightError, check_stack, compare
from bench.harness.processes import PeakMemorySampler, free_port
from bench.harness.stacks import Identity, Postgres, SeedStack, ToolsuiteStack
from bench.harness.tokens import JwksServer, SigningKey, bench_token

DOMAIN = "bench.local"
ISSUER = f"https://{DOMAIN}/"
AUDIENCE = "https://api.bench.local"


def main(argv=None) -> int:
    args = parse_args(argv)
    # Ctrl-C raises KeyboardInterrupt; these unwind the same way, so every
    # server started is stopped by the ExitStack below.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGHUP, _exit_on_signal)
    stacks = _stacks(args)
    bench = Bench(args, stacks)
    started = datetime.datetime.now(datetime.UTC)
    machine = report.describe_machine()
    commit = report.current_commit()

    with ExitStack() as cleanup, JwksServer(bench.key.jwks()) as jwks:
        bench.identity = Identity(DOMAIN, ISSUER, AUDIENCE, jwks.url)
        bench.prepare()
        for workers in args.workers:
            try:
                bench.run_with(workers, cleanup)
            except PreflightError as error:
                print(f"\nPreflight failed: {error}", file=sys.stderr)
                return 1

    if args.check:
        print("\nCheck passed: both stacks are set up and answer every scenario.")
        return 0
    flagged = report.publish(
        args, stacks, bench.runs, bench.memory, bench.notes, started, machine, commit
    )
    return 2 if flagged else 0


def _exit_on_signal(signum, frame):
    raise SystemExit(128 + signum)


def _stacks(args):
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    if not (args.seed_venv / "bin" / "uvicorn").exists():
        sys.exit(f"No seed stack venv at {args.seed_venv}: `make bench` creates it.")
    seed = SeedStack("seed", "bench_seed", args.seed_venv)
    if args.self_check:
        return seed, SeedStack("seed-b", "bench_seed_b", args.seed_venv)
    if not args.suite_python.exists():
        sys.exit(
            f"No Toolsuite Python at {args.suite_python}: `make bench` installs "
            "requirements/prod.txt into .venv."
        )
    return seed, ToolsuiteStack(
        "bench_suite",
        args.suite_python,
        cache_url=args.suite_cache_url,
        extra_env=args.suite_env,
        extra_gunicorn_args=args.suite_gunicorn_args.split(),
    )


class Bench:
    """One benchmark: two stacks, the token they both verify, and the results."""

    def __init__(self, args, stacks):
        self.args = args
        self.stacks = stacks
        self.postgres = Postgres(args.postgres)
        self.key = SigningKey()
        self.token = bench_token(self.key, issuer=ISSUER, audience=AUDIENCE, subject=SUBJECT)
        self.identity: Identity | None = None
        self.id_ranges: dict[str, tuple[int, int]] = {}
        self.logs = args.output / "logs"
        self.run_id = format(int(time.time()), "x")[-6:]
        self.runs: list[RunResult] = []
        self.runs_started = itertools.count()
        self.memory: dict[int, dict[str, float | None]] = {}
        self.notes: list[str] = []
        if not stacks[1].verifies_tokens:
            self.note(
                f"{stacks[1].label} ran with DEV_MODE: it verified no token, so these "
                "figures only show that the harness works; they compare nothing."
            )

    def note(self, text: str):
        self.notes.append(text)
        print(f"Note: {text}", file=sys.stderr)

    def prepare(self):
        rows = build_rows()
        rows_path = self.args.output / "rows.json"
        rows_path.parent.mkdir(parents=True, exist_ok=True)
        rows_path.write_text(json.dumps(rows))
        print(f"{len(rows)} rows; the search for {SEARCH_TERM!r} matches {search_matches(rows)}.")
        print("Setting up the databases")
        for stack in self.stacks:
            stack.prepare(self.postgres, self.identity, rows_path)
            self.id_ranges[stack.label] = stack.loaded_id_range(self.postgres)

    def reset_rows(self, stack):
        """Back to the loaded rows: what creates added is removed."""
        stack.delete_created_rows(self.postgres, self.id_ranges[stack.label][1])

    def run_with(self, workers: int, cleanup: ExitStack):
        print(f"\n{workers} worker(s)")
        servers = self._start(workers, cleanup)
        try:
            self._preflight(servers)
            if self.args.check:
                return
            with ExitStack() as sampling:
                samplers = {
                    label: sampling.enter_context(PeakMemorySampler(server))
                    for label, (server, _) in servers.items()
                }
                for scenario in self.args.scenarios:
                    self._measure(scenario, workers, servers)
            self._record_memory(workers, samplers)
        finally:
            for server, _ in servers.values():
                server.stop()

    def _start(self, workers: int, cleanup: ExitStack) -> dict:
        servers = {}
        for stack in self.stacks:
            self.reset_rows(stack)
            stack.vacuum(self.postgres)
            port = free_port()
            log = self.logs / f"{stack.label}-{workers}w.log"
            server = stack.server(self.postgres, self.identity, workers, port, log)
            cleanup.callback(server.stop)
            server.start()
            servers[stack.label] = (server, f"http://127.0.0.1:{port}")
        for stack in self.stacks:
            server, url = servers[stack.label]
            server.wait_until_answering(f"{url}/health", workers)
            print(f"  {stack.label}: {' '.join(server.command)}")
        return servers

    def _preflight(self, servers: dict):
        try:
            a, b = (
                check_stack(stack, servers[stack.label][1], self.token, self.id_ranges[stack.label])
                for stack in self.stacks
            )
            compare(self.stacks[0].label, a, self.stacks[1].label, b)
        finally:
            for stack in self.stacks:
                self.reset_rows(stack)
        print("  preflight: both stacks answer every scenario and list the same rows")

    def _measure(self, scenario: str, workers: int, servers: dict):
        """Warm each stack up, then A, B, A, B …"""
        warmups = [("w", stack) for stack in self.stacks if self.args.warmup > 0]
        rounds = [(str(n + 1), stack) for n in range(self.args.rounds) for stack in self.stacks]
        for round_name, stack in warmups + rounds:
            warmup = round_name == "w"
            server, url = servers[stack.label]
            cpu_before = server.cpu_seconds()
            result = run_wrk(
                stack=stack,
                scenario=scenario,
                workers=workers,
                base_url=url,
                token=self.token,
                id_range=self.id_ranges[stack.label],
                tag=f"{self.run_id}-{workers}{round_name}{self.stacks.index(stack)}",
                shape=LoadShape(
                    self.args.warmup if warmup else self.args.duration,
                    self.args.connections,
                    self.args.threads,
                ),
                log=self.logs / "wrk" / f"{workers}w-{scenario}-{stack.label}-{round_name}.txt",
                value_base=patch_value_base(next(self.runs_started), self.args.threads),
                warmup=warmup,
            )
            server.wait_until_idle()
            cpu_used = server.cpu_seconds() - cpu_before
            # Negative when a worker was replaced during the run: not measured.
            result.server_cpu_seconds = cpu_used if cpu_used >= 0 else None
            if scenario == "create":
                self.reset_rows(stack)
            self.runs.append(result)
            _print_run(result, round_name)

    def _record_memory(self, workers: int, samplers: dict):
        for label, sampler in samplers.items():
            if len(sampler.peaks) > workers:
                self.note(
                    f"{label} with {workers} worker(s): a worker was replaced during the run "
                    f"({len(sampler.peaks)} worker pids seen)."
                )
            peak = max(sampler.peaks.values(), default=None)
            self.memory.setdefault(workers, {})[label] = peak / 1024 if peak else None


def _print_run(result: RunResult, round_name: str):
    kind = "warm-up" if result.warmup else f"run {round_name}"
    status = "ok" if result.clean else f"ERRORS: {result.problems()}"
    print(
        f"  {result.scenario:<7} {result.stack:<10} {kind:<8} {result.rps:8.1f} req/s"
        f"  p50 {result.latency_us['p50'] / 1000:7.1f} ms"
        f"  p99 {result.latency_us['p99'] / 1000:7.1f} ms"
        f"  cpu {_format_ms(result.cpu_ms_per_request)} ms/req"
        f"  {status}"
    )


def _format_ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:5.2f}"
