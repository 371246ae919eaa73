"""`GET /api/v1/users/`: the people of the suite, to choose one by name — a
list narrowed to the records someone created, the activity feed to what
someone did.

It shows of each person only what every record already shows of its authors
(`UserSummary`: an id, a name, whether they are active), to anyone who may
read some tool; only active users, found by any part of the name they are
shown by.
"""

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.functional import cached_property
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from apps.core.api.filters import SEARCH_MAX_LENGTH, refuse_unknown_or_repeated
from apps.core.api.pagination import EntityPagination
from apps.core.api.permissions import ReadsAnyTool
from apps.core.api.schema import StrictQueryAutoSchema
from apps.core.api.serializers import UserSummarySerializer
from apps.core.models import User
from apps.core.tools import installed_tools

# `?search=` takes at most this many words (a 400 naming it beyond).
SEARCH_MAX_WORDS = 10


def at_most_max_words(value: str):
    if len(value.split()) > SEARCH_MAX_WORDS:
        raise ValidationError(f"Give at most {SEARCH_MAX_WORDS} words.", code="max_words")


class UserFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        validators=[at_most_max_words],
        help_text=(
            "Case-insensitive text in the name shown; every word must match "
            f"(at most {SEARCH_MAX_WORDS})."
        ),
    )

    class Meta:
        model = User
        fields = []

    def filter_search(self, queryset, name, value):
        # The name shown, and nothing else: searching what no reader is shown
        # (an email address) would show it to them, a letter at a time. One
        # filter of every word's condition: a filter per word copied the
        # query built so far each time.
        return queryset.filter(*(Q(shown_name__icontains=word) for word in value.split()))


class UserPagination(EntityPagination):
    """A page of people is for a picker: 20 unless asked, at most 100, by
    offset only (the order is by a name computed per row, which a cursor
    cannot continue from; `?cursor=` is refused as unknown)."""

    default_limit = 20

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        return [p for p in parameters if p["name"] != self.cursor_query_param]


@extend_schema_view(
    list=extend_schema(
        operation_id="users_list",
        tags=["Identity"],
        description=(
            "Active users, by name: an id, a name and is_active each, to choose or filter by."
        ),
    ),
    retrieve=extend_schema(
        operation_id="users_retrieve",
        tags=["Identity"],
        description=(
            "One user's id, name and is_active (deactivated users too: records still name them)."
        ),
    ),
)
class UserViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [ReadsAnyTool]
    serializer_class = UserSummarySerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = UserFilterSet
    pagination_class = UserPagination
    schema = StrictQueryAutoSchema()
    lookup_value_regex = "[0-9]+"

    @cached_property
    def readable_tools(self) -> list[str]:
        return self.request.auth.readable(tool.slug for tool in installed_tools())

    def get_queryset(self):
        # The name people see (`User.display_name`), in the order they read it.
        queryset = User.objects.only("id", *User.SUMMARY_FIELDS).alias(
            shown_name=User.display_name_expression()
        )
        if self.action == "list":
            queryset = queryset.filter(is_active=True)
        return queryset.order_by(Lower("shown_name"), "id")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.action in (None, "metadata"):  # a 405, or OPTIONS: whatever the query
            return
        listing = self.action == "list"
        refuse_unknown_or_repeated(
            request.query_params,
            UserFilterSet.base_filters if listing else {},
            frozenset({"limit", "offset", "format"} if listing else {"format"}),
        )
