"""Server processes: started in their own session so that they, and every
worker they fork, can be ended together; their peak memory read from /proc."""

import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class ServerProcess:
    """One app server (master and workers) listening on 127.0.0.1:port."""

    def __init__(self, name: str, command: list[str], *, cwd: Path, env: dict, log: Path):
        self.name = name
        self.command = command
        self.cwd = cwd
        self.env = env
        self.log_path = log
        self.process: subprocess.Popen | None = None

    def start(self):
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        try:
            self.process = subprocess.Popen(
                self.command,
                cwd=self.cwd,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            log.close()

    def wait_until_answering(self, url: str, workers: int, timeout: float = 60.0):
        """Until `url` answers 200 and all workers have started."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with {self.process.returncode}; see {self.log_path}"
                )
            if len(self.worker_pids()) == workers and _answers(url):
                return
            time.sleep(0.2)
        raise RuntimeError(
            f"{self.name} did not answer {url} with {workers} worker(s) within {timeout:.0f} s;"
            f" see {self.log_path}"
        )

    def worker_pids(self) -> list[int]:
        """The processes serving requests: the master's children (gunicorn,
        uvicorn --workers N > 1), or the process itself when it has none."""
        if self.process is None or self.process.poll() is not None:
            return []
        children = [
            pid for pid in _children(self.process.pid) if "resource_tracker" not in _cmdline(pid)
        ]
        return children or [self.process.pid]

    def cpu_ticks(self) -> int:
        return sum(process_cpu_ticks(pid) for pid in self.worker_pids())

    def cpu_seconds(self) -> float:
        """CPU time the workers have used so far (user and system)."""
        return self.cpu_ticks() / CLOCK_TICKS

    def wait_until_idle(self, quiet: float = 0.3, timeout: float = 15.0):
        """Until the workers have used no CPU for `quiet` seconds: requests
        still in flight when the load generator stopped have finished, and
        neither commit into nor compete with what is measured next."""
        deadline = time.monotonic() + timeout
        last, quiet_since = self.cpu_ticks(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.05)
            ticks = self.cpu_ticks()
            if ticks != last:
                last, quiet_since = ticks, time.monotonic()
            elif time.monotonic() - quiet_since >= quiet:
                return

    def stop(self, timeout: float = 10.0):
        if self.process is None or self.process.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.process.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now, for a server to take."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _children(parent: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: the ppid
        # is the second field after the closing one.
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
            children.append(int(entry.name))
    return sorted(children)


def process_cpu_ticks(pid: int) -> int:
    """User and system CPU time of a process, in clock ticks (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def peak_rss_kib(pid: int) -> int | None:
    """The process's peak resident set size (VmHWM) so far, in KiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


class PeakMemorySampler:
    """Samples the workers' VmHWM twice a second while a server is measured,
    so a worker that is replaced during the run still counts."""

    def __init__(self, server: ServerProcess, interval: float = 0.5):
        self.server = server
        self.interval = interval
        self.peaks: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self):
        for pid in self.server.worker_pids():
            peak = peak_rss_kib(pid)
            if peak is not None:
                self.peaks[pid] = max(peak, self.peaks.get(pid, 0))

    def _run(self):
        while not self._stop.wait(self.interval):
            self._sample()

    def __enter__(self):
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._sample()
