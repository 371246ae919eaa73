"""The load generator: wrk with bench/wrk/scenario.lua, the same for both
stacks. Each run gives requests per second, latency percentiles and the
count of every response status; a run with any non-2xx or socket error is
flagged."""

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.harness.dataset import SEARCH_TERM

LUA_SCRIPT = Path(__file__).resolve().parents[1] / "wrk" / "scenario.lua"
SCENARIOS = ("list", "search", "detail", "create", "patch")
RESULT_PREFIX = "BENCH_RESULT "

# PATCH values (scenario.lua): each run sends its own range, so no PATCH sends
# a row the value an earlier run gave it (the ids repeat from run to run, and
# such a PATCH would change nothing). Each wrk thread has this many values;
# the ranges start above every loaded row's quantity and stay within 32 bits.
PATCH_VALUES_PER_THREAD = 1_000_000
_FIRST_PATCH_VALUE = 100_000
_INT32_MAX = 2**31 - 1


def patch_value_base(run_number: int, threads: int) -> int:
    """Where the PATCH values of run `run_number` (0, 1, ...) start."""
    per_run = (threads + 1) * PATCH_VALUES_PER_THREAD
    base = _FIRST_PATCH_VALUE + run_number * per_run
    if base + per_run > _INT32_MAX:
        raise ValueError(f"Run {run_number} has no PATCH values left below 2**31.")
    return base


@dataclass(frozen=True)
class LoadShape:
    seconds: int
    connections: int
    threads: int


@dataclass
class RunResult:
    stack: str
    scenario: str
    workers: int
    requests: int
    seconds: float
    statuses: dict[str, int]
    socket_errors: dict[str, int]
    latency_us: dict[str, float]
    log: str = ""
    warmup: bool = False
    # CPU time the stack's workers used for the run: less disturbed than
    # req/s by whatever else this shared machine is doing.
    server_cpu_seconds: float | None = None

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_request(self) -> float | None:
        if self.server_cpu_seconds is None or not self.requests:
            return None
        return self.server_cpu_seconds * 1000 / self.requests

    @property
    def busy_share(self) -> float | None:
        """The share of the run the stack's workers spent computing: 1.0 when
        every worker used a whole core throughout; less while they waited on
        the database, for a request, or for a core the machine gave to
        another process."""
        if self.server_cpu_seconds is None or not self.seconds:
            return None
        return self.server_cpu_seconds / (self.seconds * self.workers)

    @property
    def failed_responses(self) -> int:
        return sum(n for status, n in self.statuses.items() if not status.startswith("2"))

    @property
    def socket_error_count(self) -> int:
        return sum(self.socket_errors.values())

    @property
    def clean(self) -> bool:
        return self.failed_responses == 0 and self.socket_error_count == 0 and self.requests > 0

    def problems(self) -> str:
        parts = [f"{n} x {s}" for s, n in sorted(self.statuses.items()) if not s.startswith("2")]
        parts += [f"{n} socket {kind}" for kind, n in self.socket_errors.items() if n]
        if self.requests == 0:
            parts.append("no requests completed")
        return ", ".join(parts)


def run_wrk(
    *,
    stack,
    scenario: str,
    workers: int,
    base_url: str,
    token: str,
    id_range: tuple[int, int],
    tag: str,
    shape: LoadShape,
    log: Path,
    value_base: int,
    warmup: bool = False,
) -> RunResult:
    command = [
        "wrk",
        f"--threads={shape.threads}",
        f"--connections={shape.connections}",
        f"--duration={shape.seconds}s",
        "--timeout=10s",
        "--latency",
        f"--script={LUA_SCRIPT}",
        base_url,
        "--",
        scenario,
        stack.collection,
        stack.detail_suffix,
        token,
        str(id_range[0]),
        str(id_range[1]),
        tag,
        SEARCH_TERM,
        str(value_base),
        str(PATCH_VALUES_PER_THREAD),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=shape.seconds + 60)
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(done.stdout + done.stderr)
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"wrk failed ({done.returncode}); see {log}")
    data = json.loads(lines[-1][len(RESULT_PREFIX) :])
    return RunResult(
        stack=stack.label,
        scenario=scenario,
        workers=workers,
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        statuses=data["statuses"],
        socket_errors=data["socket_errors"],
        latency_us=data["latency_us"],
        log=str(log),
        warmup=warmup,
    )
