"""What the generator refuses before it writes anything: names that are not
identifiers, reserved or already taken, prefixes in use, fields that would
clash with the entity base or the list API, relations to no entity."""

import importlib.util
import keyword
import re
from dataclasses import replace
from pathlib import Path

from django.apps import apps

from apps.core.api.filters import EntityFilterSet
from apps.core.api.registry import entity_path
from apps.core.api.serializers import ENTITY_BASE_FIELDS
from apps.core.api.viewsets import COMMON_QUERY_PARAMS, PAGINATION_QUERY_PARAMS
from apps.core.checks import PREFIX_PATTERN
from apps.core.discovery import PLATFORM_API_PATHS
from apps.core.models import Entity
from apps.core.scaffold import ScaffoldError
from apps.core.scaffold.fields import FieldSpec
from apps.core.tools import entity_models, get_tool

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
ENTITY_PATTERN = re.compile(r"^[A-Z][A-Za-z0-9]*$")

# Slugs that would shadow a platform package, a project folder, or a path the
# platform serves (/admin/, /health, /api/v1/tools/ and its siblings).
RESERVED_SLUGS = PLATFORM_API_PATHS | frozenset(
    {
        "core",
        "suite",
        "apps",
        "tests",
        "docs",
        "scripts",
        "frontend",
        "requirements",
        "var",
        "api",
        "admin",
        "auth",
        "audit",
        "health",
        "schema",
        "static",
        "media",
    }
)

# Query parameters of every list endpoint: a field of the same name could not
# be filtered by it. `ordering` comes with each entity's filterset, `cursor`
# is kept for cursor pagination.
LIST_QUERY_PARAMETERS = frozenset(
    set(EntityFilterSet.base_filters)
    | COMMON_QUERY_PARAMS
    | PAGINATION_QUERY_PARAMS
    | {"ordering", "cursor"}
)
ENTITY_NAMES = ENTITY_BASE_FIELDS | {"pk", "history", "objects"}


def check_new_slug(slug: str, project_dir: Path):
    """A slug a new tool may take."""
    if not SLUG_PATTERN.match(slug) or keyword.iskeyword(slug):
        raise ScaffoldError(
            f"The slug {slug!r} is not a lowercase Python identifier: use lowercase letters, "
            "digits and underscores, starting with a letter (for example: inventory)."
        )
    if slug in RESERVED_SLUGS:
        raise ScaffoldError(f"The slug {slug!r} is reserved by the platform; choose another.")
    if (project_dir / "apps" / slug).exists():
        raise ScaffoldError(
            f"A tool '{slug}' already exists (apps/{slug}); to add an entity to it, "
            f"use: newtool {slug} --add-entity <Name> …"
        )
    if any(config.label == slug for config in apps.get_app_configs()):
        raise ScaffoldError(f"The slug {slug!r} is the label of an installed app; choose another.")
    if (project_dir / slug).exists() or importlib.util.find_spec(slug) is not None:
        raise ScaffoldError(
            f"The slug {slug!r} clashes with the importable module or package '{slug}'; "
            "choose another."
        )
    test_module = project_dir / "tests" / "tools" / f"test_{slug}.py"
    if test_module.exists():
        raise ScaffoldError(
            f"{test_module.relative_to(project_dir)} already exists; remove it first."
        )


def existing_tool(slug: str, project_dir: Path):
    """The installed tool an entity is added to."""
    tool = get_tool(slug)
    if tool is None or not (project_dir / "apps" / slug / "models.py").is_file():
        raise ScaffoldError(
            f"There is no installed tool '{slug}' with apps/{slug}/models.py to add an entity to."
        )
    return tool


def check_entity_name(name: str, tool=None):
    if not ENTITY_PATTERN.match(name) or keyword.iskeyword(name) or name.isupper():
        raise ScaffoldError(
            f"The entity name {name!r} is not a CapWords class name (for example: TestRun)."
        )
    if name.startswith("Historical"):
        raise ScaffoldError(
            f"The entity name {name!r} starts with Historical, which history models use; "
            "choose another."
        )
    if tool is not None and name.lower() in {m._meta.model_name for m in tool.get_models()}:
        raise ScaffoldError(f"Tool '{tool.label}' already has a model named {name}.")


def check_prefix(prefix: str):
    if not PREFIX_PATTERN.match(prefix):
        raise ScaffoldError(f"The ID prefix {prefix!r} must be 2 to 5 capital letters (like TST).")
    owner = next((m for m in entity_models() if m.id_prefix == prefix), None)
    if owner is not None:
        raise ScaffoldError(
            f"The ID prefix {prefix} is already used by {owner._meta.label}; "
            "prefixes are unique across the suite: pass another with --prefix."
        )


def check_entity_path(path: str, tool=None):
    """No two entities of a tool may share a URL segment."""
    if not path:
        raise ScaffoldError("The plural name gives an empty URL segment; use letters.")
    if tool is not None and path in {entity_path(m) for m in tool.entity_models()}:
        raise ScaffoldError(
            f"Tool '{tool.label}' already serves an entity at /api/v1/{tool.slug}/{path}/; "
            "choose another entity name or --plural."
        )


def check_fields(fields: list[FieldSpec]) -> list[FieldSpec]:
    """Refuse clashing names; return the fields with relation targets spelled
    as the model's label (`components.Component`)."""
    seen: dict[str, str] = {}
    for spec in fields:
        problem = _field_name_problem(spec.name)
        if problem:
            raise ScaffoldError(f"--field {spec.name}: the name {spec.name!r} {problem}.")
        for attname in spec.attnames:
            if attname in seen:
                raise ScaffoldError(
                    f"--field {spec.name}: clashes with --field {seen[attname]} "
                    f"(both use the name {attname!r})."
                )
            seen[attname] = spec.name
    return [replace(s, target=_resolve_target(s)) if s.is_relation else s for s in fields]


def _field_name_problem(name: str) -> str | None:
    if keyword.iskeyword(name):
        return "is a Python keyword"
    if name in ENTITY_NAMES or hasattr(Entity, name):
        return "is already a field or attribute of every entity"
    if name in LIST_QUERY_PARAMETERS:
        return "is a query parameter of every list endpoint"
    if name.endswith("_") or "__" in name:
        return "ends with _ or contains __, which Django reserves"
    if name.startswith("history_"):
        return "starts with history_, which the history tables use"
    return None


def _resolve_target(spec: FieldSpec) -> str:
    try:
        model = apps.get_model(spec.target)
    except LookupError:
        raise ScaffoldError(
            f"--field {spec.name}: there is no model {spec.target}; "
            f"the entities are {', '.join(m._meta.label for m in entity_models()) or 'none'}."
        ) from None
    if not issubclass(model, Entity):
        raise ScaffoldError(
            f"--field {spec.name}: {model._meta.label} is not an entity of a tool; "
            f"links go to entities only (to link to a person: --field {spec.name}:user)."
        )
    return model._meta.label
