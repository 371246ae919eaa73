"""What keeps start-up cheap with many tools (docs/scale.md) changes nothing
a process does once it has started."""

import gc
import os
import subprocess
import sys
from pathlib import Path

from rest_framework.viewsets import ViewSetMixin

from apps.core.api.registry import viewset_for
from apps.core.models.indexes import ModelNamedIndex
from apps.core.tools import entity_models

ROOT = Path(__file__).resolve().parents[2]


def test_garbage_is_collected_after_start_up_with_the_start_up_objects_frozen():
    assert gc.isenabled()
    assert gc.get_freeze_count() > 10_000


def test_entity_viewsets_find_the_same_actions_as_drf():
    for model in entity_models():
        viewset = viewset_for(model)
        assert viewset.get_extra_actions() == ViewSetMixin.get_extra_actions.__func__(viewset)
        assert "restore" in [action.__name__ for action in viewset.get_extra_actions()]


def test_each_entity_has_its_own_copies_of_the_base_indexes_named_from_its_table():
    indexes = [index for model in entity_models() for index in model._meta.indexes]
    assert len({id(index) for index in indexes}) == len(indexes)
    assert len({index.name for index in indexes}) == len(indexes)
    for model in entity_models():
        named = [i for i in model._meta.indexes if isinstance(i, ModelNamedIndex)]
        assert {i.field_name for i in named} == {"category", "search_text"}
        for index in named:
            assert index.name.startswith(model._meta.db_table[:11])
            assert index.deconstruct()[2] == {"field": index.field_name, "name": index.name}


def in_an_app_server(code: str) -> str:
    """What `code` prints in a process that has imported suite.wsgi, as
    gunicorn's workers do."""
    result = subprocess.run(
        [sys.executable, "-c", f"import suite.wsgi\n{code}"],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "false", "DEV_MODE": "false", "SECRET_KEY": "x" * 60},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_an_app_server_builds_the_manifest_before_its_first_request():
    code = """
from apps.core.api import manifest
print(manifest._tool_json_heads.cache_info().currsize)
"""
    assert in_an_app_server(code) == "1"


def test_an_app_server_collects_garbage_as_a_request_starts():
    code = """
import gc
from django.core.signals import request_started
from tests.core.test_garbage import garbage_cycles

gc.collect()
cycle = garbage_cycles(1000)
print(cycle() is not None, end=" ")
request_started.send(sender=None)
print(cycle() is None)
"""
    assert in_an_app_server(code) == "True True"
