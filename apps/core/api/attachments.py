"""`GET` and `POST …/{id}/attachments/`, `GET` and `DELETE
…/{id}/attachments/{attachment_id}/`: a record's files, listed, uploaded,
downloaded and deleted (`apps.core.attachments`)."""

import logging
import unicodedata
from urllib.parse import quote

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from apps.core import attachments
from apps.core.api.schema import ErrorSerializer
from apps.core.api.serializers import StrictFieldsMixin, UserSummarySerializer
from apps.core.models import Attachment

logger = logging.getLogger(__name__)


class AttachmentSerializer(serializers.ModelSerializer):
    content_type = serializers.CharField(
        source="media_type",
        read_only=True,
        help_text=(
            "The type a download is served as: the uploader's, or `application/octet-stream` "
            "for a type a browser could run (HTML, SVG, XML, script)."
        ),
    )
    sha256 = serializers.CharField(read_only=True, help_text="The file's SHA-256, in hex.")
    uploaded_by = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Attachment
        fields = ("id", "name", "size", "content_type", "sha256", "uploaded_by", "created_at")
        read_only_fields = fields


class NewAttachmentSerializer(StrictFieldsMixin, serializers.Serializer):
    file = serializers.FileField(
        # Empty, too large, nameless: refused by `attachments.attach`, whoever uploads.
        allow_empty_file=True,
        use_url=False,
        help_text=(
            "The file, one per request. Its name is kept without folders or control "
            "characters; at most `ATTACHMENT_MAX_BYTES` (20 MB unless the deployment says "
            "otherwise), never empty."
        ),
    )


ATTACHMENT_ID = OpenApiParameter(
    "attachment_id", int, OpenApiParameter.PATH, description="The attachment's `id`."
)
NO_ATTACHMENT = OpenApiResponse(ErrorSerializer, "No such record, or no such attachment on it.")
LOCKED = (
    "`record_locked`: the record's status is locked; only `<tool>:admin` changes its attachments."
)


def content_disposition(name: str) -> str:
    """RFC 6266: the name in UTF-8 (`filename*`), and a plain ASCII one for
    clients that read only `filename`."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    plain = "".join("_" if ch in '"\\' else ch for ch in plain).strip() or "download"
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


def download(attachment: Attachment) -> FileResponse:
    """The file, always as a download, in a type a browser will not run:
    `nosniff` keeps it from guessing another, and the sandbox keeps a page
    opened anyway from running anything."""
    try:
        stored = attachment.file.open("rb")
    except FileNotFoundError:
        logger.error(
            "The file %s of attachment %s is missing.", attachment.file.name, attachment.pk
        )
        raise NotFound(f"The file of {attachment.name} is missing from the storage.") from None
    response = FileResponse(stored, content_type=attachment.media_type)
    response["Content-Disposition"] = content_disposition(attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-cache"
    return response


class AttachmentModelMixin:
    """A record's attachments: listed and downloaded with `<tool>:read`,
    uploaded and deleted with `<tool>:write` (as a PATCH, in a locked status
    only by `<tool>:admin`)."""

    @extend_schema(
        methods=["GET"],
        responses=AttachmentSerializer(many=True),
        description="The record's attachments, in the order they were uploaded.",
    )
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": NewAttachmentSerializer},
        responses={
            201: AttachmentSerializer,
            409: OpenApiResponse(ErrorSerializer, LOCKED),
            415: OpenApiResponse(ErrorSerializer, "The body is not `multipart/form-data`."),
        },
        description=(
            "Upload a file to the record (multipart, field `file`): 201 with the attachment. "
            "A 400 names `file` when it is missing, empty, larger than `ATTACHMENT_MAX_BYTES`, "
            "or the record has `ATTACHMENT_MAX_PER_RECORD` attachments already. The record's "
            "history gets an entry `attachments` (the names before and after); its ETag "
            "does not change."
        ),
    )
    @action(
        detail=True,
        methods=["get", "post"],
        filter_backends=[],
        pagination_class=None,  # a record holds at most ATTACHMENT_MAX_PER_RECORD
        parser_classes=[MultiPartParser],
    )
    def attachments(self, request, *args, **kwargs):
        record = self.get_object()
        if request.method == "GET":
            found = attachments.attachments_of(record)
            return Response(AttachmentSerializer(found, many=True).data)
        body = NewAttachmentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        attachment = attachments.attach(
            record, body.validated_data["file"], user=request.user, grants=request.auth
        )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        parameters=[ATTACHMENT_ID],
        responses={
            (200, "*/*"): OpenApiResponse(
                OpenApiTypes.BINARY,
                "The file, as a download (`Content-Disposition: attachment`), served as its "
                "`content_type`.",
            ),
            404: NO_ATTACHMENT,
        },
        description="Download the attachment's file.",
    )
    @extend_schema(
        methods=["DELETE"],
        parameters=[ATTACHMENT_ID],
        responses={204: None, 404: NO_ATTACHMENT, 409: OpenApiResponse(ErrorSerializer, LOCKED)},
        description=(
            "Delete the attachment and its file. The record's history gets an entry "
            "`attachments` (the names before and after)."
        ),
    )
    @action(
        detail=True,
        methods=["get", "delete"],
        url_path=r"attachments/(?P<attachment_id>[0-9]{1,18})",
        filter_backends=[],
    )
    def attachment(self, request, *args, attachment_id, **kwargs):
        record = self.get_object()
        try:
            if request.method == "GET":
                return download(attachments.attachment_of(record, int(attachment_id)))
            attachments.detach(record, int(attachment_id), grants=request.auth)
        except attachments.AttachmentNotFound as exc:
            raise NotFound(str(exc)) from None
        return Response(status=status.HTTP_204_NO_CONTENT)
