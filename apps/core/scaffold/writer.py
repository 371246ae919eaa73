"""Put generated files in place all at once, then let Django make the
migration; on any failure the project is left as it was.

Files are staged in a temporary folder under `var/` (the same file system,
so every move is a rename) and moved in by the highest folder that does not
exist yet: a new tool appears as one `apps/<slug>` rename, never half
written. Replaced files are kept aside until makemigrations has succeeded.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from apps.core.scaffold import ScaffoldError

MAKEMIGRATIONS_TIMEOUT = 300


def write_files(project_dir: Path, files: dict[str, str], slug: str) -> list[str]:
    """Write `files` (project-relative path -> text) and make the tool's next
    migration. Returns the paths of the migrations made."""
    staging_root = project_dir / "var"
    staging_root.mkdir(exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="newtool-", dir=staging_root))
    try:
        for relative, text in files.items():
            path = staging / "new" / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        migrations = project_dir / "apps" / slug / "migrations"
        before = set(migrations.glob("[0-9]*.py"))
        undo: list = []
        try:
            _move_into_place(project_dir, staging, files, undo)
            _make_migrations(project_dir, slug)
        except BaseException:
            for step in reversed(undo):
                step()
            raise
        made = set(migrations.glob("[0-9]*.py")) - before
        return sorted(str(path.relative_to(project_dir)) for path in made)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _move_into_place(project_dir: Path, staging: Path, files: dict[str, str], undo: list):
    """Move the staged files into the project, adding to `undo` the step
    that reverses each move as soon as it is made."""
    units = dict.fromkeys(_highest_missing(project_dir, Path(relative)) for relative in files)
    for unit in units:
        source, target = staging / "new" / unit, project_dir / unit
        if target.exists():
            backup = staging / "old" / unit
            backup.parent.mkdir(parents=True, exist_ok=True)
            target.replace(backup)
            undo.append(lambda target=target, backup=backup: backup.replace(target))
            source.replace(target)
        else:
            source.replace(target)
            undo.append(lambda target=target: _remove(target))


def _highest_missing(project_dir: Path, relative: Path) -> Path:
    """The outermost part of `relative` not yet in the project (the file
    itself when its folder exists)."""
    for depth in range(1, len(relative.parts)):
        if not (project_dir / Path(*relative.parts[:depth])).exists():
            return Path(*relative.parts[:depth])
    return relative


def _remove(path: Path):
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _make_migrations(project_dir: Path, slug: str):
    """Run makemigrations in a fresh process: only a new process discovers the
    tool's folder and loads its models."""
    result = subprocess.run(
        [sys.executable, str(project_dir / "manage.py"), "makemigrations", slug, "--no-input"],
        cwd=project_dir,
        capture_output=True,
        text=True,
        timeout=MAKEMIGRATIONS_TIMEOUT,
        check=False,
    )
    if result.returncode != 0:
        output = (result.stderr.strip() or result.stdout.strip()).splitlines()
        raise ScaffoldError(
            "makemigrations failed, so nothing was written:\n" + "\n".join(output[-20:])
        )
