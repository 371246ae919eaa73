"""System checks: run by `manage.py check`, by runserver and, through
`apps.core.startup`, by every app server before it serves a request."""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from apps.core.models.search import unsearchable_field
from apps.core.tools import entity_models

PREFIX_PATTERN = re.compile(r"^[A-Z]{2,5}$")
LOOPBACK_HOSTS = {"127.0.0.1", "::1", "localhost"}


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


@register(Tags.models)
def check_searched_fields(app_configs=None, **kwargs):
    return searched_field_errors(entity_models())


def searched_field_errors(models) -> list[Error]:
    """Every entity's `searched_fields` names text fields of its own: the
    database joins them into its search column (`SearchTextField`)."""
    errors = []
    for model in models:
        searched = model.searched_fields
        label = model._meta.label
        if isinstance(searched, str) or not searched:
            errors.append(
                Error(
                    f"{label}.searched_fields is {searched!r}; it must name one field or more.",
                    hint="Declare searched_fields = ('public_id', 'name', 'description', …).",
                    obj=model,
                    id="core.E003",
                )
            )
            continue
        for name in searched:
            reason = unsearchable_field(model, name)
            if reason:
                errors.append(
                    Error(
                        f"{label}.searched_fields names {name!r}, which cannot be searched: "
                        f"{reason}.",
                        hint="Search looks in text fields (CharField, TextField and their "
                        "kinds); filter by the others (?field=…).",
                        obj=model,
                        id="core.E004",
                    )
                )
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


@register(Tags.security)
def check_jwks_url(app_configs=None, **kwargs):
    """Whoever can change the keys in transit can sign any token: keys only over HTTPS
    (plain HTTP is allowed to this machine, for local stand-ins of Auth0)."""
    url = getattr(settings, "AUTH0_JWKS_URL", "")
    parsed = urlsplit(url)
    if url and parsed.scheme != "https" and parsed.hostname not in LOOPBACK_HOSTS:
        return [
            Error(
                f"AUTH0_JWKS_URL is {url!r}; Auth0's signing keys must be fetched over HTTPS.",
                hint="Use https://<AUTH0_DOMAIN>/.well-known/jwks.json (the default).",
                id="core.E101",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_auth0_configured(app_configs=None, **kwargs):
    """Without Auth0 settings the API refuses every request (503)."""
    missing = [
        name for name in ("AUTH0_DOMAIN", "AUTH0_API_AUDIENCE") if not getattr(settings, name, "")
    ]
    if missing and not getattr(settings, "DEV_MODE", False):
        return [
            Warning(
                f"{' and '.join(missing)} not set: the API cannot verify any access token.",
                hint="See docs/auth.md for the Auth0 settings.",
                id="core.W101",
            )
        ]
    return []


@register(Tags.database, Tags.caches, deploy=True)
def check_shared_state(app_configs=None, **kwargs):
    """Production runs several app servers, and replicas: their database and
    cache must be shared services, not the embedded defaults."""
    if settings.DEBUG:
        return []
    warnings = []
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        warnings.append(
            Warning(
                "The database is SQLite while DEBUG is off: one file on one machine, "
                "written by one process at a time; no replica can share it.",
                hint="Set DATABASE_URL to PostgreSQL (postgresql://…; docs/deployment.md).",
                id="core.W102",
            )
        )
    if settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":
        warnings.append(
            Warning(
                "The cache is each process's own memory while DEBUG is off: every worker "
                "counts its own rate limits and admin sign-in failures, and fetches Auth0's "
                "key set for itself.",
                hint="Set CACHE_URL to a Redis shared by every worker and replica "
                "(redis://…; docs/deployment.md).",
                id="core.W103",
            )
        )
    return warnings
