"""The image's app servers: the Dockerfile's command with gunicorn's own
environment (WEB_CONCURRENCY, GUNICORN_CMD_ARGS), as a platform sets it."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def image_command() -> list[str]:
    line = next(
        line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("CMD ")
    )
    return json.loads(line.removeprefix("CMD "))


def served_with(**env) -> dict[str, str]:
    """The settings gunicorn would serve with (`--print-config`), under the image's command."""
    program, *args = image_command()
    assert program == "gunicorn"
    clean = {
        k: v for k, v in os.environ.items() if k not in {"WEB_CONCURRENCY", "GUNICORN_CMD_ARGS"}
    }
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", *args, "--print-config"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return dict(re.findall(r"^(\w+)\s+= (.*)$", result.stdout, re.MULTILINE))


def test_the_image_serves_two_workers_on_port_8000_leaving_the_access_log_to_the_suite():
    served = served_with()
    assert (served["workers"], served["bind"], served["accesslog"]) == (
        "2",
        "['0.0.0.0:8000']",
        "None",
    )


@pytest.mark.parametrize(
    "env",
    [{"WEB_CONCURRENCY": "4"}, {"GUNICORN_CMD_ARGS": "--workers=4"}],
    ids=["WEB_CONCURRENCY", "GUNICORN_CMD_ARGS"],
)
def test_gunicorns_own_environment_sets_the_workers(env):
    assert served_with(**env)["workers"] == "4"


def test_gunicorn_cmd_args_sets_any_other_flag_too():
    served = served_with(GUNICORN_CMD_ARGS="--bind=0.0.0.0:9000 --timeout=60")
    assert (served["bind"], served["timeout"]) == ("['0.0.0.0:9000']", "60")
