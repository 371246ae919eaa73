"""Which serializer, filterset and viewset serve each entity.

The platform derives all three from the model. A tool overrides any of them
by defining a subclass of `EntitySerializer` (with `Meta.model`),
`EntityFilterSet` (with `Meta.model`) or `EntityViewSet` (with `model`) in
its `api.py`; the derived piece is used for everything it does not define.
"""

import importlib
from functools import cache

from django.utils.text import slugify

from apps.core.tools import tool_for_model


@cache
def _tool_api_classes(app_name: str) -> tuple[type, ...]:
    module_name = f"{app_name}.api"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        return ()
    return tuple(obj for obj in vars(module).values() if isinstance(obj, type))


def _override(model, base: type, model_of) -> type | None:
    for cls in _tool_api_classes(tool_for_model(model).name):
        if issubclass(cls, base) and cls is not base and model_of(cls) is model:
            return cls
    return None


@cache
def serializer_for(model):
    from apps.core.api.serializers import (
        BASE_FIELDS,
        READ_ONLY_FIELDS,
        EntitySerializer,
        tool_field_names,
    )

    found = _override(model, EntitySerializer, lambda cls: getattr(cls.Meta, "model", None))
    if found:
        return found
    meta = type(
        "Meta",
        (),
        {
            "model": model,
            "fields": (*BASE_FIELDS, *tool_field_names(model)),
            "read_only_fields": READ_ONLY_FIELDS,
        },
    )
    # `__module__` names this module: left to the metaclass, it would name
    # rest_framework.serializers, whose 1,800 lines the schema command parses
    # to look for the class (40 ms per entity).
    attrs = {"Meta": meta, "__module__": __name__}
    return type(f"{model.__name__}Serializer", (EntitySerializer,), attrs)


@cache
def shown_fields(model) -> frozenset[str]:
    """The names of the fields the API shows of a record: its serializer's
    readable fields (a tool's override may list fewer than the model has).
    The one source for what may be filtered and sorted by, what the
    manifest lists, what an export writes, and which changes a record's
    history and the activity feed show with their values (`audit.concealed`)."""
    fields = serializer_for(model)().fields
    return frozenset(name for name, field in fields.items() if not field.write_only)


@cache
def filterset_for(model):
    from apps.core.api.filters import EntityFilterSet, build_filterset

    found = _override(model, EntityFilterSet, lambda cls: getattr(cls._meta, "model", None))
    return build_filterset(model, base=found) if found else build_filterset(model)


@cache
def viewset_for(model):
    from apps.core.api.viewsets import EntityViewSet

    found = _override(model, EntityViewSet, lambda cls: getattr(cls, "model", None))
    return found or type(f"{model.__name__}ViewSet", (EntityViewSet,), {"model": model})


def entity_path(model) -> str:
    """The URL segment of an entity: its plural verbose name, slugified."""
    return slugify(str(model._meta.verbose_name_plural))
