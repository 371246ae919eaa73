"""The names of the entities' enums in the OpenAPI schema.

drf-spectacular names an enum after its field (`StatusEnum`) and, where
fields of that name have several choice sets, after the component that holds
it, read from the component's name with `Request` cut off the end
(`COMPONENT_SPLIT_REQUEST`). An entity whose own name ends in "Request"
(`PurchaseRequest`) then looks like two components, `Purchase` and
`PurchaseRequest`, and its enums got hash-suffixed names with a warning
(`StatusD35Enum`). So every choice field of every entity's serializer is named
here, explicitly, `<Entity><Field>Enum` (`PurchaseRequestStatusEnum`), and
drf-spectacular guesses none of them.
"""

from collections.abc import Mapping
from functools import cached_property

from inflection import camelize


def enum_owner(model, field_name: str) -> list[tuple[str, str]]:
    """The choice set of an entity's field, identified by its owner, in the form
    ENUM_NAME_OVERRIDES takes choices: `EntityAutoSchema` files the field's enum
    under its hash, so the override below names it whatever its values."""
    return [(model._meta.label, field_name)]


def entity_enum_names() -> dict[str, list[tuple[str, str]]]:
    from rest_framework.serializers import ChoiceField

    from apps.core.api.registry import serializer_for
    from apps.core.tools import entity_models

    names = {}
    for model in entity_models():
        for name, field in serializer_for(model)().fields.items():
            if isinstance(getattr(field, "child", field), ChoiceField):
                names[f"{model.__name__}{camelize(name)}Enum"] = enum_owner(model, name)
    return names


class EnumNameOverrides(Mapping):
    """drf-spectacular's ENUM_NAME_OVERRIDES: the names given, and every
    entity's (`entity_enum_names`), read from the installed tools when the
    schema is first made (settings are read before any tool is loaded)."""

    def __init__(self, given: dict):
        self.given = given

    @cached_property
    def names(self) -> dict:
        return {**self.given, **entity_enum_names()}

    def __getitem__(self, name):
        return self.names[name]

    def __iter__(self):
        return iter(self.names)

    def __len__(self):
        return len(self.names)
