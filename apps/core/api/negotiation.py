"""Content negotiation: DRF's, but `?format=` naming a format the API does not
write is a 400 naming the parameter, as every other query parameter's wrong
value is, where DRF answers 404 "Not found." as if the route did not exist.
An `Accept` header no renderer satisfies stays DRF's 406."""

from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation


class ContentNegotiation(DefaultContentNegotiation):
    def filter_renderers(self, renderers, format):
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            formats = ", ".join(dict.fromkeys(renderer.format for renderer in renderers))
            raise ValidationError(
                {self.settings.URL_FORMAT_OVERRIDE: [f"Unknown format: give one of {formats}."]}
            )
        return matching
