"""Records read from the database (`LoadedFromRowsModel.from_db`) are the
records Django's `Model.__init__` would make, and Django's path still runs
wherever the shortcut could differ from it."""

import decimal

import pytest
from django.db import connection, models
from django.db.models import Prefetch
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init
from django.test.utils import CaptureQueriesContext, isolate_apps

from apps.components.models import Component
from apps.core import audit
from apps.core.api.reads import entity_queryset
from apps.core.context import acting_as
from apps.core.models import AuditEntry, Tag, User
from apps.core.models.base import (
    LoadedFromRowsModel,
    _shared_records,
    related_records_shared,
)
from apps.testing import models as testing

pytestmark = pytest.mark.django_db


def djangos_own(model, field_names, values):
    return models.Model.from_db.__func__(model, "default", field_names, values)


def state(record) -> tuple:
    values = {k: v for k, v in vars(record).items() if not k.startswith("_")}  # the columns
    return values, record._state.adding, record._state.db


@pytest.fixture
def component(user):
    return Component.objects.create(
        name="Sensor", part_number="P-1", unit_cost="2.50", created_by=user, updated_by=user
    )


@pytest.mark.parametrize(
    "fields",
    [None, ("id", "name", "created_by_id"), ("id", "search_text")],
    ids=["every column", "some columns", "the generated column"],
)
def test_a_record_read_is_the_one_django_makes(component, fields):
    attnames = fields or [f.attname for f in Component._meta.concrete_fields]
    (row,) = Component.objects.filter(pk=component.pk).values_list(*attnames)
    ours = Component.from_db("default", list(attnames), row)
    assert state(ours) == state(djangos_own(Component, list(attnames), row))
    assert ours._state.adding is False
    assert ours._state.db == "default"


def test_the_records_and_authors_of_a_page_are_complete(component, user):
    (record,) = entity_queryset(Component).filter(pk=component.pk)
    with CaptureQueriesContext(connection) as queries:
        assert record.name == "Sensor"
        assert record.created_by.display_name == user.display_name
        assert record.created_by.pk == user.pk
    assert len(queries) == 0
    with CaptureQueriesContext(connection) as queries:
        assert record.created_by.date_joined == user.date_joined  # deferred: read now
    assert len(queries) == 1


def test_a_person_a_tool_links_to_is_read_with_the_page_by_their_name_columns(component, user):
    run = testing.TestRun.objects.create(name="Run", component=component, executed_by=user)
    (record,) = entity_queryset(testing.TestRun).filter(pk=run.pk)
    with CaptureQueriesContext(connection) as queries:
        assert record.executed_by.display_name == user.display_name
    assert len(queries) == 0
    with CaptureQueriesContext(connection) as queries:
        assert record.executed_by.password == user.password  # deferred: read now
    assert len(queries) == 1


@pytest.mark.parametrize("signal", [pre_init, post_init], ids=["pre_init", "post_init"])
def test_a_listener_of_initialisation_sees_every_record_read(component, signal):
    seen = []

    def listener(sender, **kwargs):
        seen.append(sender)

    signal.connect(listener, sender=User)
    try:
        list(entity_queryset(Component).filter(pk=component.pk))
    finally:
        signal.disconnect(listener, sender=User)
    assert seen == [User, User]  # the record's two authors, read with it


class UpperCasing(DeferredAttribute):
    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value.upper()


class UpperCasingField(models.CharField):
    descriptor_class = UpperCasing


@isolate_apps("apps.core")
def test_a_field_whose_attribute_converts_its_value_goes_through_django():
    class Shouting(LoadedFromRowsModel):
        word = UpperCasingField(max_length=10)

        class Meta:
            app_label = "core"

    record = Shouting.from_db("default", ["id", "word"], (1, "quiet"))
    assert record.word == "QUIET"
    assert record._state.adding is False


def test_a_record_with_columns_left_out_is_audited_without_reading_them(component, user):
    record = Component.objects.only("id", "name").get(pk=component.pk)
    with CaptureQueriesContext(connection) as queries:
        stored = audit.snapshot(record)
    assert len(queries) == 0
    assert stored == {"name": "Sensor"}
    record.name = "Sensor 2"
    with acting_as(user):
        record.save()
    entry = AuditEntry.objects.filter(object_id=component.pk).latest("id")
    assert entry.action == "UPDATE"
    assert entry.changes == {"name": {"old": "Sensor", "new": "Sensor 2"}}


def test_a_record_read_is_audited_against_the_row_it_was_read_from(component, user):
    (record,) = entity_queryset(Component).filter(pk=component.pk)
    record.name = "Sensor 2"
    record.unit_cost = decimal.Decimal("3.00")
    record.name = "Sensor 3"
    with acting_as(user):
        record.save()
    entry = AuditEntry.objects.filter(object_id=component.pk).latest("id")
    assert entry.action == "UPDATE"
    assert entry.changes == {
        "name": {"old": "Sensor", "new": "Sensor 3"},
        "unit_cost": {"old": "2.50", "new": "3.00"},
    }
    # ... and, once written, against what it wrote.
    record.name = "Sensor"
    with acting_as(user):
        record.save()
    entry = AuditEntry.objects.filter(object_id=component.pk).latest("id")
    assert entry.changes == {"name": {"old": "Sensor 3", "new": "Sensor"}}


def test_a_record_changed_as_it_is_made_is_audited_against_what_it_holds(component, user):
    """A listener may change a record as `Model.__init__` makes it: what the
    record then holds, not the row, is its stored state."""

    def shout(sender, instance, **kwargs):
        instance.name = instance.name.upper()

    post_init.connect(shout, sender=Component)
    try:
        record = Component.objects.get(pk=component.pk)
    finally:
        post_init.disconnect(shout, sender=Component)
    assert record.name == "SENSOR"
    entries = AuditEntry.objects.filter(object_id=component.pk).count()
    with acting_as(user):
        record.save()  # nothing changed since it was made: nothing written
    assert AuditEntry.objects.filter(object_id=component.pk).count() == entries


# --- Related records shared while a list is read ---------------------------------


@pytest.fixture
def by_two_authors(user):
    bob = User.objects.create_user(username="bob", first_name="Bob")
    for n, author in enumerate((user, bob, user, user)):
        Component.objects.create(
            name=f"Part {n}", part_number=f"P-{n}", created_by=author, updated_by=user
        )
    return entity_queryset(Component).order_by("pk")


def test_a_lists_authors_are_made_once_each_and_shared(by_two_authors, user):
    with related_records_shared(by_two_authors):
        records = list(by_two_authors)
    authors = {id(r.created_by) for r in records} | {id(r.updated_by) for r in records}
    assert len(authors) == 2  # alice and bob, as prefetch_related() would share them
    assert [r.created_by.username for r in records] == ["alice", "bob", "alice", "alice"]
    assert records[0].created_by is records[0].updated_by is records[2].created_by
    assert len({id(r) for r in records}) == 4  # the list's own records: one a row
    assert [state(r.created_by) for r in records] == [
        state(r.created_by) for r in by_two_authors.all()
    ]


def test_outside_a_list_every_row_makes_its_own_record(by_two_authors):
    with related_records_shared(by_two_authors):
        list(by_two_authors.all())
    records = list(by_two_authors.all())  # after it, as before it
    assert records[0].created_by is not records[2].created_by
    assert records[0].created_by is not records[0].updated_by


def test_a_row_that_cannot_be_a_key_is_not_shared(component):
    with related_records_shared(AuditEntry.objects.all()):  # components are related here
        one, two = (Component.from_db("default", ["id", "name"], [1, ["a list"]]) for _ in "ab")
        three, four = (Component.from_db("default", ["id", "name"], [1, "Sensor"]) for _ in "ab")
    assert one is not two
    assert three is four


@pytest.fixture
def sharing_a_tag(by_two_authors):
    for n, record in enumerate(by_two_authors):
        record.tags.set([Tag.objects.get_or_create(name="shared")[0]])
        if n % 2:
            record.tags.add(Tag.objects.get_or_create(name=f"own {n}")[0])
    return by_two_authors


def test_the_records_a_prefetch_reads_are_made_one_per_row(sharing_a_tag):
    # Django links a prefetched tag to its record after making it: one tag
    # shared by four rows would be listed four times under the last record.
    listed = sharing_a_tag.prefetch_related("tags")
    with related_records_shared(listed):
        records = list(listed)
    assert [sorted(t.name for t in r.tags.all()) for r in records] == [
        ["shared"],
        ["own 1", "shared"],
        ["shared"],
        ["own 3", "shared"],
    ]
    assert records[0].created_by is records[2].created_by  # the authors still shared


def test_a_prefetch_through_no_field_shares_nothing(by_two_authors):
    listed = by_two_authors.prefetch_related(Prefetch("tags"), "created_by__groups")
    with related_records_shared(listed):
        records = list(listed)
    assert records[0].created_by is not records[2].created_by  # its users, one a row
    unnamed = by_two_authors.prefetch_related("auditentry_set")  # an accessor, no field
    with related_records_shared(unnamed):
        assert _shared_records.get() is None


def test_a_pages_tags_are_its_own_through_the_api(api, sharing_a_tag):
    response = api.get("/api/v1/components/components/", {"ordering": "created_at"})
    assert [sorted(r["tags"]) for r in response.json()["results"]] == [
        ["shared"],
        ["own 1", "shared"],
        ["shared"],
        ["own 3", "shared"],
    ]


def test_a_pages_authors_are_shared_through_the_api(api, by_two_authors):
    # The API's answer is the same; the authors behind it were made once each.
    made = []
    original = User._made_from_row.__func__

    def counting(cls, db, field_names, values):
        made.append(values[0])
        return original(cls, db, field_names, values)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(User, "_made_from_row", classmethod(counting))
        response = api.get("/api/v1/components/components/", {"ordering": "created_at"})
    assert response.status_code == 200
    assert [r["created_by"]["name"] for r in response.json()["results"]] == [
        "Alice Tester",
        "Bob",
        "Alice Tester",
        "Alice Tester",
    ]
    assert len(made) == len(set(made)) == 2  # alice and bob, once each
