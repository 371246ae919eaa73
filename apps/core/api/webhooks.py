"""`POST /api/v1/webhooks/<source>/`: deliveries of inbound webhooks
(apps/core/integrations/).

No token and no rate limit on deliveries: the sender signs each with a
secret shared with this server, and that signature is the authentication.
Refused deliveries are limited per address (`RefusedDeliveryThrottle`): past
the limit they are 429s, and no longer each a warning in the log. The view
only reads the raw body and answers; checking, storing and enqueueing are
`receive_delivery()`'s.
"""

import logging

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, Throttled
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
from apps.core.api.throttles import RefusedDeliveryThrottle
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
    """No token, no permission, no rate limit on deliveries: the operation
    declares each error it answers itself; its 429 (refusals) and 503 say
    when to retry."""

    def error_statuses(self, operation: dict) -> list[int]:
        return []

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is not None:
            for code in ("429", "503"):
                operation["responses"][code]["headers"] = RETRY_AFTER_HEADER
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
            429: _error(
                "`throttled`: too many deliveries from this address were refused (any of the "
                "above) in the window; this one too. `Retry-After` says when to send again. A "
                "delivery that is taken is never held back."
            ),
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
            throttle = RefusedDeliveryThrottle()
            if not throttle.allow_request(request, self):
                raise Throttled(
                    throttle.wait(),
                    detail="Too many refused deliveries from this address.",
                ) from None
            # A sender signing with an old secret, or a replay: worth an operator's look.
            logger.warning("A delivery to webhook source %r was refused: %s", source, refused.code)
            return Response(error_body(refused.detail, refused.code), status=refused.status)
        if created:
            delivery.refresh_from_db(fields=["status"])  # processed already, when inline
        return Response(
            WebhookReceiptSerializer(delivery).data,
            status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK,
        )
