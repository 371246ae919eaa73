"""Optimistic concurrency for every entity endpoint.

A response showing one record carries its strong `ETag` (`"<id>-<version>"`;
the version moves with every real change). A write to a record (PUT, PATCH,
DELETE, and POST actions on it) may send `If-Match`: when it no longer
matches, the answer is 412 with the current ETag and nothing is written;
with `API_REQUIRE_IF_MATCH` on, a write without it is a 428. A GET with a
current `If-None-Match` is a 304.
"""

from functools import cache

from django.conf import settings
from django.db import transaction
from django.utils.cache import parse_etags
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from apps.core.models.ids import RECORD_ID_KINDS
from apps.core.prepared import PreparedQuery


def etag_for(pk, version) -> str:
    return f'"{pk}-{version}"'


def if_match_passes(header: str, etag: str) -> bool:
    """Strong comparison (RFC 9110 13.1.1): weak tags never match."""
    tags = parse_etags(header)
    return "*" in tags or etag in tags


def if_none_match_passes(header: str, etag: str) -> bool:
    """Weak comparison (RFC 9110 13.1.2): the request proceeds when no tag matches."""
    tags = {tag.removeprefix("W/") for tag in parse_etags(header)}
    return not ("*" in tags or etag in tags)


def record_to_lock(model, lookup: dict):
    """The record `lookup` names, with only its version read: the rows a
    write's lock reads."""
    return model._base_manager.filter(**lookup).only("version").order_by()[:1]


@cache
def record_lock_query(model, field: str) -> PreparedQuery:
    """`record_to_lock()` by id (`pk`) or public id, its row locked until
    the transaction ends: the SQL is compiled once per process
    (`apps/core/prepared.py`)."""
    return PreparedQuery(
        model,
        lambda value: record_to_lock(model, {field: value}),
        RECORD_ID_KINDS[field],
        locked=True,
    )


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"

    def __init__(self, detail: str, *, etag: str):
        super().__init__(detail)
        self.etag = etag


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"
    default_detail = "Send If-Match with the record's ETag (from your last read of it)."


class ConditionalRequestMixin:
    """ETag, If-Match and If-None-Match for the records of a viewset.

    A write request runs in one transaction (rolled back when it answers an
    error), and a write to one record first locks its row: the If-Match
    comparison and the write see the same version, so of two writers holding
    the same ETag exactly one succeeds, and a writer without If-Match never
    overwrites a change it has not read."""

    def dispatch(self, request, *args, **kwargs):
        if request.method in SAFE_METHODS:
            return super().dispatch(request, *args, **kwargs)
        with transaction.atomic():
            response = super().dispatch(request, *args, **kwargs)
            if response.status_code >= 400:
                transaction.set_rollback(True)
        return response

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if (
            request.method not in SAFE_METHODS
            and self.lookup_url_kwarg in self.kwargs
            and self.action is not None  # else a method the path does not take: its 405
        ):
            self.lock_and_check_if_match(request)

    def lock_and_check_if_match(self, request):
        record = self.lock_record(self.object_lookup())
        if record is None:
            return  # the action answers 404
        current = etag_for(record.pk, record.version)
        header = request.headers.get("If-Match")
        if header is None:
            if settings.API_REQUIRE_IF_MATCH:
                raise PreconditionRequired()
            return
        if not if_match_passes(header, current):
            raise PreconditionFailed(
                f"The record has changed since you read it (its ETag is now {current}). "
                "Read it again, then retry.",
                etag=current,
            )

    def lock_record(self, lookup: dict):
        """The record `lookup` (the viewset's `object_lookup()`) names, its
        row locked, with only its version read; None when there is none."""
        [(field, value)] = lookup.items()
        if field in RECORD_ID_KINDS:
            records = record_lock_query(self.model, field).fetch(value)
        else:
            records = record_to_lock(self.model, lookup).select_for_update()
        return next(iter(records), None)

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if isinstance(exc, PreconditionFailed):
            response["ETag"] = exc.etag
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        # A single record's response data keeps its serializer, and so the record.
        serializer = getattr(getattr(response, "data", None), "serializer", None)
        record = getattr(serializer, "instance", None)
        if isinstance(record, self.model) and response.status_code in (200, 201):
            etag = etag_for(record.pk, record.version)
            if_none_match = request.headers.get("If-None-Match")
            if (
                request.method in ("GET", "HEAD")
                and if_none_match
                and not if_none_match_passes(if_none_match, etag)
            ):
                response = Response(status=status.HTTP_304_NOT_MODIFIED)
            response["ETag"] = etag
        return super().finalize_response(request, response, *args, **kwargs)
