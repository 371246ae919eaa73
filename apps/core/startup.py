"""Refuse to serve with a broken configuration.

runserver and `manage.py check` run the system checks themselves; app servers
(gunicorn, uvicorn) do not, so wsgi.py and asgi.py call this before the first
request. Any check at ERROR level (for example DEV_MODE with DEBUG off) stops
the process with the check's message.
"""

from django.core import checks
from django.core.management.base import SystemCheckError


def run_startup_checks():
    errors = [m for m in checks.run_checks(include_deployment_checks=False) if m.is_serious()]
    if errors:
        raise SystemCheckError("\n".join(str(error) for error in errors))
