"""From the command's options to the files to write: every check runs here,
before anything touches the disk."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from apps.core.scaffold import ScaffoldError, checks
from apps.core.scaffold.fields import default_label, parse_field
from apps.core.scaffold.render import EntitySpec, ToolSpec, entity_files, tool_files
from apps.core.scaffold.workflow import parse_workflow

ICON_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
VOWELS = frozenset("AEIOU")


@dataclass(frozen=True)
class Plan:
    slug: str
    entity: EntitySpec
    files: dict[str, str]
    new_tool: bool


def plan_tool(
    project_dir: Path,
    slug: str,
    entity: str,
    *,
    display_name: str = "",
    icon: str = "box",
    description: str = "",
    **entity_options,
) -> Plan:
    """A new tool `apps/<slug>` whose first entity is `entity`."""
    checks.check_new_slug(slug, project_dir)
    if not ICON_PATTERN.match(icon):
        raise ScaffoldError(
            f"The icon {icon!r} is not an icon name: lowercase words joined by - "
            "(like flask-conical)."
        )
    tool = ToolSpec(slug, display_name.strip() or default_label(slug), icon, description.strip())
    spec = _entity_spec(entity, None, **entity_options)
    return Plan(slug, spec, tool_files(tool, spec), new_tool=True)


def plan_entity(project_dir: Path, slug: str, entity: str, **entity_options) -> Plan:
    """One more entity in the installed tool `slug`."""
    tool = checks.existing_tool(slug, project_dir)
    spec = _entity_spec(entity, tool, **entity_options)
    paths = [f"apps/{slug}/models.py", f"tests/tools/test_{slug}.py"]
    existing = {p: (project_dir / p).read_text() for p in paths if (project_dir / p).is_file()}
    return Plan(slug, spec, entity_files(existing, slug, spec), new_tool=False)


def _entity_spec(
    name: str,
    tool,
    *,
    prefix: str = "",
    fields: Sequence[str] = (),
    statuses: Sequence[str] = (),
    transitions: Sequence[str] = (),
    initial: str | None = None,
    restore_to: str | None = None,
    plural: str = "",
) -> EntitySpec:
    checks.check_entity_name(name, tool)
    prefix = prefix or derive_prefix(name)
    checks.check_prefix(prefix)
    parsed = checks.check_fields([parse_field(text) for text in fields])
    workflow = parse_workflow(list(statuses), list(transitions), initial, restore_to)
    spec = EntitySpec(name, prefix, tuple(parsed), workflow, plural.strip())
    checks.check_entity_path(spec.path, tool)
    return spec


def derive_prefix(name: str) -> str:
    """`Component` -> CMP, `TestRun` -> TST: the first letter and the next two
    consonants (vowels when there are too few consonants)."""
    first, *others = [c for c in name.upper() if c.isalpha()]
    picked = [c for c in others if c not in VOWELS][:2]
    picked += [c for c in others if c in VOWELS][: 2 - len(picked)]
    return first + "".join(picked)
