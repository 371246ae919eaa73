"""Settings from the environment, and DEV_MODE, which must never reach
production: each case runs a fresh Python process with its own environment,
the way a server or `manage.py` starts."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from apps.core.auth.dev import DevModeAuthentication
from apps.core.permissions import Grants

PROJECT = Path(__file__).resolve().parents[3]
PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({
    "authentication": settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"],
    "throttle_rates": settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
    "issuer": settings.AUTH0_ISSUER,
    "jwks_url": settings.AUTH0_JWKS_URL,
}))
"""


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AUTH0_", "API_", "DEV_"))}
    environment = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "suite.settings",
        "SECRET_KEY": "settings-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DATABASE_URL": "sqlite:///:memory:",
        "ALLOWED_HOSTS": "toolsuite.example.com",
        "DEBUG": "false",
        "DEV_MODE": "false",
        **env,
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_for(**env) -> dict:
    result = run("-c", PRINT_SETTINGS, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_dev_mode_with_debug_off_fails_the_deploy_check():
    result = run("manage.py", "check", "--deploy", DEV_MODE="true", DEBUG="false")

    assert result.returncode != 0
    assert "core.E100" in result.stderr
    assert "DEV_MODE is on while DEBUG is off" in result.stderr


def test_dev_mode_with_debug_off_stops_the_wsgi_server_from_starting():
    result = run("-c", "import suite.wsgi", DEV_MODE="true", DEBUG="false")

    assert result.returncode != 0
    assert "SystemCheckError" in result.stderr
    assert "core.E100" in result.stderr


def test_dev_mode_with_debug_off_stops_the_asgi_server_from_starting():
    result = run("-c", "import suite.asgi", DEV_MODE="true", DEBUG="false")

    assert result.returncode != 0
    assert "core.E100" in result.stderr


def test_dev_mode_with_debug_on_starts_and_signs_requests_in_first():
    result = run("-c", "import suite.wsgi", DEV_MODE="true", DEBUG="true")
    settings = settings_for(DEV_MODE="true", DEBUG="true")

    assert result.returncode == 0, result.stderr
    assert settings["authentication"] == [
        "apps.core.auth.dev.DevModeAuthentication",
        "apps.core.auth.authentication.Auth0JWTAuthentication",
    ]


def test_production_settings_use_auth0_tokens_only():
    settings = settings_for(
        AUTH0_DOMAIN="toolsuite.eu.auth0.com",
        API_THROTTLE_USER="5000/min",
        API_THROTTLE_ANON="",
        WEBHOOK_REFUSALS_THROTTLE="30/min",
    )

    assert settings == {
        "authentication": ["apps.core.auth.authentication.Auth0JWTAuthentication"],
        "throttle_rates": {"user": "5000/min", "anon": None, "webhook_refusals": "30/min"},
        "issuer": "https://toolsuite.eu.auth0.com/",
        "jwks_url": "https://toolsuite.eu.auth0.com/.well-known/jwks.json",
    }


def test_a_jwks_fetch_timeout_over_five_seconds_is_refused():
    result = run("-c", PRINT_SETTINGS, AUTH0_JWKS_FETCH_TIMEOUT_SECONDS="10")

    assert result.returncode != 0
    assert "AUTH0_JWKS_FETCH_TIMEOUT_SECONDS" in result.stderr


def test_a_jwks_url_over_plain_http_fails_the_checks():
    result = run("manage.py", "check", AUTH0_JWKS_URL="http://auth.example.com/jwks.json")

    assert result.returncode != 0
    assert "core.E101" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize(("debug", "signed_in"), [(True, True), (False, False)])
def test_dev_mode_signs_in_only_while_debug_is_on(settings, debug, signed_in):
    settings.DEV_MODE, settings.DEBUG, settings.DEV_USER = True, debug, "devperson"

    result = DevModeAuthentication().authenticate(RequestFactory().get("/api/v1/me/"))

    if signed_in:
        user, grants = result
        assert user.username == "devperson"
        assert grants == Grants.everything()
    else:
        assert result is None
