"""What keeps start-up cheap with many tools (docs/scale.md) changes nothing
a process does once it has started."""

import gc
import os
import subprocess
import sys
from pathlib import Path

from rest_framework.viewsets import ViewSetMixin

from apps.core.api.registry import viewset_for
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


def test_an_app_server_builds_the_manifest_before_its_first_request():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import suite.wsgi; from apps.core.api import manifest; "
            "print(manifest._tool_json_heads.cache_info().currsize)",
        ],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "false", "DEV_MODE": "false", "SECRET_KEY": "x" * 60},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1"
