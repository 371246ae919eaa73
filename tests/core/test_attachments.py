"""A record's attachments, through the API of every tool: `GET` and `POST
…/{id}/attachments/`, `GET` and `DELETE …/{id}/attachments/{attachment_id}/`
— who may do what, the rules an upload passes, what a download sends, the
audit entries, and the files kept in (and removed from) the storage."""

import hashlib

import pytest
from django.core.files.storage import default_storage

from apps.components.models import Component
from apps.core.api.registry import entity_path
from apps.core.context import acting_as
from apps.core.models import Attachment, AuditEntry
from apps.core.testing.api import client_for
from apps.core.testing.samples import create_sample
from apps.core.tools import tool_for_model
from apps.core.workflows import Status, Transition, Workflow
from apps.testing import models as testing

pytestmark = pytest.mark.django_db

URL = "/api/v1/components/components/"
PDF = b"%PDF-1.7\n" + b"x" * 100


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """The storage's folder, this test's alone."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def record():
    return create_sample(Component, 1)


@pytest.fixture
def writer(user):
    return client_for(user, "components:read", "components:write")


@pytest.fixture
def reader(user):
    return client_for(user, "components:read")


def multipart(filename: str, content: bytes, content_type="application/pdf", field="file"):
    """A multipart body as a browser sends it, the name as given: Django's
    test client would strip its folders before sending."""
    boundary = "attachment-test-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
        f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
    ).encode()
    return {
        "data": head + content + f"\r\n--{boundary}--\r\n".encode(),
        "content_type": f"multipart/form-data; boundary={boundary}",
    }


def upload(client, record, filename="Datasheet.pdf", content=PDF, **kwargs):
    return client.post(attachments_url(record), **multipart(filename, content, **kwargs))


def attachments_url(record) -> str:
    tool = tool_for_model(type(record)).slug
    return f"/api/v1/{tool}/{entity_path(type(record))}/{record.pk}/attachments/"


def entries(record):
    return list(
        AuditEntry.objects.filter(object_id=record.pk, public_id=record.public_id).order_by("id")
    )


def stored_files() -> list[str]:
    return (
        sorted(default_storage.listdir("attachments")[1])
        if default_storage.exists("attachments")
        else []
    )


# --- Uploading ---------------------------------------------------------------------------


def test_a_writer_uploads_a_file_to_a_record(writer, user, record):
    response = upload(writer, record)
    assert response.status_code == 201
    body = response.json()
    attachment = Attachment.objects.get()
    assert body == {
        "id": attachment.pk,
        "name": "Datasheet.pdf",
        "size": len(PDF),
        "content_type": "application/pdf",
        "sha256": hashlib.sha256(PDF).hexdigest(),
        "uploaded_by": {"id": user.pk, "name": "Alice Tester", "is_active": True},
        "created_at": body["created_at"],
    }
    assert (attachment.content_type.model_class(), attachment.object_id) == (Component, record.pk)
    with default_storage.open(attachment.file.name) as stored:
        assert stored.read() == PDF


def test_the_file_is_stored_under_a_name_of_its_own(writer, record):
    upload(writer, record, filename="../../etc/passwd", content=b"root:x:0:0")
    attachment = Attachment.objects.get()
    assert attachment.name == "passwd"
    assert attachment.file.name.startswith("attachments/")
    assert "passwd" not in attachment.file.name


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("Datenblatt Größe \u2013 10 µF.pdf", "Datenblatt Größe \u2013 10 µF.pdf"),
        ("Prüfbericht 测试.txt", "Prüfbericht 测试.txt"),
        ("invoice\u202egpj.exe", "invoicegpj.exe"),
        ("  tab\there.csv  ", "tabhere.csv"),
    ],
)
def test_a_files_name_is_kept_without_folders_or_control_characters(writer, record, sent, kept):
    response = upload(writer, record, filename=sent, content=b"data")
    assert response.status_code == 201
    assert response.json()["name"] == kept


def test_a_name_longer_than_255_characters_is_cut_keeping_its_extension(writer, record):
    response = upload(writer, record, filename="a" * 300 + ".pdf")
    assert response.json()["name"] == "a" * 251 + ".pdf"


def test_a_file_larger_than_the_limit_is_a_400_naming_the_field_and_the_limit(
    writer, record, settings
):
    settings.ATTACHMENT_MAX_BYTES = 1_000
    response = upload(writer, record, content=b"x" * 31_000)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Invalid input: file.",
        "code": "invalid",
        "errors": {"file": ["Datasheet.pdf is 31 KB; the limit is 1 KB."]},
    }
    assert not Attachment.objects.exists()
    assert entries(record) == entries(record)[:1]  # its creation only
    assert stored_files() == []


def test_the_default_limit_is_20_mb(writer, record, settings):
    settings.ATTACHMENT_MAX_BYTES = 20_000_000
    response = upload(writer, record, content=b"x" * 20_000_001)
    assert response.json()["errors"] == {"file": ["Datasheet.pdf is 20 MB; the limit is 20 MB."]}


def test_an_empty_file_is_a_400(writer, record):
    response = upload(writer, record, content=b"")
    assert response.status_code == 400
    assert response.json()["errors"] == {"file": ["Datasheet.pdf is empty."]}
    assert not Attachment.objects.exists()


def test_a_file_under_another_field_is_a_400_naming_it(writer, record):
    response = upload(writer, record, field="document")
    assert response.status_code == 400
    assert response.json()["errors"] == {"document": ["Unknown field."]}
    assert not Attachment.objects.exists()


def test_a_missing_file_is_a_400_naming_file(writer, record):
    response = writer.post(attachments_url(record), {}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"] == {"file": ["No file was submitted."]}


def test_a_json_body_is_a_415(writer, record):
    response = writer.post(attachments_url(record), {"file": "x"}, format="json")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_a_record_holds_at_most_the_settings_number_of_attachments(writer, record, settings):
    settings.ATTACHMENT_MAX_PER_RECORD = 2
    assert upload(writer, record).status_code == 201
    assert upload(writer, record).status_code == 201
    response = upload(writer, record)
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "file": ["CMP-0001 has 2 attachments, the most a record may have: delete one first."]
    }
    assert Attachment.objects.count() == 2


def test_uploading_leaves_the_records_etag_as_it_was(writer, record):
    etag = writer.get(f"{URL}{record.pk}/")["ETag"]
    upload(writer, record)
    assert writer.get(f"{URL}{record.pk}/")["ETag"] == etag


# --- Permissions -------------------------------------------------------------------------


def test_a_reader_lists_and_downloads_but_may_not_upload_or_delete(writer, reader, record):
    attachment_id = upload(writer, record).json()["id"]
    assert reader.get(attachments_url(record)).status_code == 200
    assert reader.get(f"{attachments_url(record)}{attachment_id}/").status_code == 200
    refused = upload(reader, record)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "You need the 'components:write' permission."
    assert reader.delete(f"{attachments_url(record)}{attachment_id}/").status_code == 403
    assert Attachment.objects.count() == 1


def test_without_read_nothing_is_listed_nor_downloaded(writer, user, record):
    attachment_id = upload(writer, record).json()["id"]
    stranger = client_for(user, "testing:read", "testing:write")
    for response in (
        stranger.get(attachments_url(record)),
        stranger.get(f"{attachments_url(record)}{attachment_id}/"),
        upload(stranger, record),
    ):
        assert response.status_code == 403
        assert "components:" in response.json()["detail"]


# --- Listing and downloading --------------------------------------------------------------


def test_the_list_holds_the_records_attachments_in_the_order_they_came(writer, record):
    upload(writer, record, filename="b.pdf")
    upload(writer, record, filename="a.pdf")
    upload(writer, create_sample(Component, 2), filename="other.pdf")
    response = writer.get(attachments_url(record))
    assert [item["name"] for item in response.json()] == ["b.pdf", "a.pdf"]


def test_a_record_is_also_found_by_its_public_id(writer, record):
    upload(writer, record)
    response = writer.get(f"{URL}{record.public_id}/attachments/")
    assert [item["name"] for item in response.json()] == ["Datasheet.pdf"]


def test_a_download_is_the_file_as_an_attachment_never_shown_inline(writer, record):
    attachment_id = upload(writer, record).json()["id"]
    response = writer.get(f"{attachments_url(record)}{attachment_id}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(PDF))
    assert response["Content-Disposition"] == (
        "attachment; filename=\"Datasheet.pdf\"; filename*=UTF-8''Datasheet.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_a_unicode_name_is_sent_in_utf_8_with_a_plain_fallback(writer, record):
    attachment_id = upload(writer, record, filename="Größe µF 测试.pdf").json()["id"]
    response = writer.get(f"{attachments_url(record)}{attachment_id}/")
    assert response["Content-Disposition"] == (
        'attachment; filename="Groe F .pdf"; '
        "filename*=UTF-8''Gr%C3%B6%C3%9Fe%20%C2%B5F%20%E6%B5%8B%E8%AF%95.pdf"
    )


@pytest.mark.parametrize(
    ("filename", "declared"),
    [
        ("page.html", "text/html"),
        ("logo.svg", "image/svg+xml"),
        ("feed.xml", "application/xml"),
        ("run.js", "text/javascript"),
        ("page.pdf", "text/html"),
    ],
)
def test_a_type_a_browser_could_run_is_served_as_bytes(writer, record, filename, declared):
    created = upload(
        writer, record, filename=filename, content=b"<script>1</script>", content_type=declared
    )
    assert created.json()["content_type"] == "application/octet-stream"
    response = writer.get(f"{attachments_url(record)}{created.json()['id']}/")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_file_sent_as_bytes_is_typed_by_its_name(writer, record):
    response = upload(writer, record, filename="photo.png", content_type="application/octet-stream")
    assert response.json()["content_type"] == "image/png"


def test_a_file_missing_from_the_storage_is_a_404_saying_so(writer, record, caplog):
    attachment_id = upload(writer, record).json()["id"]
    default_storage.delete(Attachment.objects.get().file.name)
    response = writer.get(f"{attachments_url(record)}{attachment_id}/")
    assert response.status_code == 404
    assert response.json()["detail"] == "The file of Datasheet.pdf is missing from the storage."
    assert "is missing" in caplog.text


def test_another_records_attachment_is_a_404(writer, record):
    other = create_sample(Component, 2)
    attachment_id = upload(writer, other).json()["id"]
    for response in (
        writer.get(f"{attachments_url(record)}{attachment_id}/"),
        writer.delete(f"{attachments_url(record)}{attachment_id}/"),
    ):
        assert response.status_code == 404
        assert response.json()["detail"] == f"No attachment {attachment_id} on CMP-0001."
    assert Attachment.objects.count() == 1


def test_a_record_that_does_not_exist_is_a_404(writer):
    assert writer.get(f"{URL}999/attachments/").status_code == 404
    assert writer.post(f"{URL}999/attachments/", **multipart("a.pdf", PDF)).status_code == 404


# --- Deleting ----------------------------------------------------------------------------


def test_a_writer_deletes_an_attachment_and_its_file_goes_after_the_commit(
    writer, record, django_capture_on_commit_callbacks
):
    attachment_id = upload(writer, record).json()["id"]
    assert len(stored_files()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = writer.delete(f"{attachments_url(record)}{attachment_id}/")
    assert response.status_code == 204
    assert not Attachment.objects.exists()
    assert stored_files() == []
    assert writer.get(attachments_url(record)).json() == []


# --- Audit -------------------------------------------------------------------------------


def test_uploading_and_deleting_each_write_one_audit_entry_naming_the_files(writer, user, record):
    upload(writer, record, filename="a.pdf")
    response = upload(writer, record, filename="b.pdf")
    writer.delete(f"{attachments_url(record)}{Attachment.objects.first().pk}/")
    _creation, first, second, deleted = entries(record)
    assert first.changes == {"attachments": {"old": [], "new": ["a.pdf"]}}
    assert second.changes == {"attachments": {"old": ["a.pdf"], "new": ["a.pdf", "b.pdf"]}}
    assert deleted.changes == {"attachments": {"old": ["a.pdf", "b.pdf"], "new": ["b.pdf"]}}
    assert (second.action, second.actor, str(second.request_id)) == (
        "UPDATE",
        user,
        response["X-Request-ID"],
    )


def test_the_records_history_shows_the_upload(writer, record):
    upload(writer, record)
    history = writer.get(f"{URL}{record.pk}/history/").json()["results"]
    assert history[0]["changes"] == {"attachments": {"old": [], "new": ["Datasheet.pdf"]}}


def test_an_upload_entry_cannot_be_reverted(writer, record):
    upload(writer, record)
    entry = entries(record)[-1]
    response = writer.post(f"{URL}{record.pk}/revert/", {"audit_id": entry.pk}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "not_revertible"


def test_a_deleted_record_takes_its_attachments_and_files_with_it(
    writer, user, record, django_capture_on_commit_callbacks
):
    upload(writer, record, filename="a.pdf")
    upload(writer, record, filename="b.pdf")
    with django_capture_on_commit_callbacks(execute=True), acting_as(user):
        Component.objects.get(pk=record.pk).delete()
    assert not Attachment.objects.exists()
    assert stored_files() == []
    deletion = entries(record)[-1]
    assert deletion.action == "DELETE"
    assert deletion.changes["attachments"] == {"old": ["a.pdf", "b.pdf"], "new": []}


# --- A locked status ---------------------------------------------------------------------

APPROVAL = Workflow(
    statuses=[
        Status("DRAFT", "Draft"),
        Status("ACTIVE", "Approved", "green", locked=True),
        Status("ARCHIVED", "Archived", "red"),
    ],
    transitions=[Transition("DRAFT", "ACTIVE")],
)


@pytest.fixture
def approved(swap_workflow, writer, record):
    """The record, with one attachment, then approved: a status that locks it."""
    swap_workflow(Component, APPROVAL)
    upload(writer, record)
    Component.objects.filter(pk=record.pk).update(status="ACTIVE")
    return record


def test_a_writer_may_not_change_a_locked_records_attachments(writer, approved):
    attachment = Attachment.objects.get()
    for response in (
        upload(writer, approved),
        writer.delete(f"{attachments_url(approved)}{attachment.pk}/"),
    ):
        assert response.status_code == 409
        assert response.json() == {
            "detail": "CMP-0001 is Approved: its fields cannot be changed in that status but "
            "by 'components:admin' (attachments).",
            "code": "record_locked",
            "errors": {"attachments": ["Locked while the record is Approved."]},
        }
    assert list(Attachment.objects.all()) == [attachment]
    assert writer.get(f"{attachments_url(approved)}{attachment.pk}/").status_code == 200


def test_an_admin_changes_a_locked_records_attachments(user, approved):
    admin = client_for(user, "components:read", "components:write", "components:admin")
    assert upload(admin, approved).status_code == 201
    attachment = Attachment.objects.first()
    assert admin.delete(f"{attachments_url(approved)}{attachment.pk}/").status_code == 204


# --- Every tool --------------------------------------------------------------------------


def test_a_record_of_another_tool_carries_files_under_its_own_permissions(user):
    run = create_sample(testing.TestRun, 1)
    tester = client_for(user, "testing:read", "testing:write")
    created = upload(
        tester, run, filename="run.log", content=b"PASS 12/12\n", content_type="text/plain"
    )
    assert created.status_code == 201
    assert created.json()["content_type"] == "text/plain"
    download = tester.get(f"{attachments_url(run)}{created.json()['id']}/")
    assert b"".join(download.streaming_content) == b"PASS 12/12\n"
    component_writer = client_for(user, "components:read", "components:write")
    assert upload(component_writer, run).status_code == 403
    assert entries(run)[-1].changes == {"attachments": {"old": [], "new": ["run.log"]}}


# --- What the web app is told, and cost ----------------------------------------------------


def test_the_manifest_says_the_limits_and_its_etag_follows_them(reader, settings):
    before = reader.get("/api/v1/tools/")
    assert before.json()["attachments"] == {"max_bytes": 20_000_000, "max_per_record": 50}
    settings.ATTACHMENT_MAX_BYTES = 5_000_000
    after = reader.get("/api/v1/tools/")
    assert after.json()["attachments"] == {"max_bytes": 5_000_000, "max_per_record": 50}
    assert after["ETag"] != before["ETag"]


@pytest.mark.postgres  # SQLite reads the record's tags in a query of their own
def test_listing_takes_two_queries_however_many_files(writer, record, django_assert_num_queries):
    """The record, then its attachments with their uploaders."""
    for name in ("a.pdf", "b.pdf", "c.pdf"):
        upload(writer, record, filename=name)
    with django_assert_num_queries(2):
        assert len(writer.get(attachments_url(record)).json()) == 3
