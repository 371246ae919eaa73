"""System checks: run by `manage.py check`, by runserver and, through
`apps.core.startup`, by every app server before it serves a request."""

import re

from django.conf import settings
from django.core.checks import Error, Tags, register

from apps.core.tools import entity_models

PREFIX_PATTERN = re.compile(r"^[A-Z]{2,5}$")


@register(Tags.models)
def check_id_prefixes(app_configs=None, **kwargs):
    return prefix_errors(entity_models())


def prefix_errors(models) -> list[Error]:
    """Every entity declares a valid prefix, and no two entities share one."""
    errors, owners = [], {}
    for model in models:
        label = model._meta.label
        prefix = model.id_prefix
        if not PREFIX_PATTERN.match(prefix or ""):
            errors.append(
                Error(
                    f"{label}.id_prefix is {prefix!r}; it must be 2 to 5 capital letters.",
                    hint="Declare id_prefix = 'ABC' on the model.",
                    obj=model,
                    id="core.E001",
                )
            )
        elif prefix in owners:
            errors.append(
                Error(
                    f"ID prefix {prefix!r} is used by both {owners[prefix]} and {label}.",
                    hint="Prefixes are unique across the suite; give one of them another prefix.",
                    obj=model,
                    id="core.E002",
                )
            )
        else:
            owners[prefix] = label
    return errors


@register(Tags.security, deploy=False)
def check_dev_mode(app_configs=None, **kwargs):
    """DEV_MODE signs every request in as an all-powerful user: never in production."""
    if getattr(settings, "DEV_MODE", False) and not settings.DEBUG:
        return [
            Error(
                "DEV_MODE is on while DEBUG is off. DEV_MODE lets every request in "
                "with all permissions and must never reach production.",
                hint="Unset DEV_MODE (or set DEV_MODE=false) in this environment.",
                id="core.E100",
            )
        ]
    return []
