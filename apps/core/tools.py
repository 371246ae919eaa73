"""The tool contract's AppConfig and the registry of installed tools.

Settings import this module before Django is set up, so it must not import
models at module level.
"""

from django.apps import AppConfig, apps
from django.core.exceptions import ImproperlyConfigured


class ToolConfig(AppConfig):
    """Base AppConfig of every tool. A tool's `apps.py` subclasses it and sets
    `name`, `verbose_name` (the display name), `icon` and `description`."""

    default_auto_field = "django.db.models.BigAutoField"
    icon = "box"
    description = ""

    @property
    def slug(self) -> str:
        """The tool's URL segment and permission namespace (`<slug>:read`)."""
        return self.label

    def import_models(self):
        try:
            super().import_models()
        except Exception as exc:
            raise ImproperlyConfigured(
                f"Tool '{self.label}' could not be loaded ({self.name}.models): {exc}"
            ) from exc

    def entity_models(self) -> list:
        """The tool's concrete entity models, in definition order."""
        from apps.core.models import Entity

        return [m for m in self.get_models() if issubclass(m, Entity)]


def installed_tools() -> list[ToolConfig]:
    """Every installed tool, in INSTALLED_APPS order."""
    return [c for c in apps.get_app_configs() if isinstance(c, ToolConfig)]


def get_tool(slug: str) -> ToolConfig | None:
    for tool in installed_tools():
        if tool.slug == slug:
            return tool
    return None


def tool_for_model(model) -> ToolConfig:
    config = apps.get_app_config(model._meta.app_label)
    if not isinstance(config, ToolConfig):
        raise ImproperlyConfigured(f"{model._meta.label} does not belong to a tool.")
    return config


def entity_models() -> list:
    """Every entity model of every installed tool."""
    return [model for tool in installed_tools() for model in tool.entity_models()]
