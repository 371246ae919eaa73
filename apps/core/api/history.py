"""`GET …/{id}/history/` and `POST …/{id}/revert/`: a record's audit
entries, and undoing one of them."""

from django.contrib.contenttypes.models import ContentType
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core import audit, services
from apps.core.api.serializers import StrictFieldsMixin, UserSummarySerializer
from apps.core.models import AuditEntry
from apps.core.models.users import display_names_only


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
        )
        read_only_fields = fields


class RevertSerializer(StrictFieldsMixin, serializers.Serializer):
    audit_id = serializers.IntegerField(
        min_value=1, help_text="The id of one of this record's history entries."
    )


class HistoryModelMixin:
    """A record's history (read) and revert (write)."""

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
            .defer(*display_names_only("actor"))
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
            "as a new audited update. 400 when the entry is not this record's; 409 "
            "`nothing_to_revert` for the entry that created the record; 409 "
            "`not_revertible` for one that names no field of the record (its Linear issue); 409 "
            "`revert_conflict` naming each field whose old value no longer fits (a "
            "unique value taken since, a linked record gone); a status change is "
            "reverted only where the workflow allows the move back."
        ),
    )
    @action(detail=True, methods=["post"])
    def revert(self, request, *args, **kwargs):
        instance = self.get_object()
        body = RevertSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        instance = services.revert_entity(
            instance, body.validated_data["audit_id"], grants=request.auth
        )
        return Response(self.get_serializer(instance).data)
