"""Find the tools under `apps/` at start-up, before Django's app registry exists.

A tool is a package under `apps/` whose `apps.py` defines a subclass of
`ToolConfig`. Settings put every one found into INSTALLED_APPS, so adding or
removing a folder is the whole installation. This module imports nothing that
needs configured settings.
"""

import importlib
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from apps.core.tools import ToolConfig

PLATFORM_PACKAGES = frozenset({"core"})
# The platform's own paths under /api/v1/ that a tool's slug could take
# (apps/core/api/urls.py): such a tool would hide the platform's, or be hidden.
PLATFORM_API_PATHS = frozenset({"tools", "me", "users", "activity", "webhooks"})


def discover_tools(apps_dir: Path) -> list[str]:
    """Return the dotted path of each tool's AppConfig, in folder-name order."""
    found = []
    for package in sorted(apps_dir.iterdir()):
        if package.name in PLATFORM_PACKAGES or not (package / "apps.py").is_file():
            continue
        if not package.name.isidentifier():
            raise ImproperlyConfigured(
                f"Tool folder '{package.name}' is not a Python package name; rename it "
                "(lowercase letters, digits and underscores) or move it out of apps/."
            )
        if package.name in PLATFORM_API_PATHS:
            raise ImproperlyConfigured(
                f"Tool folder '{package.name}' would be served at /api/v1/{package.name}/, "
                "which is the platform's own; rename the folder (and the tool's name)."
            )
        module_name = f"{apps_dir.name}.{package.name}.apps"
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:
            raise ImproperlyConfigured(
                f"Tool '{package.name}' could not be loaded ({module_name}): {exc}"
            ) from exc
        configs = [
            obj
            for obj in vars(module).values()
            if isinstance(obj, type)
            and issubclass(obj, ToolConfig)
            and obj.__module__ == module.__name__
        ]
        if len(configs) > 1:
            raise ImproperlyConfigured(
                f"Tool '{package.name}' defines {len(configs)} ToolConfig classes in "
                f"{module_name}; a tool has exactly one."
            )
        if configs:
            _check_name(configs[0], package.name, f"{apps_dir.name}.{package.name}")
            found.append(f"{module_name}.{configs[0].__name__}")
    return found


def _check_name(config: type[ToolConfig], folder: str, package: str):
    """A copied tool folder keeps the original's `name`; say so here rather
    than let Django report a duplicate label that names neither folder."""
    declared = getattr(config, "name", None)
    if declared != package:
        raise ImproperlyConfigured(
            f"Tool '{folder}' declares name = {declared!r} in {package}.apps; "
            f"it must be {package!r}."
        )
