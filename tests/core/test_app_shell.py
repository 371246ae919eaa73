"""The web app's shell: the build's index.html, with the runtime config put
in, at `/` and at every path of the app's own; the suite's own paths as they
were; the plain home page until the app is built; Vite's hashed assets
cached for good."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from suite.views import CONFIG_PLACEHOLDER

ROOT = Path(__file__).resolve().parents[2]

INDEX_HTML = f"""<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Toolsuite</title>
    {CONFIG_PLACEHOLDER}
    <link rel="stylesheet" crossorigin href="/static/app/assets/index-W1erjkBN.css">
  </head>
  <body><div id="root"></div></body>
</html>
"""
CONFIG = re.compile(r'<script id="suite-config" type="application/json">(.*?)</script>', re.S)
CLIENT_ROUTES = [
    "/",
    "/activity",
    "/tools/components/components/CMP-0001",
    "/tools/components/components/CMP-0001/",
    "/tools/components/components/?status=ACTIVE",
    # Only the suite's own prefixes are its own: these are the app's.
    "/administrator",
    "/apis/",
    "/authors",
    "/static-pages",
]
AUTH0 = {
    "AUTH0_DOMAIN": "toolsuite.eu.auth0.com",
    "AUTH0_SPA_CLIENT_ID": "spa-client-id",
    "AUTH0_API_AUDIENCE": "https://api.toolsuite.example.com",
}


@pytest.fixture
def dist(tmp_path, settings) -> Path:
    """A build of the web app, as `npm run build` leaves it, with Auth0 set up."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(INDEX_HTML)
    settings.FRONTEND_DIST = tmp_path
    for name, value in AUTH0.items():
        setattr(settings, name, value)
    return tmp_path


def config_of(response) -> dict:
    found = CONFIG.findall(response.content.decode())
    assert len(found) == 1, response.content.decode()
    return json.loads(found[0])


@pytest.mark.parametrize("path", CLIENT_ROUTES)
def test_the_shell_answers_the_root_and_every_route_of_the_app(client, dist, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    page = response.content.decode()
    assert (
        '<link rel="stylesheet" crossorigin href="/static/app/assets/index-W1erjkBN.css">' in page
    )
    assert CONFIG_PLACEHOLDER not in page
    assert config_of(response)["auth0"]["clientId"] == "spa-client-id"


@pytest.mark.django_db
def test_serving_the_shell_touches_no_database(client, dist, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/activity").status_code == 200


def test_a_head_request_is_answered_without_a_body(client, dist):
    response = client.head("/tools/components/components/CMP-0001")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-cache"
    assert response.content == b""


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
@pytest.mark.parametrize("path", ["/", "/activity"])
def test_any_other_method_is_a_405_not_a_csrf_page(dist, method, path):
    browser = Client(enforce_csrf_checks=True)  # as a real client: no CSRF cookie, no token
    response = getattr(browser, method)(path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_with_auth0_set_up_the_app_signs_in_with_its_own_application(client, dist):
    assert config_of(client.get("/")) == {
        "devMode": False,
        "auth0": {
            "domain": "toolsuite.eu.auth0.com",
            "clientId": "spa-client-id",
            "audience": "https://api.toolsuite.example.com",
        },
    }


def test_in_dev_mode_the_app_signs_nobody_in(client, dist, settings):
    settings.DEBUG = settings.DEV_MODE = True
    assert config_of(client.get("/activity")) == {"devMode": True, "auth0": None}


def test_dev_mode_without_debug_is_no_dev_mode(client, dist, settings):
    settings.DEV_MODE = True  # refused at start-up (core.E100); were it not, still no dev mode
    assert config_of(client.get("/"))["devMode"] is False
    assert config_of(client.get("/"))["auth0"]["domain"] == "toolsuite.eu.auth0.com"


@pytest.mark.parametrize(
    ("unset", "error"),
    [
        (
            ["AUTH0_SPA_CLIENT_ID"],
            "Sign-in is not configured on this server: AUTH0_SPA_CLIENT_ID is not set "
            "(see docs/auth.md).",
        ),
        (
            ["AUTH0_DOMAIN", "AUTH0_SPA_CLIENT_ID"],
            "Sign-in is not configured on this server: AUTH0_DOMAIN and AUTH0_SPA_CLIENT_ID "
            "are not set (see docs/auth.md).",
        ),
        (
            ["AUTH0_DOMAIN", "AUTH0_SPA_CLIENT_ID", "AUTH0_API_AUDIENCE"],
            "Sign-in is not configured on this server: AUTH0_DOMAIN, AUTH0_SPA_CLIENT_ID and "
            "AUTH0_API_AUDIENCE are not set (see docs/auth.md).",
        ),
    ],
)
def test_a_missing_auth0_setting_is_named_for_the_app_to_show(client, dist, settings, unset, error):
    for name in unset:
        setattr(settings, name, "")
    assert config_of(client.get("/")) == {"devMode": False, "auth0": None, "configError": error}


def test_no_value_of_the_config_can_end_its_script_element(client, dist, settings):
    hostile = 'x.auth0.com</script><script>alert("owned")</script><!--'
    settings.AUTH0_DOMAIN = hostile
    page = client.get("/").content.decode()
    assert page.count("</script>") == 1
    assert "<script>" not in page
    assert "<!--" not in page
    assert config_of(client.get("/"))["auth0"]["domain"] == hostile


def test_a_build_without_the_placeholder_gets_the_config_at_the_end_of_its_head(client, dist):
    (dist / "index.html").write_text(INDEX_HTML.replace(CONFIG_PLACEHOLDER, ""))
    page = client.get("/").content.decode()
    assert "</script></head>" in page
    assert config_of(client.get("/"))["devMode"] is False


def test_with_debug_off_the_build_is_read_once_per_process(client, dist):
    assert "Toolsuite" in client.get("/").content.decode()
    (dist / "index.html").write_text(INDEX_HTML.replace("Toolsuite", "Rebuilt"))
    assert "Rebuilt" not in client.get("/activity").content.decode()


def test_with_debug_on_a_rebuild_shows_at_the_next_request(client, dist, settings):
    settings.DEBUG = True
    assert "Toolsuite" in client.get("/").content.decode()
    (dist / "index.html").write_text(INDEX_HTML.replace("Toolsuite", "Rebuilt"))
    assert "Rebuilt" in client.get("/activity").content.decode()


@pytest.mark.parametrize("path", ["/", "/tools/components/components/CMP-0001"])
def test_until_the_app_is_built_the_home_page_says_how_to_build_it(
    client, settings, tmp_path, path
):
    settings.FRONTEND_DIST = tmp_path / "dist"
    response = client.get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-cache"
    page = response.content.decode()
    assert "The web app is not built on this server" in page
    assert "<code>make frontend</code>" in page
    assert 'href="/api/docs/"' in page


def test_a_build_made_after_the_first_request_is_found(client, settings, tmp_path):
    settings.FRONTEND_DIST = tmp_path
    assert "make frontend" in client.get("/").content.decode()
    (tmp_path / "index.html").write_text(INDEX_HTML)
    assert CONFIG.search(client.get("/").content.decode())


# --- The suite's own paths ------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/nope/", "/api/v1/no-such-tool/things/", "/api/v1/components/nope"]
)
def test_an_unknown_api_path_is_still_a_json_404(client, dist, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(("path", "to"), [("/api", "/api/"), ("/admin", "/admin/")])
def test_a_prefix_of_the_suite_without_its_slash_is_redirected_to_it(client, dist, path, to):
    response = client.get(path)
    assert response.status_code == 301
    assert response["Location"] == to


@pytest.mark.django_db
def test_the_admin_is_the_admin(client, dist):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"
    assert client.get("/admin/login/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/static/app/assets/index-Missing1.js",
        "/static/nope.css",
        "/static",
        "/auth/nope/",
        "/health/nope",
        "/healthz",
    ],
)
def test_an_unknown_path_under_the_suites_own_prefixes_is_a_404(client, dist, path):
    response = client.get(path)
    assert response.status_code == 404
    assert not CONFIG.search(response.content.decode())


def test_the_health_probe_is_the_health_probe(client, dist):
    assert client.get("/health").json() == {"status": "healthy"}


# --- Static files ---------------------------------------------------------------------


def collected(root: Path, *names: str) -> Path:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("/* asset */")
    return root


def test_vites_hashed_assets_are_cached_for_good_and_nothing_else_is(client, settings, tmp_path):
    # As collectstatic leaves the build, served by whitenoise (DEBUG off).
    settings.STATIC_ROOT = collected(
        tmp_path,
        "app/assets/index-B3x9Qz1a.js",
        "app/assets/index-B3x9Qz1a.js.map",
        "app/assets/vendor-react-a_b-9Zy1.js",
        "app/assets/index-W1erjkBN.css",
        "app/favicon.svg",
        "app/index.html",
        "app/assets-B3x9Qz1a.js",
        "admin/css/base-B3x9Qz1a.css",
    )
    forever = "max-age=315360000, public, immutable"
    for name in (
        "app/assets/index-B3x9Qz1a.js",
        "app/assets/index-B3x9Qz1a.js.map",
        "app/assets/vendor-react-a_b-9Zy1.js",
        "app/assets/index-W1erjkBN.css",
    ):
        response = client.get(f"/static/{name}")
        assert response.status_code == 200, name
        assert response["Cache-Control"] == forever, name
    for name in (
        "app/favicon.svg",
        "app/index.html",
        "app/assets-B3x9Qz1a.js",
        "admin/css/base-B3x9Qz1a.css",
    ):
        response = client.get(f"/static/{name}")
        assert response.status_code == 200, name
        assert "immutable" not in response["Cache-Control"], name


def test_with_debug_on_the_build_is_served_from_where_it_was_built(client, settings, tmp_path):
    # As runserver serves it (`make run`): found in STATICFILES_DIRS, not collected.
    settings.DEBUG = True
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.STATICFILES_DIRS = [("app", collected(tmp_path / "dist", "assets/index-B3x9Qz1a.js"))]
    response = client.get("/static/app/assets/index-B3x9Qz1a.js")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"/* asset */"


PRINT_FRONTEND_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({
    "dist": str(settings.FRONTEND_DIST),
    "dirs": [[prefix, str(path)] for prefix, path in settings.STATICFILES_DIRS],
}))
"""


def frontend_settings(**env) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PRINT_FRONTEND_SETTINGS],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "suite.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_build_is_a_static_files_folder_once_it_exists(tmp_path):
    built = frontend_settings(FRONTEND_DIST=str(tmp_path))
    assert built == {"dist": str(tmp_path), "dirs": [["app", str(tmp_path)]]}
    assert frontend_settings(FRONTEND_DIST=str(tmp_path / "none"))["dirs"] == []


@pytest.mark.parametrize(("value", "dist"), [("", "frontend/dist"), ("build/web", "build/web")])
def test_the_build_folder_is_taken_from_the_projects_root(value, dist):
    assert frontend_settings(FRONTEND_DIST=value)["dist"] == str(ROOT / dist)
