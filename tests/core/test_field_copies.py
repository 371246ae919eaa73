"""Each serializer gets its own copy of its class's fields (field_copies):
what one serializer changes on its fields never reaches another, and a copy
is the field DRF's own deep copy would give."""

import copy

import pytest
from django.core.validators import MaxLengthValidator
from rest_framework import serializers

from apps.components.models import Component
from apps.core.api import registry
from apps.core.api.field_copies import copy_field

ComponentSerializer = registry.serializer_for(Component)


def prototypes(serializer_class) -> dict:
    assert serializer_class().fields  # builds the class's prototypes once
    return serializer_class._field_prototypes


def is_shallow(clone, field) -> bool:
    # DRF's deep copy builds the field again: its arguments are a new dict.
    return clone._kwargs is field._kwargs


def described(validator) -> tuple:
    """A validator as it judges a value (DRF gives a copy's length validators
    messages made anew, which compare unequal however alike)."""
    regex = getattr(validator, "regex", None)
    return (
        type(validator),
        getattr(validator, "limit_value", None),
        str(getattr(validator, "message", "")),
        getattr(validator, "code", None),
        getattr(regex, "pattern", None),
        getattr(validator, "queryset", None) is not None,
    )


class Reworded(ComponentSerializer):
    """Changes its fields in place in __init__, as DRF's docs allow."""

    def __init__(self, *args, reword=False, **kwargs):
        super().__init__(*args, **kwargs)
        if reword:
            self.fields["part_number"].validators.append(MaxLengthValidator(8))
            self.fields["name"].error_messages["blank"] = "Name the component."
            self.fields["description"].style["rows"] = 12
            self.fields["status"].choices = [("ACTIVE", "Active")]
            self.fields["supplier"].required = True


def test_what_one_serializer_changes_on_its_fields_reaches_no_other():
    plain = Reworded().fields
    reworded = Reworded(reword=True).fields
    after = Reworded().fields

    assert len(reworded["part_number"].validators) == len(plain["part_number"].validators) + 1
    assert reworded["name"].error_messages["blank"] == "Name the component."
    assert reworded["description"].style["rows"] == 12
    assert list(reworded["status"].choices) == ["ACTIVE"]
    assert reworded["supplier"].required is True
    for fields in (plain, after):
        assert len(fields["part_number"].validators) == len(plain["part_number"].validators)
        assert fields["name"].error_messages["blank"] != "Name the component."
        assert "rows" not in fields["description"].style
        assert list(fields["status"].choices) == list(plain["status"].choices)
        assert fields["supplier"].required is False


def test_a_change_to_a_copy_leaves_the_prototype_as_it_was():
    field = serializers.CharField(max_length=5, style={"rows": 2})
    clone = copy_field(field)
    clone.validators.append(MaxLengthValidator(1))
    clone.error_messages["blank"] = "changed"
    clone.style["rows"] = 9
    assert is_shallow(clone, field)
    assert len(field.validators) == len(clone.validators) - 1
    assert field.error_messages["blank"] != "changed"
    assert field.style == {"rows": 2}


def test_a_plain_copy_is_the_field_drfs_deep_copy_gives():
    for name, field in prototypes(ComponentSerializer).items():
        clone, drf = copy_field(field), copy.deepcopy(field)
        assert type(clone) is type(drf), name
        assert vars(clone).keys() == vars(drf).keys(), name
        assert [described(v) for v in clone.validators] == [described(v) for v in drf.validators], (
            name
        )
        for attribute, value in vars(drf).items():
            if attribute in ("child", "_kwargs", "_creation_counter", "_validators"):
                continue
            assert getattr(clone, attribute) == value, (name, attribute)


def test_the_plain_fields_of_a_component_are_copied_shallowly():
    shallow = {
        name
        for name, field in prototypes(ComponentSerializer).items()
        if is_shallow(copy_field(field), field)
    }
    assert {"name", "description", "status", "part_number", "unit_cost"} <= shallow
    # The authors are serializers, the tags a ListField holding a field.
    assert not {"created_by", "updated_by", "tags"} & shallow


@pytest.mark.parametrize(
    "field",
    [
        serializers.ListField(child=serializers.CharField()),
        serializers.JSONField(default=dict),
        serializers.CharField(default="draft"),
        serializers.CharField(initial="draft"),
        serializers.DateTimeField(input_formats=["iso-8601"]),
        type("ToolField", (serializers.CharField,), {})(),
        ComponentSerializer(),
    ],
    ids=["list", "default", "str-default", "initial", "input-formats", "subclass", "serializer"],
)
def test_other_fields_are_deep_copied_as_drf_copies_them(field):
    assert not is_shallow(copy_field(field), field)
