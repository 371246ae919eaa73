"""Generic tests of optimistic concurrency: ETag, If-Match, If-None-Match.
(The concurrent-writers test needs real transactions: tests/core/test_etags.py.)"""

import pytest

STALE = '"0-0"'


class ConditionalRequestTests:
    """Mixed into `EntityAPITestCase`; uses its fixtures and helpers."""

    def etag_of(self, record) -> str:
        record.refresh_from_db()
        return f'"{record.pk}-{record.version}"'

    def writes_to(self, record) -> dict:
        """Each kind of write to one record: a callable taking the client and headers."""
        url = self.detail_url(record.pk)
        target = next(
            t.target
            for t in self.model.workflow.transitions_from(record.status)
            if not t.admin_only and t.guard is None
        )
        return {
            "PATCH": lambda c, **h: c.patch(url, self.changed_data(), format="json", **h),
            "PUT": lambda c, **h: c.put(url, self.valid_data(99), format="json", **h),
            "DELETE": lambda c, **h: c.delete(url, **h),
            "transition": lambda c, **h: c.post(
                self.detail_url(record.pk, "transition"), {"to": target}, format="json", **h
            ),
            "restore": lambda c, **h: c.post(self.detail_url(record.pk, "restore"), **h),
            "revert": lambda c, **h: c.post(
                self.detail_url(record.pk, "revert"),
                {"audit_id": self.latest_entry(record).pk},
                format="json",
                **h,
            ),
        }

    def test_a_detail_response_carries_the_records_strong_etag(self, api):
        record = self.make(1)
        response = api.get(self.detail_url(record.pk))
        assert response["ETag"] == f'"{record.pk}-{record.version}"'

    def test_create_and_update_responses_carry_the_new_etag(self, api):
        created = api.post(self.list_url, self.valid_data(1), format="json")
        record = self.model.objects.get(pk=created.json()["id"])
        assert created["ETag"] == self.etag_of(record)
        updated = api.patch(self.detail_url(record.pk), self.changed_data(), format="json")
        assert updated["ETag"] != created["ETag"]
        assert (
            updated["ETag"] == self.etag_of(record) == api.get(self.detail_url(record.pk))["ETag"]
        )

    def test_the_etag_stays_when_nothing_changes(self, api):
        record = self.make(1)
        etag = self.etag_of(record)
        response = api.patch(self.detail_url(record.pk), {"name": record.name}, format="json")
        assert response["ETag"] == etag

    def test_a_list_carries_no_etag(self, api):
        self.make(1)
        assert "ETag" not in api.get(self.list_url)

    def test_every_write_with_a_stale_if_match_is_a_412_and_writes_nothing(self, api):
        record = self.make(1)
        etag, entries = self.etag_of(record), self.audit_entries().count()
        for method, write in self.writes_to(record).items():
            response = write(api, HTTP_IF_MATCH=STALE)
            assert response.status_code == 412, method
            assert response.json() == {
                "detail": response.json()["detail"],
                "code": "precondition_failed",
                "errors": {},
            }
            assert etag in response.json()["detail"]
            assert response["ETag"] == etag
        assert self.etag_of(record) == etag
        assert self.audit_entries().count() == entries

    def test_every_write_with_the_current_if_match_proceeds(self, api):
        for method, n in (("PATCH", 1), ("PUT", 2), ("DELETE", 3), ("transition", 4)):
            record = self.make(n)
            etag = self.etag_of(record)
            response = self.writes_to(record)[method](api, HTTP_IF_MATCH=etag)
            assert response.status_code in (200, 204), (method, response.content[:300])
            assert self.etag_of(record) != etag, method

    @pytest.mark.parametrize(
        ("header", "status"), [("*", 200), ('"x", {etag}', 200), ("W/{etag}", 412)]
    )
    def test_if_match_takes_a_list_or_star_and_never_a_weak_etag(self, api, header, status):
        record = self.make(1)
        header = header.format(etag=self.etag_of(record))
        response = api.patch(
            self.detail_url(record.pk), self.changed_data(), format="json", HTTP_IF_MATCH=header
        )
        assert response.status_code == status

    def test_without_if_match_a_write_proceeds_unless_the_setting_requires_it(self, api, settings):
        record = self.make(1)
        write = self.writes_to(record)["PATCH"]
        assert write(api).status_code == 200
        settings.API_REQUIRE_IF_MATCH = True
        response = write(api)
        assert response.status_code == 428
        assert response.json()["code"] == "precondition_required"
        assert write(api, HTTP_IF_MATCH=self.etag_of(record)).status_code == 200
        created = api.post(self.list_url, self.valid_data(3), format="json")
        assert created.status_code == 201  # a create has nothing to match

    def test_a_get_with_the_current_if_none_match_is_a_304(self, api):
        record = self.make(1)
        etag = self.etag_of(record)
        response = api.get(self.detail_url(record.pk), HTTP_IF_NONE_MATCH=f"W/{etag}")
        assert response.status_code == 304
        assert response["ETag"] == etag
        assert response.content == b""
        response = api.get(self.detail_url(record.pk), HTTP_IF_NONE_MATCH=STALE)
        assert response.status_code == 200
        assert response.json()["public_id"] == record.public_id
