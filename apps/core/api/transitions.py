"""`POST …/{id}/transition/`: move a record through its workflow."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core import services
from apps.core.api.serializers import StrictFieldsMixin
from apps.core.transitions import unknown_status_error


def comment_field(**kwargs) -> serializers.CharField:
    """Why a record is moved: kept on the audit entry of the change and given
    to the transition's guard (`move.comment`)."""
    return serializers.CharField(required=False, allow_blank=True, max_length=2000, **kwargs)


class TransitionSerializer(StrictFieldsMixin, serializers.Serializer):
    """Move a record to another status of its workflow."""

    # context["workflow"]: the record's workflow, which knows its statuses.

    to = serializers.CharField(
        max_length=32, help_text="The status to move to: one of the record's `status` values."
    )
    comment = comment_field(default="", help_text="Why; stored on the audit entry of the change.")

    def validate_to(self, value):
        message = unknown_status_error(self.context["workflow"], value)
        if message:
            raise serializers.ValidationError(message)
        return value


class TransitionModelMixin:
    """`POST …/{id}/transition/` with `{"to": "ACTIVE", "comment": "…"}`.

    Needs `<tool>:write`, and `<tool>:admin` for a transition the workflow
    marks admin-only; the rules are `apps.core.transitions`, shared with a
    PATCH of `status`, archive and restore."""

    @extend_schema(
        request=TransitionSerializer,
        description=(
            "Move the record to another status. 409 `transition_not_allowed` (with "
            "`allowed`, the statuses reachable from the current one) when the workflow "
            "has no such transition, 409 `transition_vetoed` when the tool's guard "
            "refuses it, 403 when it needs the tool's admin permission. Moving to the "
            "current status changes nothing."
        ),
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, *args, **kwargs):
        instance = self.get_object()
        body = TransitionSerializer(data=request.data, context={"workflow": self.model.workflow})
        body.is_valid(raise_exception=True)
        instance = services.transition_entity(
            instance,
            body.validated_data["to"],
            comment=body.validated_data["comment"],
            grants=request.auth,
        )
        return Response(self.get_serializer(instance).data)
