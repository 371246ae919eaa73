"""Content-Security-Policy of each part of the suite that answers HTML, and
HTTPS: the redirect and Strict-Transport-Security."""

import json

import pytest
from django.test import Client

from tests.core.test_app_shell import dist  # noqa: F401  (a fixture)
from tests.core.test_settings import run

pytestmark = pytest.mark.django_db

CSP = "Content-Security-Policy"


def policy(response) -> dict[str, list[str]]:
    directives = (part.split() for part in response[CSP].split(";"))
    return {name: sources for name, *sources in directives}


def test_the_web_app_runs_only_its_own_scripts_and_calls_only_the_api_and_auth0(
    client,
    dist,  # noqa: F811
    settings,
):
    settings.AUTH0_DOMAIN = "toolsuite.eu.auth0.com"
    response = client.get("/tools/components/components")
    assert policy(response) == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'", "https://toolsuite.eu.auth0.com"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "frame-src": ["https://toolsuite.eu.auth0.com"],
        "worker-src": ["'self'", "blob:"],
    }


def test_without_auth0_the_web_app_may_frame_nothing(client, dist, settings):  # noqa: F811
    settings.AUTH0_DOMAIN = ""
    directives = policy(client.get("/"))
    assert directives["connect-src"] == ["'self'"]
    assert directives["frame-src"] == ["'none'"]


def test_the_page_before_a_build_is_under_the_web_apps_policy_and_keeps_its_style(
    client, settings, tmp_path
):
    settings.FRONTEND_DIST = tmp_path / "dist"
    response = client.get("/")
    assert "'unsafe-inline'" not in response[CSP]
    assert "<style" not in response.content.decode()
    assert 'rel="stylesheet" href="/static/core/home.css"' in response.content.decode()


def test_the_admin_may_write_inline_styles_and_post_its_sign_in_to_auth0(client, settings):
    settings.AUTH0_DOMAIN = "toolsuite.eu.auth0.com"
    directives = policy(client.get("/admin/login/"))
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["form-action"] == ["'self'", "https://toolsuite.eu.auth0.com"]
    assert directives["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_api_docs_run_only_the_suites_own_scripts(admin_client, path):
    directives = policy(admin_client.get(path))
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["worker-src"] == ["'self'", "blob:"]
    assert directives["connect-src"] == ["'self'"]


def test_the_apis_json_has_no_policy(api):
    response = api.get("/api/v1/me/")
    assert response.status_code == 200
    assert CSP not in response


def test_plain_http_is_redirected_to_https_but_for_the_health_checks(settings):
    settings.SECURE_SSL_REDIRECT = True
    browser = Client()
    redirected = browser.get("/admin/login/")
    assert redirected.status_code == 301
    assert redirected["Location"] == "https://testserver/admin/login/"
    assert browser.get("/health").status_code == 200
    assert browser.get("/admin/login/", headers={"x-forwarded-proto": "https"}).status_code == 200


PRINT_HTTPS = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps([settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS]))
"""


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DEBUG": "false", "SECRET_KEY": "x" * 60}, [True, 31_536_000]),
        ({"DEBUG": "true"}, [False, 0]),
        (
            {
                "DEBUG": "false",
                "SECRET_KEY": "x" * 60,
                "SECURE_SSL_REDIRECT": "false",
                "SECURE_HSTS_SECONDS": "600",
            },
            [False, 600],
        ),
    ],
)
def test_production_redirects_to_https_and_asks_for_it_for_a_year(env, expected, monkeypatch):
    monkeypatch.delenv("SECURE_SSL_REDIRECT", raising=False)
    result = run(PRINT_HTTPS, **env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected
