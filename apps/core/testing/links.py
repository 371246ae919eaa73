"""Generic tests of a tool's links: to other records (`fk`, `m2m`) and to
people (`user`). A value that names no record is a 400 naming the field, never
a 500 nor another record; a person is written by id, read by name and whether
they are active, and only an active one can be chosen (a deactivated one a
record names stays, and filters still find it). A link to another tool's records is written and
filtered by only with read on that tool (the same 400 whether or not the
record exists), and read, as part of the record, by any of its readers."""

import pytest

from apps.core.models import User
from apps.core.testing.samples import create_sample, link_fields, person_fields, record_links
from apps.core.tools import tool_for_model

# An id no record has.
NO_SUCH_ID = 2**31 - 1

# JSON values that name no record: not whole numbers, or no 64-bit id.
NO_RECORD = [1.5, True, 0, -1, 2**63, 10**30, "1.5", "not an id"]


class LinkTests:
    def test_a_link_naming_no_record_is_a_400_naming_the_field(self, api):
        failures = []
        for field in link_fields(self.model):
            for value in NO_RECORD:
                bad = [value] if field.many_to_many else value
                response = api.post(
                    self.list_url, {**self.valid_data(1), field.name: bad}, format="json"
                )
                if response.status_code != 400 or field.name not in response.json()["errors"]:
                    failures.append((field.name, value, response.status_code))
        assert failures == []
        assert not self.model.objects.exists()

    @pytest.fixture
    def person(self, db):
        return User.objects.create_user(username="ada", first_name="Ada", last_name="Lovelace")

    def person_fields_or_skip(self):
        fields = person_fields(self.model)
        if not fields:
            pytest.skip("The model links to no person.")
        return fields

    def test_a_person_is_written_by_id_and_read_by_name_filtered_and_exported(self, api, person):
        for n, field in enumerate(self.person_fields_or_skip()):
            body = {**self.valid_data(10 * n + 1), field.name: person.pk}
            created = api.post(self.list_url, body, format="json")
            assert created.status_code == 201, created.json()
            shown = {"id": person.pk, "name": "Ada Lovelace", "is_active": True}
            assert created.json()[field.name] == shown
            self.make(10 * n + 2)
            assert getattr(self.model.objects.get(pk=created.json()["id"]), field.attname) == (
                person.pk
            )
            listed = api.get(self.list_url, {field.name: person.pk}).json()["results"]
            assert [(r["id"], r[field.name]) for r in listed] == [(created.json()["id"], shown)]
            several = api.get(self.list_url, {f"{field.name}__in": f"{person.pk},{10**30}"})
            assert several.status_code == 400
            assert f"{field.name}__in" in several.json()["errors"]
            header, *rows = self.read_csv(api.get(self.export_url, {field.name: person.pk}))
            assert [row[header.index(field.name)] for row in rows] == ["Ada Lovelace"]
            assert api.get(self.list_url, {field.name: "Ada"}).status_code == 400

    @staticmethod
    def deactivated(person) -> list[str]:
        return [
            f"Ada Lovelace (user {person.pk}) is deactivated and cannot be chosen; "
            "choose an active person."
        ]

    def test_a_deactivated_person_is_refused_for_a_new_choice_naming_the_field(self, api, person):
        other = User.objects.create_user(username="grace", first_name="Grace")
        User.objects.filter(pk=person.pk).update(is_active=False)
        for n, field in enumerate(self.person_fields_or_skip()):
            record = self.make(10 * n + 1, **{field.name: other.pk})
            before = record.history.count(), self.model.objects.count()
            new = {**self.valid_data(10 * n + 2), field.name: person.pk}
            for response in (
                api.post(self.list_url, new, format="json"),
                api.patch(self.detail_url(record.pk), {field.name: person.pk}, format="json"),
            ):
                assert response.status_code == 400, response.json()
                assert response.json()["errors"] == {field.name: self.deactivated(person)}
            for response in (
                api.post(self.bulk_url, [self.valid_data(10 * n + 3), new], format="json"),
                api.patch(self.bulk_url, [{"id": record.pk, field.name: person.pk}], format="json"),
            ):
                assert response.status_code == 400, response.json()
                (error,) = response.json()["errors"]
                assert error["errors"] == {field.name: self.deactivated(person)}
            assert (record.history.count(), self.model.objects.count()) == before
            assert getattr(self.model.objects.get(pk=record.pk), field.attname) == other.pk

    def test_a_record_naming_a_deactivated_person_keeps_them_and_still_saves(self, api, person):
        shown = {"id": person.pk, "name": "Ada Lovelace", "is_active": False}
        for n, field in enumerate(self.person_fields_or_skip()):
            record = self.make(10 * n + 1, **{field.name: person.pk})
            User.objects.filter(pk=person.pk).update(is_active=False)
            assert api.get(self.detail_url(record.pk)).json()[field.name] == shown
            kept = api.patch(
                self.detail_url(record.pk), {"name": "Kept", field.name: person.pk}, format="json"
            )
            assert kept.status_code == 200, kept.json()
            assert kept.json()[field.name] == shown
            in_bulk = api.patch(
                self.bulk_url,
                [{"id": record.pk, "name": "Kept in bulk", field.name: person.pk}],
                format="json",
            )
            assert in_bulk.status_code == 200, in_bulk.json()
            listed = api.get(self.list_url, {field.name: person.pk}).json()["results"]
            assert [(r["id"], r["name"], r[field.name]) for r in listed] == [
                (record.pk, "Kept in bulk", shown)
            ]
            User.objects.filter(pk=person.pk).update(is_active=True)

    def test_a_person_field_is_a_user_in_the_manifest(self, client_with):
        names = {field.name for field in self.person_fields_or_skip()}
        body = client_with(f"{self.slug}:read").get("/api/v1/tools/").json()
        tool = next(t for t in body["tools"] if t["slug"] == self.slug)
        entity = next(e for e in tool["entities"] if e["name"] == self.model._meta.label_lower)
        fields = {f["name"]: f for f in entity["fields"] if f["name"] in names}
        assert {name: f["type"] for name, f in fields.items()} == dict.fromkeys(names, "user")
        assert all(f["relation"] is None for f in fields.values())
        assert all(f["filter_lookups"] == ["exact", "in"] for f in fields.values())

    # --- Links to the records of a tool the caller may not read -----------------------------

    def other_tools_links_or_skip(self):
        fields = [
            field
            for field in record_links(self.model)
            if tool_for_model(field.related_model).slug != self.slug
        ]
        if not fields:
            pytest.skip("The model links to no other tool's records.")
        return fields

    @staticmethod
    def needs_read(field, doing: str) -> str:
        tool = tool_for_model(field.related_model).slug
        records = field.related_model._meta.verbose_name_plural
        return f"You need '{tool}:read' to {doing} {records}."

    def test_linking_another_tools_record_needs_read_on_that_tool(self, client_with):
        writer = client_with(f"{self.slug}:read", f"{self.slug}:write")
        record, body = self.make(1), self.valid_data(2)
        before = record.history.count(), self.model.objects.count()
        for n, field in enumerate(self.other_tools_links_or_skip()):
            existing = create_sample(field.related_model, 900 + n).pk
            answers = []
            for value in (existing, NO_SUCH_ID):  # one that exists, one that does not
                value = [value] if field.many_to_many else value
                for response in (
                    writer.post(self.list_url, {**body, field.name: value}, format="json"),
                    writer.patch(self.detail_url(record.pk), {field.name: value}, format="json"),
                    writer.patch(
                        self.bulk_url, [{"id": record.pk, field.name: value}], format="json"
                    ),
                ):
                    assert response.status_code == 400, (field.name, response.json())
                    answers.append(str(response.json()["errors"]))
            assert self.needs_read(field, "link") in answers[0], answers[0]
            assert answers[:3] == answers[3:], field.name  # no telling which exists
        assert (record.history.count(), self.model.objects.count()) == before

    def test_filtering_by_another_tools_record_needs_read_on_that_tool(self, client_with):
        reader = client_with(f"{self.slug}:read")
        for n, field in enumerate(self.other_tools_links_or_skip()):
            existing = create_sample(field.related_model, 900 + n).pk
            for name, value in (
                (field.name, existing),
                (field.name, NO_SUCH_ID),
                (f"{field.name}__in", f"{existing},{NO_SUCH_ID}"),
            ):
                for url in (self.list_url, self.export_url):
                    response = reader.get(url, {name: value})
                    assert response.status_code == 400, (url, name, value)
                    assert response.json()["errors"] == {
                        name: [self.needs_read(field, "filter by")]
                    }

    def test_a_reader_of_the_record_sees_its_links_to_a_tool_they_cannot_read(self, client_with):
        """The link is part of the record: `{id, public_id, name}` of the
        linked record, as for anyone (docs/auth.md, "Links between tools")."""
        fields = self.other_tools_links_or_skip()
        record = self.make(1)
        body = client_with(f"{self.slug}:read").get(self.detail_url(record.pk)).json()
        for field in fields:
            linked = getattr(record, field.name)
            linked = list(linked.all()) if field.many_to_many else [linked]
            shown = [{"id": r.pk, "public_id": r.public_id, "name": r.name} for r in linked]
            assert body[field.name] == (shown if field.many_to_many else shown[0])

    def links_now(self, record, field):
        record.refresh_from_db()
        if field.many_to_many:
            return sorted(getattr(record, field.name).values_list("pk", flat=True))
        return getattr(record, field.attname)

    def test_reverting_to_another_tools_records_needs_read_on_that_tool(self, api, client_with):
        """A revert, and its preview, put a link back as PATCH writes one: a
        400 naming the field, nothing written (docs/auth.md)."""
        writer = client_with(f"{self.slug}:read", f"{self.slug}:write")
        fields = self.other_tools_links_or_skip()
        record = self.make(1)
        before, after = {}, {}
        for n, field in enumerate(fields):
            first, second = (create_sample(field.related_model, 900 + 2 * n + k).pk for k in (0, 1))
            before[field.name] = [first, second] if field.many_to_many else first
            after[field.name] = [] if field.many_to_many else second
        for body in (before, after):
            changed = api.patch(self.detail_url(record.pk), body, format="json")
            assert changed.status_code == 200, changed.json()
        entry, versions = self.latest_entry(record), record.history.count()
        refused = {field.name: [self.needs_read(field, "link")] for field in fields}
        for response in (
            self.preview(writer, record, entry.pk),
            self.revert(writer, record, entry.pk),
        ):
            assert response.status_code == 400, response.json()
            assert response.json()["errors"] == refused
        assert record.history.count() == versions
        assert {field.name: self.links_now(record, field) for field in fields} == after

    def test_a_revert_that_only_unlinks_another_tools_records_needs_no_read_on_it(
        self, api, client_with
    ):
        writer = client_with(f"{self.slug}:read", f"{self.slug}:write")
        fields = [field for field in self.other_tools_links_or_skip() if field.many_to_many]
        if not fields:
            pytest.skip("The model has no many-to-many link to another tool's records.")
        record = self.make(1)
        unlinked = {field.name: [] for field in fields}
        linked = {
            field.name: [create_sample(field.related_model, 900 + n).pk]
            for n, field in enumerate(fields)
        }
        for body in (unlinked, linked):
            changed = api.patch(self.detail_url(record.pk), body, format="json")
            assert changed.status_code == 200, changed.json()
        entry = self.latest_entry(record)
        assert self.preview(writer, record, entry.pk).status_code == 200
        assert self.revert(writer, record, entry.pk).status_code == 200
        assert {field.name: self.links_now(record, field) for field in fields} == unlinked
