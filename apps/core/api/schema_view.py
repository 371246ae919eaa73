"""`/api/schema/`: the OpenAPI document, as `apps.core.api.schema` describes
the API, and its two browsers, `/api/docs/` and `/api/redoc/`; who may read
them: `apps.core.api.docs_access`. Apart from `apps.core.api.schema`:
drf-spectacular's views read the default schema class, which that module
defines, when they are imported."""

from typing import ClassVar

from django.http import HttpResponse
from django.utils import translation
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from apps.core.api.docs_access import SignInToRead
from apps.core.api.json import JSONRenderer


class SchemaView(SpectacularAPIView):
    """`/api/schema/`, generated and rendered once per process for each format,
    version and language: the document is derived from the code alone, and
    with 141 tools producing it takes seconds."""

    _rendered: ClassVar[dict[tuple, tuple[bytes, dict]]] = {}

    def handle_exception(self, exc):
        """An error (a format it has not, `?format=xml`; no credentials) is
        written as the API's JSON, not in the document's format, YAML."""
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    def _get_schema_response(self, request):
        key = (
            request.accepted_renderer.format,
            self.api_version or request.version or self._get_version_parameter(request),
            translation.get_language(),
        )
        if key not in self._rendered:
            response = super()._get_schema_response(request)
            content = request.accepted_renderer.render(
                response.data,
                request.accepted_media_type,
                {"request": request, "response": response, "view": self},
            )
            self._rendered[key] = (
                content,
                {"Content-Disposition": response["Content-Disposition"]},
            )
        content, headers = self._rendered[key]
        return HttpResponse(content, content_type=request.accepted_media_type, headers=headers)


class SwaggerView(SignInToRead, SpectacularSwaggerSplitView):
    """Swagger UI, its start-up script served apart (`?script=`), as a
    Content-Security-Policy without inline scripts needs."""


class RedocView(SignInToRead, SpectacularRedocView):
    """ReDoc, its page fetching nothing from another host (no Google Fonts:
    suite/templates/api/redoc.html)."""

    template_name = "api/redoc.html"
