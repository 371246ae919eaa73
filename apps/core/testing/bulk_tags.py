"""Generic tests of bulk tagging (`POST …/bulk/tags/`, and `add_tags` /
`remove_tags` in a bulk update's items), held against every tool through
`EntityAPITestCase`; they use the helpers of `BulkAPITests`."""

import pytest
from django.test.utils import override_settings
from django.urls import reverse

from apps.core.models.tags import MAX_TAGS_PER_RECORD


class BulkTagsAPITests:
    # --- Helpers ---------------------------------------------------------------------

    @property
    def bulk_tags_url(self) -> str:
        return reverse(f"{self.slug}:{self.model._meta.model_name}-bulk-tags")

    def tagged(self, n: int, *tags: str):
        """A stored record holding `tags`."""
        return self.make(n, tags=list(tags))

    def tags_of(self, api, record) -> list[str]:
        return api.get(self.detail_url(record.pk)).json()["tags"]

    def etag(self, api, record) -> str:
        return api.get(self.detail_url(record.pk)).headers["ETag"]

    @staticmethod
    def references(*records) -> list[dict]:
        return [{"id": r.pk, "public_id": r.public_id, "name": r.name} for r in records]

    def history_count(self, record) -> int:
        return self.model.history.filter(id=record.pk).count()

    # --- Adding and removing -------------------------------------------------------------

    def test_bulk_tags_adds_and_removes_keeping_each_records_other_tags(self, api):
        first, second, bare = self.tagged(1, "keep", "old"), self.tagged(2, "Urgent"), self.make(3)
        ids = [first.pk, second.public_id.lower(), bare.pk]
        body = {"ids": ids, "add": ["urgent", "new"], "remove": ["OLD", "absent"]}
        response = api.post(self.bulk_tags_url, body, format="json")
        assert response.status_code == 200, response.json()
        assert response.json() == {
            "changed": self.references(first, second, bare),
            "unchanged": [],
        }
        # Tags are shared and matched in any case: "urgent" is the tag first spelled "Urgent".
        assert self.tags_of(api, first) == ["keep", "new", "Urgent"]
        assert self.tags_of(api, second) == ["new", "Urgent"]
        assert self.tags_of(api, bare) == ["new", "Urgent"]

    def test_bulk_tags_writes_only_the_records_whose_tags_change(self, api, user):
        changed, unchanged = self.tagged(1, "keep"), self.tagged(2, "keep", "Urgent")
        etags = {r.pk: self.etag(api, r) for r in (changed, unchanged)}
        histories = {r.pk: self.history_count(r) for r in (changed, unchanged)}
        entries_before = len(self.entries())
        response = api.post(
            self.bulk_tags_url,
            {"ids": [unchanged.pk, changed.pk], "add": ["urgent"]},
            format="json",
        )
        assert response.status_code == 200, response.json()
        assert response.json() == {
            "changed": self.references(changed),
            "unchanged": self.references(unchanged),
        }
        (entry,) = self.entries()[entries_before:]
        assert (entry.object_id, entry.action, entry.actor_id) == (changed.pk, "UPDATE", user.pk)
        assert str(entry.request_id) == response["X-Request-ID"]
        assert entry.changes == {"tags": {"old": ["keep"], "new": ["keep", "urgent"]}}
        assert self.history_count(changed) == histories[changed.pk] + 1
        assert self.history_count(unchanged) == histories[unchanged.pk]
        assert self.etag(api, changed) != etags[changed.pk]
        assert self.etag(api, unchanged) == etags[unchanged.pk]

    def test_bulk_tags_run_again_writes_nothing(self, api):
        records = [self.tagged(1, "old"), self.make(2)]
        body = {"ids": [r.pk for r in records], "add": ["urgent"], "remove": ["old"]}
        assert api.post(self.bulk_tags_url, body, format="json").status_code == 200
        entries, etags = len(self.entries()), [self.etag(api, r) for r in records]
        again = api.post(self.bulk_tags_url, body, format="json")
        assert again.status_code == 200, again.json()
        assert again.json() == {"changed": [], "unchanged": self.references(*records)}
        assert len(self.entries()) == entries
        assert [self.etag(api, r) for r in records] == etags

    def test_bulk_tags_tags_archived_records_as_a_patch_would(self, api):
        record = self.make(1)
        api.delete(self.detail_url(record.pk))
        body = {"ids": [record.pk], "add": ["urgent"]}
        response = api.post(self.bulk_tags_url, body, format="json")
        assert response.json()["changed"] == self.references(record)
        record.refresh_from_db()
        assert record.status == self.model.workflow.archived
        assert record.tag_names == ["urgent"]

    # --- Refusals: nothing written -------------------------------------------------------

    def assert_nothing_written(self, api, records, tags):
        assert [self.tags_of(api, r) for r in records] == tags
        assert self.entries("UPDATE") == []

    def test_bulk_tags_is_all_or_nothing(self, api):
        record = self.tagged(1, "keep")
        ids = [record.pk, f"{self.model.id_prefix}-999999", record.public_id, [1]]
        response = api.post(self.bulk_tags_url, {"ids": ids, "add": ["urgent"]}, format="json")
        assert self.failing_indexes(response) == [1, 2, 3]
        assert response.json()["detail"] == "3 of 4 failed; nothing was written."
        errors = [error["errors"] for error in response.json()["errors"]]
        assert errors[0] == {"id": [f"No {self.model._meta.verbose_name} with id '{ids[1]}'."]}
        assert errors[1] == {"id": ["Same record as item 0 of this request."]}
        self.assert_nothing_written(api, [record], [["keep"]])

    def test_bulk_tags_refuses_a_record_left_with_too_many_tags(self, api):
        record = self.make(2)
        full = self.tagged(1, *(f"tag {n}" for n in range(MAX_TAGS_PER_RECORD)))
        body = {"ids": [record.pk, full.pk], "add": ["one more"]}
        response = api.post(self.bulk_tags_url, body, format="json")
        assert self.failing_indexes(response) == [1]
        assert response.json()["errors"][0]["errors"] == {
            "tags": [
                f"A record holds at most {MAX_TAGS_PER_RECORD} tags; this would make "
                f"{MAX_TAGS_PER_RECORD + 1}."
            ]
        }
        self.assert_nothing_written(api, [record], [[]])

    @pytest.mark.parametrize(
        ("body", "code"),
        [
            ({}, "invalid_body"),
            ([1, 2], "invalid_body"),
            ({"add": ["urgent"]}, "invalid_body"),
            ({"ids": 1, "add": ["urgent"]}, "invalid_body"),
            ({"ids": [], "add": ["urgent"]}, "empty"),
        ],
    )
    def test_bulk_tags_refuses_a_body_without_a_list_of_ids(self, api, body, code):
        self.assert_refused_as_a_whole(api.post(self.bulk_tags_url, body, format="json"), code)

    def test_bulk_tags_refuses_more_than_the_limit(self, api):
        record = self.make(1)
        with override_settings(BULK_MAX_ITEMS=2):
            body = {"ids": [record.pk] * 3, "add": ["urgent"]}
            response = api.post(self.bulk_tags_url, body, format="json")
        self.assert_refused_as_a_whole(response, "too_many_items")
        self.assert_nothing_written(api, [record], [[]])

    @pytest.mark.parametrize(
        ("tags", "errors"),
        [
            ({}, {"non_field_errors": ["Name at least one tag in add or in remove."]}),
            (
                {"add": [], "remove": []},
                {"non_field_errors": ["Name at least one tag in add or in remove."]},
            ),
            ({"add": "urgent"}, {"add": ['Expected a list of items but got type "str".']}),
            ({"remove": None}, {"remove": ["This field may not be null."]}),
            ({"add": ["ok", " "]}, {"add": {"1": ["This field may not be blank."]}}),
            (
                {"add": ["x" * 65]},
                {"add": {"0": ["Ensure this field has no more than 64 characters."]}},
            ),
            (
                {"remove": [f"t{n}" for n in range(51)]},
                {"remove": ["Ensure this field has no more than 50 elements."]},
            ),
            (
                {"add": ["Urgent", "new"], "remove": ["old", "urgent"]},
                {"remove": ["“urgent” is also in add: a tag cannot be both added and removed."]},
            ),
            ({"add": ["urgent"], "comment": "why"}, {"comment": ["Unknown field."]}),
        ],
    )
    def test_bulk_tags_refuses_bad_tags_naming_the_field(self, api, tags, errors):
        record = self.tagged(1, "old")
        response = api.post(self.bulk_tags_url, {"ids": [record.pk], **tags}, format="json")
        assert response.status_code == 400, response.json()
        assert response.json()["code"] == "invalid"
        assert response.json()["errors"] == errors
        self.assert_nothing_written(api, [record], [["old"]])

    # --- add_tags and remove_tags in a bulk update: one write with the fields -----------

    def changed_fields(self) -> dict:
        return {k: v for k, v in self.changed_data().items() if k != "tags"}

    def test_bulk_update_adds_and_removes_tags_with_the_fields_in_one_write(self, api, user):
        first, second = self.tagged(1, "keep", "old"), self.tagged(2, "Urgent")
        histories = [self.history_count(r) for r in (first, second)]
        changed = self.changed_fields()
        items = [
            {"id": first.pk, **changed, "add_tags": ["urgent", "new"], "remove_tags": ["OLD"]},
            {"id": second.public_id, "add_tags": ["urgent"], "remove_tags": ["absent"]},
        ]
        response = api.patch(self.bulk_url, items, format="json")
        assert response.status_code == 200, response.json()
        body = response.json()
        assert [row["tags"] for row in body] == [["keep", "new", "Urgent"], ["Urgent"]]
        for name, value in changed.items():
            assert body[0][name] == value
        # One audit entry and one history row for the record changed, fields and tags
        # together; none for the one whose tags were so already.
        (entry,) = self.entries("UPDATE")
        assert (entry.object_id, entry.actor_id) == (first.pk, user.pk)
        assert set(entry.changes) == {*changed, "tags"}
        assert entry.changes["tags"]["old"] == ["keep", "old"]
        assert [name.lower() for name in entry.changes["tags"]["new"]] == ["keep", "new", "urgent"]
        assert [self.history_count(r) for r in (first, second)] == [
            histories[0] + 1,
            histories[1],
        ]

    def test_bulk_update_with_tag_changes_run_again_writes_nothing(self, api):
        records = [self.tagged(1, "old"), self.make(2)]
        items = [{"id": r.pk, "add_tags": ["urgent"], "remove_tags": ["old"]} for r in records]
        assert api.patch(self.bulk_url, items, format="json").status_code == 200
        entries, etags = len(self.entries()), [self.etag(api, r) for r in records]
        again = api.patch(self.bulk_url, items, format="json")
        assert again.status_code == 200, again.json()
        assert [row["tags"] for row in again.json()] == [["urgent"], ["urgent"]]
        assert len(self.entries()) == entries
        assert [self.etag(api, r) for r in records] == etags

    def test_bulk_update_is_all_or_nothing_when_a_record_would_hold_too_many_tags(self, api):
        # The QA case: fields and one more tag for two records, one already at the limit.
        record = self.make(2)
        full = self.tagged(1, *(f"tag {n}" for n in range(MAX_TAGS_PER_RECORD)))
        before = [self.api_record(api, r) for r in (record, full)]
        changed = self.changed_fields()
        items = [{"id": r.pk, **changed, "add_tags": ["one more"]} for r in (record, full)]
        response = api.patch(self.bulk_url, items, format="json")
        assert self.failing_indexes(response) == [1]
        assert response.json()["detail"] == "1 of 2 failed; nothing was written."
        assert response.json()["errors"][0]["errors"] == {
            "tags": [
                f"A record holds at most {MAX_TAGS_PER_RECORD} tags; this would make "
                f"{MAX_TAGS_PER_RECORD + 1}."
            ]
        }
        assert [self.api_record(api, r) for r in (record, full)] == before
        assert self.entries("UPDATE") == []

    def test_bulk_update_reports_an_items_refused_move_and_tags_together(self, api):
        """Uses the workflow helpers of `TransitionTests`."""
        missing = self.missing_transitions()
        if not missing:
            pytest.skip("The workflow allows every move.")
        source, target = missing[0]
        full = self.in_status(source)
        full.set_tags([f"tag {n}" for n in range(MAX_TAGS_PER_RECORD)])
        full.save()
        item = {"id": full.pk, "status": target, "add_tags": ["one more"]}
        response = api.patch(self.bulk_url, [item], format="json")
        assert self.failing_indexes(response) == [0]
        assert set(response.json()["errors"][0]["errors"]) == {"status", "tags"}

    def api_record(self, api, record) -> dict:
        return api.get(self.detail_url(record.pk)).json()

    @pytest.mark.parametrize(
        ("tags", "errors"),
        [
            (
                {"tags": ["a"], "add_tags": ["b"], "remove_tags": ["c"]},
                {
                    name: [
                        "Not with tags, which replaces all the record's tags: "
                        "send one or the other."
                    ]
                    for name in ("add_tags", "remove_tags")
                },
            ),
            (
                {"add_tags": ["Urgent", "new"], "remove_tags": ["old", "urgent"]},
                {
                    "remove_tags": [
                        "“urgent” is also in add_tags: a tag cannot be both added and removed."
                    ]
                },
            ),
            (
                {"add_tags": "urgent"},
                {"add_tags": ['Expected a list of items but got type "str".']},
            ),
            ({"remove_tags": None}, {"remove_tags": ["This field may not be null."]}),
            ({"add_tags": ["ok", " "]}, {"add_tags": {"1": ["This field may not be blank."]}}),
            (
                {"add_tags": ["x" * 65]},
                {"add_tags": {"0": ["Ensure this field has no more than 64 characters."]}},
            ),
            (
                {"remove_tags": [f"t{n}" for n in range(51)]},
                {"remove_tags": ["Ensure this field has no more than 50 elements."]},
            ),
        ],
    )
    def test_bulk_update_refuses_bad_tag_changes_naming_the_field(self, api, tags, errors):
        record, other = self.tagged(1, "old"), self.make(2)
        items = [{"id": other.pk, "add_tags": ["fine"]}, {"id": record.pk, **tags}]
        response = api.patch(self.bulk_url, items, format="json")
        assert self.failing_indexes(response) == [1]
        assert response.json()["errors"][0]["errors"] == errors
        self.assert_nothing_written(api, [record, other], [["old"], []])

    def test_a_single_record_patch_takes_tags_not_tag_changes(self, api):
        record = self.tagged(1, "old")
        response = api.patch(self.detail_url(record.pk), {"add_tags": ["new"]}, format="json")
        assert response.status_code == 400
        assert response.json()["errors"] == {"add_tags": ["Unknown field."]}
        assert self.tags_of(api, record) == ["old"]
