from django.contrib import admin
from django.urls import include, path, re_path

from apps.core import health
from apps.core.api.exceptions import api_not_found
from apps.core.api.schema_view import RedocView, SchemaView, SwaggerView
from suite.views import app_shell

urlpatterns = [
    # The web app (suite/views.py): here and at every path of its own (last).
    path("", app_shell, name="home"),
    path("health", health.live, name="health"),
    path("health/ready", health.ready, name="health-ready"),
    path("admin/", admin.site.urls),
    path("auth/", include("social_django.urls", namespace="social")),
    path("api/v1/", include("apps.core.api.urls")),
    # The API's description, for the readers API_DOCS_PUBLIC allows
    # (apps/core/api/docs_access.py; SPECTACULAR_SETTINGS' SERVE_* settings).
    path("api/schema/", SchemaView.as_view(), name="schema"),
    # Pages to read: an OPTIONS request has no page to render (a 405, not a 500).
    path(
        "api/docs/",
        SwaggerView.as_view(url_name="schema", http_method_names=["get", "head"]),
        name="swagger-ui",
    ),
    path(
        "api/redoc/",
        RedocView.as_view(url_name="schema", http_method_names=["get", "head"]),
        name="redoc",
    ),
    # Unknown API paths answer JSON in every mode (handler404 only applies with DEBUG off).
    re_path(r"^api/", api_not_found),
    # Every other path is one of the web app's routes (/activity,
    # /tools/components/components/CMP-0001, …), which the app resolves
    # itself. Not the suite's own prefixes: an unknown path there stays a 404
    # (JSON under /api/), and /admin, /api and /auth without their slash are
    # redirected to it as before.
    re_path(r"^(?!(?:api|admin|auth|static)(?:/|$)|health)", app_shell, name="app"),
]

handler404 = "suite.views.not_found"
handler500 = "suite.views.server_error"
