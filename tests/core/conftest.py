"""A throwaway copy of the project, for tests that add or break tools.

Generator and discovery tests change `apps/`; they do it in a copy under
pytest's temporary directory, and run Django there in a subprocess (only a
new process discovers a changed `apps/`), so they never leave files behind.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
SUBPROCESS_TIMEOUT = 300


class ProjectCopy:
    def __init__(self, root: Path):
        self.root = root
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{root / 'var' / 'suite.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "suite.settings",
        }

    @classmethod
    def make(cls, root: Path) -> "ProjectCopy":
        """manage.py, pyproject.toml, suite/ and apps/, and the conftest and
        package files of tests/ (not its test modules)."""
        skip = shutil.ignore_patterns("__pycache__")
        for folder in ("suite", "apps"):
            shutil.copytree(PROJECT_DIR / folder, root / folder, ignore=skip)
        for name in ("manage.py", "pyproject.toml"):
            shutil.copy2(PROJECT_DIR / name, root / name)
        for path in (PROJECT_DIR / "tests").rglob("*.py"):
            if path.name in {"conftest.py", "__init__.py"} and "__pycache__" not in path.parts:
                target = root / path.relative_to(PROJECT_DIR)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
        return cls(root)

    def python(self, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, *args],
            cwd=self.root,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=SUBPROCESS_TIMEOUT,
            check=False,
        )

    def manage(self, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        return self.python("manage.py", *args, env=env)

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    def snapshot(self) -> dict[str, tuple[int, int] | None]:
        """Every folder, and every file with its size and modification time
        (bytecode caches aside)."""
        return {
            str(p.relative_to(self.root)): (
                None if p.is_dir() else (p.stat().st_size, p.stat().st_mtime_ns)
            )
            for p in sorted(self.root.rglob("*"))
            if "__pycache__" not in p.parts
        }


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory) -> ProjectCopy:
    return ProjectCopy.make(tmp_path_factory.mktemp("project"))
