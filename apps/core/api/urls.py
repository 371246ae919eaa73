"""Routes under /api/v1/: each installed tool at /api/v1/<slug>/, one route
per entity at its plural (`/api/v1/components/components/`); the platform's
own beside them (`me/`, `activity/`, `saved-views/`, `webhooks/`)."""

import re

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from apps.core.api.activity import ActivityView
from apps.core.api.manifest import ToolManifestView
from apps.core.api.registry import entity_path, viewset_for
from apps.core.api.saved_views import SavedViewViewSet
from apps.core.api.users import UserViewSet
from apps.core.api.webhooks import WebhookView
from apps.core.auth.views import MeView
from apps.core.tools import installed_tools


class EntityRouter(SimpleRouter):
    """A SimpleRouter whose actions may name a file (`url_path="export.csv"`):
    such a route is that exact name, without a trailing slash, and its dot is
    not a format suffix."""

    def _get_dynamic_route(self, route, action):
        dynamic = super()._get_dynamic_route(route, action)
        if "." not in action.url_path:
            return dynamic
        url = dynamic.url.replace("{trailing_slash}", "").replace(
            action.url_path, re.escape(action.url_path)
        )
        return dynamic._replace(url=url)


def tool_routes(tool) -> list:
    router = EntityRouter()
    for model in tool.entity_models():
        router.register(entity_path(model), viewset_for(model), basename=model._meta.model_name)
    return router.urls


urlpatterns = [
    path("tools/", ToolManifestView.as_view(), name="tools-manifest"),
    *(path(f"{tool.slug}/", include((tool_routes(tool), tool.slug))) for tool in installed_tools()),
]
urlpatterns.append(path("me/", MeView.as_view(), name="me"))
urlpatterns.append(path("activity/", ActivityView.as_view(), name="activity"))
urlpatterns.append(path("webhooks/<str:source>/", WebhookView.as_view(), name="webhook"))
platform = SimpleRouter()
platform.register("saved-views", SavedViewViewSet, basename="saved-view")
platform.register("users", UserViewSet, basename="user")
urlpatterns += platform.urls
