from io import StringIO

import pytest
from django.core.management import call_command

from apps.components.models import Component
from apps.core import services
from apps.core.tools import entity_models, installed_tools


@pytest.mark.django_db
def test_tools_lists_each_entity_with_its_prefix_api_path_and_row_count():
    services.create_entity(Component, {"name": "Shunt resistor", "part_number": "R-1"})
    out = StringIO()
    call_command("tools", stdout=out)
    lines = out.getvalue().splitlines()
    rows = [line.split() for line in lines]
    assert rows[0] == ["Tool", "Name", "Entity", "Prefix", "API", "path", "Rows"]
    assert [
        "components",
        "Components",
        "Component",
        "CMP",
        "/api/v1/components/components/",
        "1",
    ] in rows
    assert ["testing", "Testing", "TestRun", "TST", "/api/v1/testing/test-runs/", "0"] in rows
    assert lines[-1] == f"{len(installed_tools())} tools, {len(entity_models())} entities."
