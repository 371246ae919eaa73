from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The platform every tool builds on."""

    name = "apps.core"
    label = "core"
    verbose_name = "Toolsuite platform"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported for their side effects: system checks, signal receivers,
        # OpenAPI extensions.
        from apps.core import checks, signals  # noqa: F401
        from apps.core.admin import register_entity_admins
        from apps.core.api import schema as api_schema  # noqa: F401
        from apps.core.auth import schema as auth_schema  # noqa: F401

        register_entity_admins()
