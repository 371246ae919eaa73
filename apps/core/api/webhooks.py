"""`POST /api/v1/webhooks/<source>/`: deliveries of inbound webhooks
(apps/core/integrations/).

No token and no rate limit: the sender signs each delivery with a secret
shared with this server, and that signature is the authentication. The view
only reads the raw body and answers; checking, storing and enqueueing are
`receive_delivery()`'s.
"""

import logging

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.exceptions import error_body
from apps.core.api.schema import (
    ERROR_RESPONSES,
    RETRY_AFTER_HEADER,
    ApiAutoSchema,
    ErrorSerializer,
)
from apps.core.integrations.receiving import DeliveryRefused, receive_delivery
from apps.core.integrations.sources import webhook_source
from apps.core.models import WebhookDelivery

logger = logging.getLogger(__name__)


class WebhookReceiptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = ["id", "status"]
        read_only_fields = fields


class WebhookAutoSchema(ApiAutoSchema):
    """No token, no permission, no rate limit: the operation declares each
    error it answers itself; its 503 may say when to retry, as every 503."""

    def error_statuses(self, operation: dict) -> list[int]:
        return []

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is not None:
            operation["responses"]["503"]["headers"] = RETRY_AFTER_HEADER
        return operation


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


class WebhookView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []
    schema = WebhookAutoSchema()

    @extend_schema(
        operation_id="webhooks_receive",
        tags=["Webhooks"],
        auth=[],
        description=(
            "A delivery of the webhook source named in the path, signed with the secret this "
            "server shares with the sender (by default: the hex HMAC-SHA256 of the raw body in "
            "`X-Webhook-Signature`, `sha256=` before it or not). It is stored and processed in "
            "the background; the same delivery sent again is recognised by its id, or by its "
            "body under another id, and not processed twice."
        ),
        parameters=[
            OpenApiParameter(
                "source", OpenApiTypes.STR, OpenApiParameter.PATH, description="The source."
            )
        ],
        request={"application/json": OpenApiTypes.OBJECT},
        responses={
            202: OpenApiResponse(
                WebhookReceiptSerializer, description="Stored; it will be processed."
            ),
            200: OpenApiResponse(
                WebhookReceiptSerializer,
                description="Received before (the same delivery id, or the same body): its status "
                "now.",
            ),
            400: _error(
                "The delivery cannot be taken; `code` says why: `invalid_payload` (not a JSON "
                "object, nested too deeply, a number beyond a float, or what the database "
                "cannot store), `missing_timestamp`, `delivery_too_old` (sent longer ago than the "
                "source's replay window), `delivery_from_the_future`, `invalid_delivery` (an "
                "id or event too long)."
            ),
            401: _error("`invalid_signature`: the signature is missing or wrong."),
            404: _error("No webhook source of that name."),
            413: _error(ERROR_RESPONSES[413]),
            503: _error(
                "`webhook_secret_not_configured`: the source's secret is not set on this "
                "server, so no delivery can be verified. Or the database could not serve "
                "the request (`database_*`, with `Retry-After`)."
            ),
        },
    )
    def post(self, request, source: str):
        webhooks = webhook_source(source)
        if webhooks is None:
            raise NotFound(f"No webhook source {source!r}.")
        try:
            delivery, created = receive_delivery(
                webhooks, request.headers, request.body, request.id
            )
        except DeliveryRefused as refused:
            # A sender signing with an old secret, or a replay: worth an operator's look.
            logger.warning("A delivery to webhook source %r was refused: %s", source, refused.code)
            return Response(error_body(refused.detail, refused.code), status=refused.status)
        if created:
            delivery.refresh_from_db(fields=["status"])  # processed already, when inline
        return Response(
            WebhookReceiptSerializer(delivery).data,
            status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK,
        )
