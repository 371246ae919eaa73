"""Records read from the database (`LoadedFromRowsModel.from_db`) are the
records Django's `Model.__init__` would make, and Django's path still runs
wherever the shortcut could differ from it."""

import pytest
from django.db import connection, models
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init
from django.test.utils import CaptureQueriesContext, isolate_apps

from apps.components.models import Component
from apps.core import audit
from apps.core.api.viewsets import entity_queryset
from apps.core.context import acting_as
from apps.core.models import AuditEntry, User
from apps.core.models.base import LoadedFromRowsModel

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
