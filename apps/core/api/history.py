"""`GET …/{id}/history/`, `POST …/{id}/revert/` and `GET …/{id}/revert/`:
a record's audit entries, undoing one of them, and asking first what that
would change."""

from django.contrib.contenttypes.models import ContentType
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core import audit, reverts
from apps.core.api.etags import etag_for
from apps.core.api.schema import ErrorSerializer
from apps.core.api.serializers import (
    REVERTED_HELP,
    RevertedEntrySerializer,
    StrictFieldsMixin,
    UserSummarySerializer,
)
from apps.core.models import AuditEntry
from apps.core.models.users import summaries_only
from apps.core.permissions import WRITE


class FieldChangeSerializer(serializers.Serializer):
    old = serializers.JSONField(read_only=True, allow_null=True)
    new = serializers.JSONField(read_only=True, allow_null=True)
    hidden = serializers.BooleanField(
        required=False,  # not read-only: in the schema, as in the body, there only if true
        help_text="Present (true) for a field the API does not show: it changed, and "
        "`old` and `new` are null, its values not kept.",
    )


class HistoryEntrySerializer(serializers.ModelSerializer):
    actor = UserSummarySerializer(read_only=True, allow_null=True)
    changes = serializers.DictField(
        child=FieldChangeSerializer(),
        read_only=True,
        help_text="Only the fields that changed: `{field: {old, new}}` (tags as names); "
        "a field the API does not show as `{old: null, new: null, hidden: true}`.",
    )
    reverted = RevertedEntrySerializer(read_only=True, allow_null=True, help_text=REVERTED_HELP)

    class Meta:
        model = AuditEntry
        fields = (
            "id",
            "action",
            "actor",
            "actor_label",
            "timestamp",
            "request_id",
            "changes",
            "comment",
            "reverted",
        )
        read_only_fields = fields


class RevertQuerySerializer(serializers.Serializer):
    audit_id = serializers.IntegerField(
        min_value=1, help_text="The id of one of this record's history entries."
    )


class RevertSerializer(StrictFieldsMixin, RevertQuerySerializer):
    pass


class LaterChangeSerializer(serializers.ModelSerializer):
    actor = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = AuditEntry
        fields = ("id", "actor", "actor_label", "timestamp")
        read_only_fields = fields


class FieldRevertSerializer(serializers.Serializer):
    field = serializers.CharField(read_only=True, help_text="The field's name, as in `changes`.")
    current = serializers.JSONField(
        read_only=True, allow_null=True, help_text="Its value now, as the history shows values."
    )
    restored = serializers.JSONField(
        read_only=True, allow_null=True, help_text="The value the revert would put back."
    )
    changed_later = LaterChangeSerializer(
        read_only=True,
        allow_null=True,
        help_text=(
            "The newest entry after the reverted one that changed this field too, whose "
            "change the revert would undo; null when none did."
        ),
    )


class RevertPreviewSerializer(serializers.Serializer):
    # The 200 carries the record's ETag, to send as If-Match with the revert.
    carries_record_etag = True

    audit_id = serializers.IntegerField(read_only=True)
    changes = FieldRevertSerializer(
        many=True,
        read_only=True,
        help_text="Each field the revert would change, in the record's field order; empty "
        "when it would change nothing.",
    )


REVERT_REFUSALS = (
    "400 when the entry is not this record's, or when it would put back a link to records "
    "of a tool the caller may not read (naming the field, as an update does); 409 "
    "`nothing_to_revert` for the entry that created the record; 409 `not_revertible` for one "
    "that names no field of the record (its Linear issue); 409 `revert_conflict` naming each "
    "field whose old value no longer fits (a unique value taken since, a linked record gone); "
    "a status change is reverted only where the workflow allows the move back (409 "
    "`transition_not_allowed`, 403)."
)


class HistoryModelMixin:
    """A record's history (read), and reverting one of its entries (a write,
    asked first with a preview that writes nothing)."""

    @extend_schema(
        responses=HistoryEntrySerializer(many=True),
        description="The record's audit entries, newest first.",
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def history(self, request, *args, **kwargs):
        instance = self.get_object()
        entries = (
            AuditEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(self.model),
                object_id=instance.pk,
                # Not an earlier record's, given the same id (a tool's tables made again).
                public_id=instance.public_id,
            )
            .select_related("actor")
            .defer(*summaries_only("actor"))
            .order_by("-id")
        )
        page = self.paginate_queryset(entries)
        for entry in page:  # an entry written before its field was hidden, too
            entry.changes = audit.concealed(self.model, entry.changes)
        return self.get_paginated_response(HistoryEntrySerializer(page, many=True).data)

    @extend_schema(
        request=RevertSerializer,
        description=(
            "Put back the values one history entry changed, as they were before it, "
            "as a new audited update; a later change to one of those fields is undone too "
            "(`GET` on this path says which, first). " + REVERT_REFUSALS
        ),
    )
    @action(
        detail=True,
        methods=["post"],
        filter_backends=[],
        # Its preview (GET) asks what only a writer may do, and is refused as the revert is.
        permission_level=WRITE,
        action_query_params={"GET": frozenset(RevertQuerySerializer().fields)},
    )
    def revert(self, request, *args, **kwargs):
        instance = self.get_object()
        body = RevertSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        instance = reverts.revert_entity(
            instance, body.validated_data["audit_id"], grants=request.auth
        )
        return Response(self.get_serializer(instance).data)

    @extend_schema(
        parameters=[RevertQuerySerializer],
        responses={
            200: RevertPreviewSerializer,
            409: OpenApiResponse(ErrorSerializer, "The revert would be refused: see `code`."),
        },
        description=(
            "What `POST` on this path would do, without doing it: each field it would change, "
            "with its value now, the value put back and the newest later change to it that "
            "the revert would undo. Writes nothing. Needs `<tool>:write`, and is refused as "
            "the revert would be: " + REVERT_REFUSALS + " The `ETag` is the record's version "
            "the preview describes: send it as `If-Match` with the revert, which is then a "
            "412 if the record changed in between."
        ),
    )
    @revert.mapping.get
    def revert_preview(self, request, *args, **kwargs):
        instance = self.get_object()
        query = RevertQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        audit_id = query.validated_data["audit_id"]
        changes = reverts.preview_revert(instance, audit_id, grants=request.auth)
        body = RevertPreviewSerializer({"audit_id": audit_id, "changes": changes}).data
        return Response(body, headers={"ETag": etag_for(instance.pk, instance.version)})
