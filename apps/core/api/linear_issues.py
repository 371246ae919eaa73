"""`GET`, `POST` and `DELETE …/{id}/linear-issue/`: the Linear issue linked
to a record, making one for it, and unlinking it
(`apps.core.integrations.linear_links`)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound
from rest_framework.response import Response

from apps.core.api.schema import ErrorSerializer
from apps.core.api.serializers import StrictFieldsMixin, UserSummarySerializer
from apps.core.integrations import linear_links
from apps.core.integrations.linear import LinearError
from apps.core.models import LinearIssueLink


class LinearIssueLinkSerializer(serializers.ModelSerializer):
    created_by = UserSummarySerializer(read_only=True, allow_null=True)
    url = serializers.URLField(read_only=True, help_text="The issue in Linear.")

    class Meta:
        model = LinearIssueLink
        fields = (
            "id",
            "linear_id",
            "identifier",
            "title",
            "url",
            "state",
            "state_type",
            "created_by",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class NewLinearIssueSerializer(StrictFieldsMixin, serializers.Serializer):
    """What the new issue says; each part defaults to the record's."""

    id = serializers.UUIDField(
        required=False,
        source="issue_id",
        help_text=(
            "The issue's id in Linear, a UUID v4 the caller makes; default: a new one. Send the "
            "same id again after a failure (a 502, a timeout, no answer): the issue an earlier "
            "attempt made in Linear is then linked, not a second one made."
        ),
    )
    title = serializers.CharField(
        required=False,
        max_length=linear_links.ISSUE_TITLE_MAX_LENGTH,
        help_text=(
            "Default: the record's public id and name (`CMP-0042 Sensor`), its first 254 "
            "characters then `…` when longer than 255."
        ),
    )
    description = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text=(
            "Markdown. Default: the record's description, then a link to the record in the web app."
        ),
    )
    priority = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=4,
        help_text="Linear's: 0 none, 1 urgent, 2 high, 3 medium, 4 low. Default: Linear's (none).",
    )

    def validate_id(self, value):
        if value.version != 4:
            raise serializers.ValidationError("Must be a UUID v4, as Linear takes.")
        return value


class AlreadyLinkedErrorSerializer(ErrorSerializer):
    linear_issue = LinearIssueLinkSerializer(
        required=False,
        help_text="With `already_linked` or `linear_issue_changed`: the record's issue now.",
    )


class UnlinkQuerySerializer(serializers.Serializer):
    link = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=(
            "The `id` of the link the caller means to remove, as it read it: a record linked "
            "again since (to another issue) is then a 409 `linear_issue_changed`, not unlinked."
        ),
    )


class NotConnectedToLinear(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "linear_not_configured"
    default_detail = (
        "This deployment is not connected to Linear (LINEAR_API_KEY and LINEAR_TEAM_ID)."
    )


class LinearFailed(APIException):
    status_code = status.HTTP_502_BAD_GATEWAY
    default_code = "linear_error"


NOT_LINKED = OpenApiResponse(
    ErrorSerializer, "No such record, or (`code: not_linked`) the record has no Linear issue."
)


def not_linked(record) -> NotFound:
    return NotFound(f"{record.public_id} has no Linear issue.", code="not_linked")


class LinearIssueModelMixin:
    """A record's Linear issue: read with `<tool>:read`, made and unlinked
    with `<tool>:write` (as a PATCH)."""

    @extend_schema(
        methods=["GET"],
        responses={200: LinearIssueLinkSerializer, 404: NOT_LINKED},
        description="The Linear issue linked to the record.",
    )
    @extend_schema(
        methods=["POST"],
        request=NewLinearIssueSerializer,
        responses={
            201: LinearIssueLinkSerializer,
            409: OpenApiResponse(
                AlreadyLinkedErrorSerializer,
                "`already_linked`: the record has its issue, in `linear_issue`; Linear was "
                "not asked. `linear_issue_taken`: the issue of the `id` sent is linked to "
                "another record; nothing was stored.",
            ),
            502: OpenApiResponse(
                ErrorSerializer,
                "`linear_error`: Linear failed or refused (its reason in `detail`); nothing "
                "was stored.",
            ),
            503: OpenApiResponse(
                ErrorSerializer,
                "`linear_not_configured`: this deployment is not connected to Linear; or the "
                "database or the shared cache could not serve the request (`database_timeout`, "
                "`database_busy`, `database_unavailable`, `cache_unavailable`).",
            ),
        },
        description=(
            "Create an issue in Linear for the record and link the two: 201 with the link. "
            "The record's history gets an entry `linear_issue` (from null to the issue's "
            "identifier). One issue per record: a second request waits for the first. One "
            "issue per `id`: sent again after a failure, the issue an earlier attempt made "
            "is linked."
        ),
    )
    @extend_schema(
        methods=["DELETE"],
        parameters=[UnlinkQuerySerializer],
        responses={
            204: None,
            404: NOT_LINKED,
            409: OpenApiResponse(
                AlreadyLinkedErrorSerializer,
                "`linear_issue_changed`: with `link`, the record is linked to another issue "
                "now (in `linear_issue`); nothing was changed.",
            ),
        },
        description=(
            "Unlink the record from its Linear issue; the issue itself stays in Linear. The "
            "record's history gets an entry `linear_issue` (from the issue's identifier to "
            "null). Linking does not change the record's ETag, so `?link=<id>` names the link "
            "meant: a link made since is not removed."
        ),
    )
    @action(
        detail=True,
        methods=["get", "post", "delete"],
        url_path="linear-issue",
        filter_backends=[],
        action_query_params={"DELETE": frozenset(UnlinkQuerySerializer().fields)},
    )
    def linear_issue(self, request, *args, **kwargs):
        record = self.get_object()
        if request.method == "GET":
            link = linear_links.link_of(record)
            if link is None:
                raise not_linked(record)
            return Response(LinearIssueLinkSerializer(link).data)
        if request.method == "DELETE":
            query = UnlinkQuerySerializer(data=request.query_params)
            query.is_valid(raise_exception=True)
            try:
                unlinked = linear_links.unlink(record, link_id=query.validated_data.get("link"))
            except linear_links.LinkChanged as exc:
                exc.extra["linear_issue"] = LinearIssueLinkSerializer(exc.link).data
                raise
            if unlinked is None:
                raise not_linked(record)
            return Response(status=status.HTTP_204_NO_CONTENT)
        body = NewLinearIssueSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            link = linear_links.link_new_issue(record, user=request.user, **body.validated_data)
        except linear_links.AlreadyLinked as exc:
            exc.extra["linear_issue"] = LinearIssueLinkSerializer(exc.link).data
            raise
        except linear_links.LinearNotConfigured:
            raise NotConnectedToLinear() from None
        except LinearError as exc:
            raise LinearFailed(exc.message) from None
        return Response(LinearIssueLinkSerializer(link).data, status=status.HTTP_201_CREATED)
