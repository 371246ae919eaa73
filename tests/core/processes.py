"""The suite's own processes — the production image's gunicorn, Celery's
worker and beat — started for a test against the test's database
(tests/core/test_export.py, tests/core/test_process_logs.py)."""

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.db import connection

from bench.harness.stacks import production_gunicorn_args

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_CONFIG = "python:suite.gunicorn_conf"


@dataclass
class Running:
    """A process a test started: what it wrote to stdout and to stderr so
    far, then in whole once it has stopped."""

    stdout_file: IO[str]
    stderr_file: IO[str]
    port: int | None = None
    stdout: str = ""
    stderr: str = ""

    def read(self):
        for name, file in (("stdout", self.stdout_file), ("stderr", self.stderr_file)):
            file.seek(0)
            setattr(self, name, file.read())

    def wait_for(self, text: str, timeout: float = 60) -> None:
        """Until stderr has `text`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.read()
            if text in self.stderr:
                return
            time.sleep(0.1)
        raise AssertionError(f"No {text!r} in {timeout} s:\n{self.stderr[-3000:]}")


def suite_environment(**env: str) -> dict[str, str]:
    """The environment of the suite's processes in a test: its database."""
    database = f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}"
    return {**os.environ, "DEBUG": "true", "DEV_MODE": "true", "DATABASE_URL": database, **env}


@contextmanager
def running(command: list[str], env: dict[str, str], pass_fds=()) -> Iterator[Running]:
    """`command` run from the project's root until the block ends (SIGTERM,
    then its exit waited for), its output kept in files, not pipes no one
    reads while it runs."""
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        process = Running(stdout, stderr)
        child = subprocess.Popen(
            command, cwd=ROOT, env=env, pass_fds=pass_fds, stdout=stdout, stderr=stderr
        )
        try:
            yield process
        finally:
            child.terminate()
            child.wait(timeout=60)
            process.read()


@contextmanager
def app_server(*args: str, config: str = PRODUCTION_CONFIG) -> Iterator[Running]:
    """gunicorn under the image's command, its `--config` replaced by
    `config`, with `args` added.

    It serves on a socket the test listens on before gunicorn starts
    (`.port`): no free port to guess (another process may take it first) and
    none to wait for, as a connection waits in the socket's queue until a
    worker takes it. Its control socket is off: servers started at once
    would share one."""
    command = production_gunicorn_args(ROOT / "Dockerfile")
    assert command[command.index("--config") + 1] == PRODUCTION_CONFIG
    command[command.index("--config") + 1] = config
    with socket.create_server(("127.0.0.1", 0)) as listener:
        bind = ["--bind", f"fd://{listener.fileno()}", "--no-control-socket"]
        with running(
            [sys.executable, "-m", "gunicorn", *command, *bind, *args],
            suite_environment(),
            pass_fds=[listener.fileno()],
        ) as server:
            server.port = listener.getsockname()[1]
            yield server
