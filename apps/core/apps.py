from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The platform every tool builds on."""

    name = "apps.core"
    label = "core"
    verbose_name = "Toolsuite platform"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from apps.core import checks, signals  # noqa: F401  (registers checks and receivers)
        from apps.core.admin import register_entity_admins
        from apps.core.auth import schema  # noqa: F401  (registers OpenAPI extensions)

        register_entity_admins()
