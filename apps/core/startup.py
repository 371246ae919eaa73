"""What an app server does once before its first request.

runserver and `manage.py check` run the system checks themselves; app servers
(gunicorn, uvicorn) do not, so wsgi.py and asgi.py call `prepare_to_serve()`.
Any check at ERROR level (for example DEV_MODE with DEBUG off) stops the
process with the check's message. Then the per-process caches derived from
the code are built, so no user's request pays for them (with 141 tools the
manifest alone takes a second to build). Last, the process starts collecting
its cyclic garbage between requests (garbage.py), and its database statements
are limited in time (`DATABASE_STATEMENT_TIMEOUT`, db.py).
"""

from django.conf import settings
from django.core import checks
from django.core.management.base import SystemCheckError

from apps.core import db, garbage


def run_startup_checks():
    errors = [m for m in checks.run_checks(include_deployment_checks=False) if m.is_serious()]
    if errors:
        raise SystemCheckError("\n".join(str(error) for error in errors))


def warm_caches():
    from apps.core.api import manifest

    manifest.warm()


def prepare_to_serve():
    run_startup_checks()
    warm_caches()
    garbage.collect_between_requests()
    db.limit_statement_time(settings.DATABASE_STATEMENT_TIMEOUT)
