"""An entity list's query string kept as a value (a saved view's): checked
by the list's own code, so no kept query is one the list would refuse, and
normalised, so two spellings of the same list are one string."""

from urllib.parse import urlencode

from django.core.exceptions import TooManyFieldsSent
from django.http import HttpRequest, QueryDict
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from apps.core.api.registry import viewset_for
from apps.core.api.viewsets import PAGINATION_QUERY_PARAMS

# How a page of the list is fetched and written, not which records it holds:
# left out of a kept query (a cursor is only good for the list as it was).
PAGE_QUERY_PARAMS = PAGINATION_QUERY_PARAMS | {"format"}


def normalised_list_query(model, query: str, request) -> str:
    """`query` (`status=ACTIVE&search=sensor`, a leading `?` allowed) as the
    list of `model` would take it from `request`'s caller, without its page
    parameters: each parameter once per value, blank values (which filter
    nothing) left out, sorted, URL-encoded. A ValidationError, keyed by
    parameter, says what the list would refuse."""
    params = parsed_query(query)
    for name in PAGE_QUERY_PARAMS:
        params.pop(name, None)
    check_list_query(model, params, request)
    pairs = {(name, value) for name, values in params.lists() for value in values if value.strip()}
    return urlencode(sorted(pairs))


def parsed_query(query: str) -> QueryDict:
    """`query` read as Django reads a request's query string, mutable."""
    try:
        return QueryDict(query.removeprefix("?"), mutable=True)
    except TooManyFieldsSent:
        raise ValidationError(["Too many parameters."]) from None


def check_list_query(model, params: QueryDict, request) -> None:
    """Raise the 400 the list of `model` would answer a GET with `params`
    from `request`'s caller: the checks of its viewset (unknown or repeated
    parameters, `?fields=`) and its filter step (each filter's value,
    `ordering`), without reading a page. The entity's own viewset and
    filterset, a tool's overrides included, do the checking."""
    http_request = HttpRequest()
    http_request.method = "GET"
    http_request.GET = params
    list_request = Request(http_request)
    list_request.user, list_request.auth = request.user, request.auth
    view = viewset_for(model)(
        request=list_request,
        args=(),
        kwargs={},
        action="list",
        detail=False,
        basename=model._meta.model_name,
        format_kwarg=None,
    )
    view.reject_unknown_query_params(list_request)
    view.check_requested_fields(list_request)
    view.filter_queryset(view.get_queryset())
