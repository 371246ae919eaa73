"""The planned read of records (apps/core/api/read_plan.py) writes exactly
what DRF's own `Serializer.to_representation` writes, for every tool's
serializer and for field kinds the tools do not use yet."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework import serializers

from apps.components.models import Component
from apps.core.api.reads import entity_queryset
from apps.core.api.registry import serializer_for
from apps.core.api.serializers import EntitySerializer
from apps.core.context import acting_as
from apps.core.testing.samples import create_sample
from apps.core.tools import entity_models

pytestmark = pytest.mark.django_db


def drf_representation(serializer, instance) -> dict:
    """What DRF itself makes of the record, field by field."""
    return serializers.Serializer.to_representation(serializer, instance)


@pytest.mark.parametrize("model", entity_models(), ids=lambda m: m._meta.label)
def test_every_tool_reads_records_as_drf_does(model, user):
    with acting_as(user):
        first = create_sample(model, 1)
        second = create_sample(model, 2)
        first.set_tags(["beta", "Alpha"])
        first.save()
    serializer = serializer_for(model)(many=True).child
    for record in entity_queryset(model).filter(pk__in=[first.pk, second.pk]):
        assert serializer.to_representation(record) == drf_representation(serializer, record)
    assert serializer.to_representation(entity_queryset(model).get(pk=first.pk))["tags"] == [
        "Alpha",
        "beta",
    ]


class Shouting(serializers.CharField):
    def to_representation(self, value):
        return value.upper()


class Everything(EntitySerializer):
    """Field kinds the shortcuts must leave to DRF, or get exactly right."""

    shouted = Shouting(source="name", read_only=True)
    label = serializers.SerializerMethodField()
    cost_as_float = serializers.FloatField(source="unit_cost", read_only=True)
    created_local = serializers.DateTimeField(
        source="created_at", read_only=True, default_timezone=zoneinfo.ZoneInfo("Europe/Paris")
    )
    created_day = serializers.DateTimeField(source="created_at", read_only=True, format="%Y-%m-%d")
    quantity_text = serializers.CharField(source="quantity_on_hand", read_only=True)
    id_text = serializers.BigIntegerField(source="id", read_only=True, coerce_to_string=True)
    cost_number = serializers.DecimalField(
        source="unit_cost", max_digits=12, decimal_places=2, coerce_to_string=False, read_only=True
    )
    cost_normalized = serializers.DecimalField(
        source="unit_cost", max_digits=12, decimal_places=2, normalize_output=True, read_only=True
    )
    missing = serializers.CharField(source="no_such_attribute", read_only=True, required=False)

    class Meta:
        model = Component
        fields = (
            "id",
            "public_id",
            "name",
            "status",
            "tags",
            "created_at",
            "created_by",
            "unit_cost",
            "quantity_on_hand",
            "shouted",
            "label",
            "cost_as_float",
            "created_local",
            "created_day",
            "quantity_text",
            "id_text",
            "cost_number",
            "cost_normalized",
            "missing",
        )

    def get_label(self, obj):
        return f"{obj.public_id}: {obj.name}"


def test_fields_drf_must_represent_are_left_to_drf(user):
    with acting_as(user):
        create_sample(Component, 1, unit_cost=Decimal("12.5"), quantity_on_hand=7)
    record = entity_queryset(Component).get()
    serializer = Everything()
    planned = serializer.to_representation(record)
    assert planned == drf_representation(serializer, record)
    assert planned["shouted"] == record.name.upper()
    assert planned["quantity_text"] == "7"
    assert planned["id_text"] == str(record.pk)
    assert planned["cost_number"] == Decimal("12.50")
    assert planned["cost_normalized"] == "12.5"
    assert planned["unit_cost"] == "12.50"
    assert planned["created_at"].endswith("Z")
    assert planned["created_local"].endswith(("+01:00", "+02:00"))
    assert "missing" not in planned
    assert planned["created_by"] == {"id": user.pk, "name": "Alice Tester", "is_active": True}


def test_datetimes_follow_the_active_time_zone(user):
    with acting_as(user):
        create_sample(Component, 1)
    record = entity_queryset(Component).get()
    with timezone.override(zoneinfo.ZoneInfo("America/New_York")):
        serializer = Everything()
        planned = serializer.to_representation(record)
        assert planned == drf_representation(serializer, record)
    assert planned["created_at"].endswith(("-04:00", "-05:00"))


def test_values_of_unexpected_types_are_left_to_drf():
    record = Component(pk=1, public_id="CMP-0001", name="Part", part_number="P-1")
    record.quantity_on_hand = True  # a bool where an integer is expected
    record.created_at = datetime.datetime(2026, 1, 2, 3, 4, 5)  # naive
    record.unit_cost = Decimal("3.14159")  # more places than the field's
    serializer = Everything()
    planned = serializer.to_representation(record)
    assert planned == drf_representation(serializer, record)
    assert planned["quantity_on_hand"] == 1
    assert planned["unit_cost"] == "3.14"


def serialize(serializer_class, record, **context) -> tuple[dict, object]:
    serializer = serializer_class(record, context=context)
    return serializer.data, serializer


@pytest.mark.parametrize("model", entity_models(), ids=lambda m: m._meta.label)
def test_every_tool_reads_through_one_plan_without_building_fields(model, user):
    with acting_as(user):
        create_sample(model, 1)
    record = entity_queryset(model).get()
    serializer_class = serializer_for(model)

    first, first_serializer = serialize(serializer_class, record)
    second, second_serializer = serialize(serializer_class, record)

    assert first == second == drf_representation(serializer_class(), record)
    assert first_serializer.read_plan is second_serializer.read_plan
    assert "fields" not in second_serializer.__dict__


def test_the_shared_plan_follows_the_active_time_zone(user):
    with acting_as(user):
        create_sample(Component, 1)
    record = entity_queryset(Component).get()
    serializer_class = serializer_for(Component)

    in_utc, _ = serialize(serializer_class, record)
    with timezone.override(zoneinfo.ZoneInfo("America/New_York")):
        in_new_york, _ = serialize(serializer_class, record)

    assert in_utc["created_at"].endswith("Z")
    assert in_new_york["created_at"].endswith(("-04:00", "-05:00"))


class ForTheCaller(EntitySerializer):
    """Fields that depend on the request: each serializer reads for its own."""

    greeting = serializers.SerializerMethodField()

    class Meta:
        model = Component
        fields = ("id", "name", "part_number", "unit_cost", "greeting")

    def get_greeting(self, obj):
        return f"{obj.name} for {self.context['caller']}"


class ChoosingFields(EntitySerializer):
    class Meta:
        model = Component
        fields = ("id", "name", "part_number", "unit_cost")

    def get_fields(self):
        fields = super().get_fields()
        if not self.context.get("sees_cost"):
            fields.pop("unit_cost")
        return fields


class ChoosingFieldsOnConstruction(ChoosingFields):
    get_fields = EntitySerializer.get_fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.context.get("sees_cost"):
            self.fields.pop("unit_cost")


def test_fields_read_for_the_request_are_read_for_each_request(user):
    with acting_as(user):
        create_sample(Component, 1, name="Relay")
    record = entity_queryset(Component).get()

    for_ann, _ = serialize(ForTheCaller, record, caller="Ann")
    for_bob, _ = serialize(ForTheCaller, record, caller="Bob")

    assert (for_ann["greeting"], for_bob["greeting"]) == ("Relay for Ann", "Relay for Bob")


@pytest.mark.parametrize("serializer_class", [ChoosingFields, ChoosingFieldsOnConstruction])
def test_fields_chosen_for_the_request_are_chosen_for_each_request(user, serializer_class):
    with acting_as(user):
        create_sample(Component, 1, unit_cost=Decimal("3.5"))
    record = entity_queryset(Component).get()

    without_cost, _ = serialize(serializer_class, record)
    with_cost, _ = serialize(serializer_class, record, sees_cost=True)

    assert "unit_cost" not in without_cost
    assert with_cost["unit_cost"] == "3.50"


class HidingCostOnRequest(EntitySerializer):
    class Meta:
        model = Component
        fields = ("id", "name", "part_number", "unit_cost")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.context.get("hide_cost"):
            self.fields.pop("unit_cost")


def write(serializer_class, data, **context):
    serializer = serializer_class(data=data, context=context)
    serializer.is_valid(raise_exception=True)
    serializer.save()
    return serializer


def test_a_written_record_is_read_through_the_shared_plan(user):
    serializer_class = serializer_for(Component)
    with acting_as(user):
        written = write(serializer_class, {"name": "Relay", "part_number": "P-1"})
    read, reader = serialize(serializer_class, entity_queryset(Component).get())

    assert written.data == read
    assert written.read_plan is reader.read_plan


def test_fields_chosen_for_a_write_shape_its_response(user):
    with acting_as(user):
        hidden = write(HidingCostOnRequest, {"name": "Relay", "part_number": "P-1"}, hide_cost=True)
        shown = write(HidingCostOnRequest, {"name": "Relay", "part_number": "P-2"})

    assert "unit_cost" not in hidden.data
    assert "unit_cost" in shown.data


class MadeForARequest(EntitySerializer):
    class Meta:
        model = Component
        fields = ("id", "name", "unit_cost")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.caller = self.context["caller"]  # fails without a request's context


def test_a_serializer_that_needs_a_request_to_be_made_reads_for_each_request(user):
    with acting_as(user):
        create_sample(Component, 1, name="Relay", unit_cost=Decimal("3.5"))
    record = entity_queryset(Component).get()

    read, serializer = serialize(MadeForARequest, record, caller="Ann")

    assert read == {"id": record.pk, "name": "Relay", "unit_cost": "3.50"}
    assert serializer.caller == "Ann"
