"""Tool discovery: a folder under apps/ is the whole installation.

Each test adds (or breaks) a tool in a throwaway copy of the project and
starts Django there in a subprocess, as a fresh server start would.
"""

import json
import shutil

import pytest

APPS_PY = """\
from apps.core.tools import ToolConfig


class ToolUnderTestConfig(ToolConfig):
    name = "apps.{slug}"
"""
MODELS_PY = """\
from apps.core.models import Entity


class Widget(Entity):
    id_prefix = "{prefix}"
"""

# Prints how a fresh process sees the tool `slug`: installed, its entity routed
# (every tool here has one entity, Widget), in the admin.
PROBE = """
import json, sys, django
django.setup()
from django.apps import apps
from django.contrib import admin
from django.urls import resolve
slug = sys.argv[1]
match = resolve(f"/api/v1/{slug}/widgets/")
installed = apps.is_installed(f"apps.{slug}")
models = list(apps.get_app_config(slug).get_models()) if installed else []
print(json.dumps({
    "installed": installed,
    "route": f"{match.namespace}:{match.url_name}",
    "admin": [m._meta.label for m in models if admin.site.is_registered(m)],
}))
"""


def add_tool(project, slug: str, prefix: str, apps_py: str = APPS_PY):
    project.write(f"apps/{slug}/__init__.py", "")
    project.write(f"apps/{slug}/apps.py", apps_py.format(slug=slug))
    project.write(f"apps/{slug}/models.py", MODELS_PY.format(prefix=prefix))
    return project.root / "apps" / slug


def probe(project, slug: str) -> dict:
    result = project.python("-c", PROBE, slug)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def remove_afterwards(project_copy):
    """Folders a test adds to the copy, removed after it."""
    folders = []
    yield folders.append
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_tool_folder_is_installed_routed_and_in_the_admin(project_copy, remove_afterwards):
    remove_afterwards(add_tool(project_copy, "widgets", "WID"))
    assert probe(project_copy, "widgets") == {
        "installed": True,
        "route": "widgets:widget-list",
        "admin": ["widgets.Widget"],
    }


def test_deleting_the_folder_removes_the_tool(project_copy, remove_afterwards):
    folder = add_tool(project_copy, "gizmos", "GIZ")
    remove_afterwards(folder)
    assert probe(project_copy, "gizmos")["installed"]
    shutil.rmtree(folder)
    seen = probe(project_copy, "gizmos")
    assert seen["installed"] is False
    assert not seen["route"].startswith("gizmos:")


def test_a_folder_whose_app_config_is_not_a_tool_config_is_not_a_tool(
    project_copy, remove_afterwards
):
    plain = APPS_PY.replace("ToolConfig", "AppConfig").replace("apps.core.tools", "django.apps")
    remove_afterwards(add_tool(project_copy, "plain", "PLN", apps_py=plain))
    remove_afterwards(project_copy.write("apps/helpers/__init__.py", "").parent)
    assert probe(project_copy, "plain")["installed"] is False
    assert probe(project_copy, "helpers")["installed"] is False


@pytest.mark.parametrize(
    ("broken_file", "message"),
    [
        ("apps.py", "Tool 'broken' could not be loaded (apps.broken.apps): broken on purpose"),
        ("models.py", "Tool 'broken' could not be loaded (apps.broken.models): broken on purpose"),
    ],
)
def test_a_tool_that_fails_to_import_stops_startup_naming_it(
    project_copy, remove_afterwards, broken_file, message
):
    folder = add_tool(project_copy, "broken", "BRK")
    remove_afterwards(folder)
    (folder / broken_file).write_text("raise RuntimeError('broken on purpose')\n")
    result = project_copy.manage("check")
    assert result.returncode != 0
    assert message in result.stderr


def test_a_copied_tool_folder_that_keeps_the_original_name_stops_startup(
    project_copy, remove_afterwards
):
    copied = APPS_PY.replace('"apps.{slug}"', '"apps.components"')
    remove_afterwards(add_tool(project_copy, "parts", "PRT", apps_py=copied))
    result = project_copy.manage("check")
    assert result.returncode != 0
    assert (
        "Tool 'parts' declares name = 'apps.components' in apps.parts.apps; "
        "it must be 'apps.parts'." in result.stderr
    )


def test_a_tool_folder_that_is_not_a_package_name_stops_startup(project_copy, remove_afterwards):
    remove_afterwards(add_tool(project_copy, "my-tool", "MYT"))
    result = project_copy.manage("check")
    assert result.returncode != 0
    assert "Tool folder 'my-tool' is not a Python package name" in result.stderr


def test_a_tool_folder_named_as_a_platform_path_stops_startup(project_copy, remove_afterwards):
    remove_afterwards(add_tool(project_copy, "webhooks", "WHK"))
    result = project_copy.manage("check")
    assert result.returncode != 0
    assert (
        "Tool folder 'webhooks' would be served at /api/v1/webhooks/, which is the platform's own"
        in result.stderr
    )
