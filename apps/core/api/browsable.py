"""DRF's browsable API, which DEBUG adds to the JSON the API answers."""

from rest_framework import renderers
from rest_framework.exceptions import APIException


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's, less the forms it cannot build for the request: it builds them
    from the view's serializer, which refuses what the view refused (a
    `?fields=` naming no field), and an answer of 400 became a 500 while it
    was drawn. The page then shows the answer without the forms."""

    def get_rendered_html_form(self, data, view, method, request):
        try:
            return super().get_rendered_html_form(data, view, method, request)
        except APIException:
            return None

    def get_raw_data_form(self, data, view, method, request):
        try:
            return super().get_raw_data_form(data, view, method, request)
        except APIException:
            return None
