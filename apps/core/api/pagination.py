from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination


class EntityPagination(LimitOffsetPagination):
    """`?limit=` (default 50, at most 100) and `?offset=`. Values out of range
    are a 400 naming the parameter, never silently replaced."""

    default_limit = 50
    max_limit = 100

    def get_limit(self, request):
        return self._parameter(
            request, self.limit_query_param, self.default_limit, 1, self.max_limit
        )

    def get_offset(self, request):
        return self._parameter(request, self.offset_query_param, 0, 0, None)

    @staticmethod
    def _parameter(request, name, default, minimum, maximum):
        raw = request.query_params.get(name)
        if raw is None or raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            raise ValidationError({name: ["A whole number is required."]}) from None
        if value < minimum or (maximum is not None and value > maximum):
            bounds = f"between {minimum} and {maximum}" if maximum else f"at least {minimum}"
            raise ValidationError({name: [f"Must be {bounds}."]})
        return value
