"""Error pages: JSON on every /api/ path, Django's pages elsewhere."""

from django.views import defaults

from apps.core.api.exceptions import api_not_found, api_server_error, is_api_path


def not_found(request, exception):
    if is_api_path(request):
        return api_not_found(request, exception)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api_path(request):
        return api_server_error(request)
    return defaults.server_error(request)
