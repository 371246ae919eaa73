"""The two stacks under test: how each gets its database, how it is served,
and where its endpoints are. Both get the same rows and the same identity
provider; each runs as it would in production."""

import json
import os
import shlex
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from bench.harness.processes import ServerProcess

ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = ROOT / "bench" / "seed_stack"


@dataclass(frozen=True)
class Identity:
    """The identity provider both stacks trust (see tokens.py)."""

    domain: str
    issuer: str
    audience: str
    jwks_url: str


@dataclass(frozen=True)
class Postgres:
    """The PostgreSQL server both stacks use; only `bench_` databases are touched."""

    url: str  # without a database name: postgresql://postgres@127.0.0.1:5432

    def database_url(self, name: str) -> str:
        return f"{self.url.rstrip('/')}/{name}"

    def connect(self, name: str = "postgres"):
        # Imported here: only the harness's venv has psycopg2, and the tests
        # import this module with Toolsuite's requirements.
        import psycopg2

        return psycopg2.connect(self.database_url(name))

    def recreate(self, name: str):
        if not name.startswith("bench_"):
            raise ValueError(f"The benchmark only touches bench_ databases, not {name!r}.")
        connection = self.connect()
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            connection.close()

    def execute(self, name: str, sql: str, params=None, *, autocommit=False):
        connection = self.connect(name)
        connection.autocommit = autocommit
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                result = cursor.fetchall() if cursor.description else None
            if not autocommit:
                connection.commit()
            return result
        finally:
            connection.close()


def _run(command: list[str], *, cwd: Path, env: dict, what: str):
    started = time.monotonic()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    print(f"  {what}: {time.monotonic() - started:.1f} s")


def base_env() -> dict:
    """A clean environment: a developer's own settings must not leak into a run."""
    return {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "TZ") if k in os.environ}


class Stack:
    label: str
    database: str
    table: str
    collection: str  # the list path
    detail_suffix: str  # what follows an id in a record's path

    # False when the stack lets every request in (Toolsuite's DEV_MODE):
    # the harness can still be exercised, but the figures compare nothing.
    verifies_tokens = True

    def prepare(self, postgres: Postgres, identity: Identity, rows_path: Path):
        raise NotImplementedError

    def server(self, postgres: Postgres, identity: Identity, workers: int, port: int, log: Path):
        raise NotImplementedError

    def loaded_id_range(self, postgres: Postgres) -> tuple[int, int]:
        first, last = postgres.execute(self.database, f"SELECT min(id), max(id) FROM {self.table}")[
            0
        ]
        return first, last

    def delete_created_rows(self, postgres: Postgres, last_loaded_id: int):
        """Remove what the create scenario added, so every run sees the same rows."""
        postgres.execute(self.database, f"DELETE FROM {self.table} WHERE id > %s", [last_loaded_id])

    def vacuum(self, postgres: Postgres):
        postgres.execute(self.database, "VACUUM ANALYZE", autocommit=True)


class SeedStack(Stack):
    """The seed's FastAPI app as its Dockerfile runs it: uvicorn, with workers."""

    table = "components"
    collection = "/api/v1/components/"
    detail_suffix = ""

    def __init__(self, label: str, database: str, venv: Path):
        self.label = label
        self.database = database
        self.venv = venv

    def _env(self, postgres: Postgres) -> dict:
        return base_env() | {"DATABASE_URL": postgres.database_url(self.database)}

    def prepare(self, postgres, identity, rows_path):
        postgres.recreate(self.database)
        _run(
            [str(self.venv / "bin" / "python"), "load_rows.py", str(rows_path)],
            cwd=SEED_DIR,
            env=self._env(postgres),
            what=f"{self.label}: load rows into {self.database}",
        )

    def server(self, postgres, identity, workers, port, log):
        env = self._env(postgres) | {
            "AUTH0_DOMAIN": identity.domain,
            "AUTH0_API_AUDIENCE": identity.audience,
            "AUTH0_JWKS_URL": identity.jwks_url,
        }
        command = [
            str(self.venv / "bin" / "uvicorn"),
            "app.main:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ]
        return ServerProcess(self.label, command, cwd=SEED_DIR, env=env, log=log)


class ToolsuiteStack(Stack):
    """Toolsuite as its production image runs it: gunicorn with the
    Dockerfile's own arguments, DEBUG off, audit and history on."""

    label = "toolsuite"
    table = "components_component"
    collection = "/api/v1/components/components/"
    detail_suffix = "/"

    def __init__(
        self,
        database: str,
        python: Path,
        *,
        cache_url: str,
        extra_env: dict,
        extra_gunicorn_args: list[str],
    ):
        self.database = database
        self.python = python
        self.cache_url = cache_url
        self.extra_env = extra_env
        self.extra_gunicorn_args = extra_gunicorn_args
        self.verifies_tokens = extra_env.get("DEV_MODE", "").lower() not in (
            "1",
            "true",
            "yes",
            "on",
        )

    def env(self, postgres: Postgres, identity: Identity) -> dict:
        """Production settings; the same for migrate, the loader and gunicorn,
        so settings that insist on the Auth0 variables find them everywhere."""
        return (
            base_env()
            | {
                "DJANGO_SETTINGS_MODULE": "suite.settings",
                "DEBUG": "false",
                "DEV_MODE": "false",
                # Plain HTTP on this machine: no redirect to HTTPS.
                "SECURE_SSL_REDIRECT": "false",
                "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "DATABASE_URL": postgres.database_url(self.database),
                "CACHE_URL": self.cache_url,
                "AUTH0_DOMAIN": identity.domain,
                "AUTH0_ISSUER": identity.issuer,
                "AUTH0_API_AUDIENCE": identity.audience,
                "AUTH0_JWKS_URL": identity.jwks_url,
                # Throttling stays on, counted in Redis as in production, with a
                # limit the benchmark's one user cannot reach.
                "API_THROTTLE_USER": "1000000000/min",
            }
            | self.extra_env
        )

    def prepare(self, postgres, identity, rows_path):
        postgres.recreate(self.database)
        env = self.env(postgres, identity)
        _run(
            [str(self.python), "manage.py", "migrate", "--no-input"],
            cwd=ROOT,
            env=env,
            what=f"{self.label}: migrate {self.database}",
        )
        _run(
            [str(self.python), str(ROOT / "bench" / "load_suite_rows.py"), str(rows_path)],
            cwd=ROOT,
            env=env,
            what=f"{self.label}: load rows into {self.database}",
        )

    def server(self, postgres, identity, workers, port, log):
        command = [
            str(self.python),
            "-m",
            "gunicorn",
            *production_gunicorn_args(ROOT / "Dockerfile"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            *self.extra_gunicorn_args,
        ]
        return ServerProcess(
            self.label, command, cwd=ROOT, env=self.env(postgres, identity), log=log
        )


def production_gunicorn_args(dockerfile: Path) -> list[str]:
    """The arguments of the production image's `CMD ["gunicorn", ...]`,
    less --bind and --workers, which the benchmark sets."""
    commands = [
        line.strip()[len("CMD") :].strip()
        for line in dockerfile.read_text().splitlines()
        if line.strip().startswith("CMD ")
    ]
    command = json.loads(commands[-1]) if commands else []
    if not command or command[0] != "gunicorn":
        raise RuntimeError(f"{dockerfile} has no one-line exec-form CMD starting with gunicorn.")
    args, skip = [], False
    for arg in command[1:]:
        if skip:
            skip = False
        elif arg in ("--bind", "-b", "--workers", "-w"):
            skip = True
        elif not arg.startswith(("--bind=", "--workers=")):
            args.append(arg)
    return args


def parse_env_assignments(text: str) -> dict:
    """`KEY=VALUE KEY2='a b'` (shell quoting) as a dict."""
    pairs = {}
    for item in shlex.split(text or ""):
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ValueError(f"Expected KEY=VALUE, got {item!r}.")
        pairs[key] = value
    return pairs
