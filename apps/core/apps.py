import gc

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The platform every tool builds on."""

    name = "apps.core"
    label = "core"
    verbose_name = "Toolsuite platform"
    default_auto_field = "django.db.models.BigAutoField"

    def import_models(self):
        # Every tool adds a few thousand objects that live as long as the
        # process (model classes, fields, history models). The cyclic garbage
        # collector would scan them over and over while they are made: a
        # fifth of the start-up time with 141 tools. It pauses here, before
        # the platform's and the tools' models are imported, until ready().
        gc.disable()
        super().import_models()

    def ready(self):
        # Imported for their side effects: system checks, signal receivers,
        # OpenAPI extensions, the admin of webhook deliveries.
        from apps.core import checks, db, signals  # noqa: F401
        from apps.core.admin import register_entity_admins
        from apps.core.api import schema as api_schema  # noqa: F401
        from apps.core.auth import schema as auth_schema  # noqa: F401
        from apps.core.integrations import admin as integrations_admin  # noqa: F401
        from apps.core.integrations import register_webhook_source
        from apps.core.integrations.linear_webhooks import LinearWebhooks

        register_entity_admins()
        register_webhook_source(LinearWebhooks)
        # The objects made so far are the process's own: freeze them out of
        # every later collection, then collect as usual.
        gc.freeze()
        gc.enable()
