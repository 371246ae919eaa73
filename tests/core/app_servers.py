"""The production image's gunicorn, started for a test against the test's
database (tests/core/test_export.py, tests/core/test_process_logs.py)."""

import os
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

from bench.harness.stacks import production_gunicorn_args

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_CONFIG = "python:suite.gunicorn_conf"


@dataclass
class AppServer:
    port: int
    log: str = ""  # what gunicorn wrote, once it has stopped


@contextmanager
def app_server(*args: str, config: str = PRODUCTION_CONFIG) -> Iterator[AppServer]:
    """gunicorn under the image's command, its `--config` replaced by
    `config`, with `args` added, until the block ends; then its log.

    It serves on a socket the test listens on before gunicorn starts: no
    free port to guess (another process may take it first) and none to wait
    for, as a connection waits in the socket's queue until a worker takes
    it. Its control socket is off: servers started at once would share one."""
    command = production_gunicorn_args(ROOT / "Dockerfile")
    assert command[command.index("--config") + 1] == PRODUCTION_CONFIG
    command[command.index("--config") + 1] = config
    database = f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}"
    with socket.create_server(("127.0.0.1", 0)) as listener, tempfile.TemporaryFile("w+") as log:
        served = AppServer(port=listener.getsockname()[1])
        bind = ["--bind", f"fd://{listener.fileno()}", "--no-control-socket"]
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", *command, *bind, *args],
            cwd=ROOT,
            env={**os.environ, "DEBUG": "true", "DEV_MODE": "true", "DATABASE_URL": database},
            pass_fds=[listener.fileno()],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield served
        finally:
            server.terminate()
            server.wait(timeout=60)
            log.seek(0)
            served.log = log.read()
