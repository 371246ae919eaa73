"""Content-Security-Policy of the suite's pages, by the part of the suite
that answers (Django 5.2 has none of its own; three fixed policies need no
library):

- the web app (every page path): nothing but its own origin's scripts,
  styles, images and fonts, its calls to the API and to Auth0 (`connect-src`;
  and `frame-src`, for the Auth0 SDK's silent sign-in in a hidden frame when
  it has no refresh token). The SDK keeps the refresh token in a worker it
  starts from a blob: (`worker-src`). Its runtime config is a JSON script
  element, which is data, not a script the policy must allow; no eval (zod is
  told so: frontend/src/zod-config.ts).
- the admin and the sign-in pages (`/admin/`, `/auth/`): Django's admin runs
  no inline script but writes inline styles; "Sign in with Auth0" posts a
  form that is redirected to Auth0 (`form-action`).
- the API's documentation pages (`/api/docs/`, `/api/redoc/`): Swagger UI
  and ReDoc from the suite's own static files (drf-spectacular-sidecar),
  fetching nothing from another host, fonts included; they write inline
  styles, show data: images, and ReDoc searches in a blob: worker.

Every response of these parts that is HTML gets its policy, unless it has
one already; the API's JSON has no use for one."""

from django.conf import settings

from apps.core.api.exceptions import is_api_path

HEADER = "Content-Security-Policy"
API_DOCS_PATHS = ("/api/docs/", "/api/redoc/")
SIGN_IN_PATHS = ("/admin/", "/auth/")

COMMON = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def auth0_origin() -> list[str]:
    return [f"https://{settings.AUTH0_DOMAIN}"] if settings.AUTH0_DOMAIN else []


def app_policy() -> dict[str, list[str]]:
    return {
        **COMMON,
        "connect-src": ["'self'", *auth0_origin()],
        "frame-src": auth0_origin() or ["'none'"],
        "worker-src": ["'self'", "blob:"],
    }


def sign_in_policy() -> dict[str, list[str]]:
    return {
        **COMMON,
        "style-src": ["'self'", "'unsafe-inline'"],
        "form-action": ["'self'", *auth0_origin()],
    }


def api_docs_policy() -> dict[str, list[str]]:
    return {
        **COMMON,
        "style-src": ["'self'", "'unsafe-inline'"],
        "worker-src": ["'self'", "blob:"],
    }


def policy_for(request) -> dict[str, list[str]] | None:
    path = request.path_info
    if path.startswith(API_DOCS_PATHS):
        return api_docs_policy()
    if is_api_path(request):
        return None
    if path.startswith(SIGN_IN_PATHS):
        return sign_in_policy()
    return app_policy()


def header_value(policy: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if HEADER in response or not response.get("Content-Type", "").startswith("text/html"):
            return response
        policy = policy_for(request)
        if policy is not None:
            response[HEADER] = header_value(policy)
        return response
