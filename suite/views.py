"""The web app's shell at every page path; error pages: JSON on every /api/
path, Django's pages elsewhere."""

import functools
import sys
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.cache import patch_cache_control
from django.utils.html import json_script
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from apps.core.api.exceptions import (
    api_not_found,
    api_server_error,
    is_api_path,
    json_error_response,
    log_unavailable,
    service_trouble,
)

# Where the build's index.html takes the runtime config (in its <head>).
CONFIG_PLACEHOLDER = "<!-- suite-config -->"
CONFIG_ELEMENT_ID = "suite-config"


def not_found(request, exception):
    if is_api_path(request):
        return api_not_found(request, exception)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """An exception nothing else handled (Django calls this inside its
    `except`): a 503 with Retry-After when a service the request needed
    failed — the database down, the cache unreachable — on a page as on the
    API; else a 500."""
    exc = sys.exc_info()[1]
    if trouble := service_trouble(exc):
        log_unavailable(request, trouble, exc)
        if is_api_path(request):
            response = json_error_response(trouble.detail, trouble.code, 503, trouble.headers())
        else:
            response = _error_page(request, 503, trouble.detail, trouble.headers())
        response._has_been_logged = True  # Django's own line would repeat it, with a traceback
        return response
    if is_api_path(request):
        return api_server_error(request)
    return _error_page(request, 500, "The server failed to handle the request; it has been logged.")


def _error_page(request, status: int, detail: str, headers: dict | None = None) -> HttpResponse:
    """An error page with the request id for the person to quote. Rendered
    without the request's context processors: the failure may be theirs."""
    response = HttpResponse(status=status, headers=headers)
    response.content = loader.get_template("error.html").render(
        {
            "title": f"{response.reason_phrase} ({status})",
            "detail": detail,
            "request_id": getattr(request, "id", None),
        }
    )
    return response


@csrf_exempt  # it writes nothing: any other method is a 405, not a CSRF 403 page
@require_safe
def app_shell(request):
    """The React app's index.html (`FRONTEND_DIST`) with the runtime config
    put in, at `/` and at every client-side route; the routes themselves are
    the app's. Never cached without asking again, so the next page load after
    a deploy finds the new build's asset names. Until the app is built, the
    suite's plain home page, which says how to build it."""
    page = index_html()
    if page is None:
        response = render(request, "home.html")
    else:
        response = HttpResponse(
            with_config(page, app_config()), content_type="text/html; charset=utf-8"
        )
    patch_cache_control(response, no_cache=True)
    return response


def app_config() -> dict:
    """What the web app needs to know at run time: whether this is DEV_MODE
    (no sign-in: the API takes every request as the dev user), else the Auth0
    application it signs in with and the API it asks tokens for. A setting
    missing outside DEV_MODE is named in `configError`, for the app to show."""
    if settings.DEV_MODE and settings.DEBUG:
        return {"devMode": True, "auth0": None}
    auth0 = {
        "domain": settings.AUTH0_DOMAIN,
        "clientId": settings.AUTH0_SPA_CLIENT_ID,
        "audience": settings.AUTH0_API_AUDIENCE,
    }
    missing = [
        name
        for name, value in (
            ("AUTH0_DOMAIN", auth0["domain"]),
            ("AUTH0_SPA_CLIENT_ID", auth0["clientId"]),
            ("AUTH0_API_AUDIENCE", auth0["audience"]),
        )
        if not value
    ]
    if missing:
        names, verb = (
            (missing[0], "is")
            if len(missing) == 1
            else (f"{', '.join(missing[:-1])} and {missing[-1]}", "are")
        )
        return {
            "devMode": False,
            "auth0": None,
            "configError": (
                f"Sign-in is not configured on this server: {names} {verb} not set "
                "(see docs/auth.md)."
            ),
        }
    return {"devMode": False, "auth0": auth0}


def with_config(page: str, config: dict) -> str:
    """`page` with `config` in a JSON script element, escaped so that no value
    can end the element, in place of the placeholder (before `</head>` if a
    build lost it)."""
    script = json_script(config, CONFIG_ELEMENT_ID)
    if CONFIG_PLACEHOLDER in page:
        return page.replace(CONFIG_PLACEHOLDER, script, 1)
    return page.replace("</head>", f"{script}</head>", 1)


def index_html() -> str | None:
    """The build's index.html, None when there is no build. With DEBUG off it
    is read once per process (a deploy starts new processes); with DEBUG on,
    at every request, so a rebuild shows at the next reload."""
    path = Path(settings.FRONTEND_DIST) / "index.html"
    try:
        if settings.DEBUG:
            return path.read_text(encoding="utf-8")
        return _read_once(path)
    except (FileNotFoundError, NotADirectoryError):
        return None  # not remembered: a build made later is found


@functools.lru_cache(maxsize=8)
def _read_once(path: Path) -> str:
    return path.read_text(encoding="utf-8")
