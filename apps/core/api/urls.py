"""Routes under /api/v1/: each installed tool at /api/v1/<slug>/, one route
per entity at its plural (`/api/v1/components/components/`)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from apps.core.api.manifest import ToolManifestView
from apps.core.api.registry import entity_path, viewset_for
from apps.core.auth.views import MeView
from apps.core.tools import installed_tools


def tool_routes(tool) -> list:
    router = SimpleRouter()
    for model in tool.entity_models():
        router.register(entity_path(model), viewset_for(model), basename=model._meta.model_name)
    return router.urls


urlpatterns = [
    path("tools/", ToolManifestView.as_view(), name="tools-manifest"),
    *(path(f"{tool.slug}/", include((tool_routes(tool), tool.slug))) for tool in installed_tools()),
]
urlpatterns.append(path("me/", MeView.as_view(), name="me"))
