"""Files attached to a record of any tool: listed (`attachments_of`),
attached (`attach`), detached (`detach`) and let go of with a deleted
record (`let_go_of_deleted`).

Each change audits the record in the transaction of the change, as
`{"attachments": {"old": [names], "new": [names]}}`, and obeys the record's
locked status as a change of its fields does. The rules an upload passes
(a name, not empty, at most `ATTACHMENT_MAX_BYTES`, at most
`ATTACHMENT_MAX_PER_RECORD` a record) are here, whoever uploads. A file
leaves the storage only once the deletion of its row has committed."""

import hashlib
import mimetypes
import re
import unicodedata
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from apps.core import audit
from apps.core.models import Attachment
from apps.core.permissions import Grants
from apps.core.transitions import check_unlocked_for

# The key of a record's audit entries that is its attachments, not a field.
ATTACHMENTS = "attachments"

NAME_MAX_LENGTH = Attachment._meta.get_field("name").max_length

# Types a browser shows as data and never runs, served as declared; any
# other (HTML, SVG, XML, script, a type no one knows) is served as bytes.
DATA_MEDIA_TYPE = re.compile(
    r"(image/(png|jpeg|gif|webp|bmp|tiff|avif)"
    r"|audio/[\w.+-]+|video/[\w.+-]+"
    r"|text/(plain|csv|tab-separated-values)"
    r"|application/(pdf|json|zip|gzip|x-tar|x-7z-compressed|msword|rtf|vnd\.[\w.-]+))"
)
BYTES = "application/octet-stream"


class AttachmentNotFound(Exception):
    """No attachment of that id on that record."""

    def __init__(self, record, attachment_id: int):
        super().__init__(f"No attachment {attachment_id} on {record.public_id}.")


def attachments_of(record):
    """The record's attachments, in the order they came, with their uploaders."""
    return Attachment.objects.select_related("uploaded_by").filter(
        content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk
    )


def attachment_of(record, attachment_id: int) -> Attachment:
    attachment = attachments_of(record).filter(pk=attachment_id).first()
    if attachment is None:
        raise AttachmentNotFound(record, attachment_id)
    return attachment


@transaction.atomic(savepoint=False)
def attach(record, upload, *, user=None, grants: Grants | None = None) -> Attachment:
    """Store `upload` (an `UploadedFile`) as an attachment of `record`. The
    caller holds the record's row lock (the API's write does), so two
    uploads never both pass the count."""
    check_unlocked_for(record, [ATTACHMENTS], grants=grants)
    name = clean_name(upload.name or "")
    _check_upload(record, name, upload.size)
    names = [name for _, name in _named(record)]
    if len(names) >= settings.ATTACHMENT_MAX_PER_RECORD:
        raise ValidationError(
            {
                "file": [
                    f"{record.public_id} has {len(names)} attachments, the most a record may "
                    "have: delete one first."
                ]
            }
        )
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(type(record)),
        object_id=record.pk,
        name=name,
        size=upload.size,
        media_type=served_media_type(getattr(upload, "content_type", ""), name),
        sha256=_sha256(upload),
        uploaded_by=user,
    )
    attachment.file.save(name, upload, save=False)
    try:
        attachment.save()
    except BaseException:
        attachment.file.storage.delete(attachment.file.name)
        raise
    audit.record(record, {ATTACHMENTS: {"old": names, "new": [*names, name]}})
    return attachment


@transaction.atomic(savepoint=False)
def detach(record, attachment_id: int, *, grants: Grants | None = None) -> Attachment:
    """Delete the record's attachment `attachment_id`, its file once that commits."""
    check_unlocked_for(record, [ATTACHMENTS], grants=grants)
    attachment = attachment_of(record, attachment_id)
    named = _named(record)
    _delete(Attachment.objects.filter(pk=attachment.pk))
    audit.record(
        record,
        {
            ATTACHMENTS: {
                "old": [name for _, name in named],
                "new": [name for pk, name in named if pk != attachment.pk],
            }
        },
    )
    return attachment


def let_go_of_deleted(record) -> dict:
    """A record being deleted (the admin's delete) loses its attachments,
    their files once that commits; what its deletion's audit entry says of
    them is returned (`{"attachments": {"old": [names], "new": []}}`, or
    nothing)."""
    names = [name for _, name in _named(record)]
    if not names:
        return {}
    _delete(attachments_of(record))
    return {ATTACHMENTS: {"old": names, "new": []}}


def clean_name(raw: str) -> str:
    """The file's own name: no folders (`../../etc/passwd` is `passwd`), no
    control or invisible formatting characters (a right-to-left override
    turning `exe.pdf` around), in Unicode's composed form, at most
    `NAME_MAX_LENGTH` characters with its extension kept."""
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if not name.strip("."):
        return ""
    if len(name) <= NAME_MAX_LENGTH:
        return name
    suffix = PurePosixPath(name).suffix[:16]
    return name[: NAME_MAX_LENGTH - len(suffix)] + suffix


def served_media_type(declared: str, name: str) -> str:
    """The content type a download is served as: the one the uploader
    declared (else guessed from the name) when a browser only shows such
    data, else `application/octet-stream`, whatever the uploader said."""
    media_type = (declared or "").split(";")[0].strip().lower()
    if not media_type or media_type == BYTES:
        media_type = (mimetypes.guess_type(name, strict=False)[0] or BYTES).lower()
    return media_type if DATA_MEDIA_TYPE.fullmatch(media_type) else BYTES


def human_size(size: int) -> str:
    """`31 MB`, `2.5 MB`, `800 KB`, `12 bytes` (decimal units, as the limit's)."""
    for unit, factor in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if size >= factor:
            value = size / factor
            shown = f"{value:.1f}".removesuffix(".0") if value < 10 else f"{value:.0f}"
            return f"{shown} {unit}"
    return f"{size} bytes"


def _check_upload(record, name: str, size: int) -> None:
    if not name:
        raise ValidationError({"file": ["The file has no name once its folders are taken out."]})
    if size == 0:
        raise ValidationError({"file": [f"{name} is empty."]})
    limit = settings.ATTACHMENT_MAX_BYTES
    if size > limit:
        raise ValidationError(
            {"file": [f"{name} is {human_size(size)}; the limit is {human_size(limit)}."]}
        )


def _named(record) -> list[tuple[int, str]]:
    """`(id, name)` of each of the record's attachments, in the order they came."""
    return list(attachments_of(record).values_list("pk", "name"))


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def _delete(attachments) -> None:
    """Delete the rows, then their files once the deletion commits: a
    rolled-back deletion keeps both."""
    files = [(a.file.storage, a.file.name) for a in attachments.select_related(None).only("file")]
    attachments.delete()
    for storage, name in files:
        transaction.on_commit(lambda s=storage, n=name: s.delete(n), robust=True)
