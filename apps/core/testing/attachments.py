import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

LOG = b"PASS 12/12\n"


class AttachmentTests:
    """Mixed into `EntityAPITestCase`: every tool's records carry files, under
    the tool's own permissions (the rules of an upload are the core's, tested
    once in tests/core/test_attachments.py)."""

    @pytest.fixture(autouse=True)
    def _files_of_this_test(self, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path

    def test_a_writer_attaches_a_file_reads_it_back_and_deletes_it(self, api):
        record = self.make(1)
        url = self.detail_url(record.pk, "attachments")
        upload = SimpleUploadedFile("run.log", LOG, content_type="text/plain")
        created = api.post(url, {"file": upload}, format="multipart")
        assert created.status_code == 201, created.json()
        assert [item["name"] for item in api.get(url).json()] == ["run.log"]
        attachment = f"{url}{created.json()['id']}/"
        assert b"".join(api.get(attachment).streaming_content) == LOG
        assert api.delete(attachment).status_code == 204
        assert api.get(url).json() == []
        changes = [entry.changes for entry in self.audit_entries(object_id=record.pk)]
        assert {"attachments": {"old": [], "new": ["run.log"]}} in changes
        assert {"attachments": {"old": ["run.log"], "new": []}} in changes

    def test_a_reader_of_the_tool_lists_files_but_attaches_none(self, client_with):
        record = self.make(1)
        reader = client_with(f"{self.slug}:read")
        url = self.detail_url(record.pk, "attachments")
        assert reader.get(url).status_code == 200
        upload = SimpleUploadedFile("run.log", LOG, content_type="text/plain")
        refused = reader.post(url, {"file": upload}, format="multipart")
        assert refused.status_code == 403
        assert refused.json()["detail"] == f"You need the '{self.slug}:write' permission."
