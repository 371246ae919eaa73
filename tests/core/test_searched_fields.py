"""An entity's `searched_fields`: what `?search=` and the admin's search box
look in, and the manifest lists. Components search their part number and
supplier too; a field that cannot be searched is a system check error; a
change of the fields is a migration `makemigrations` writes and every
database runs."""

from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import migrations, models
from django.db.migrations.state import ModelState, ProjectState

from apps.components.models import Component
from apps.core.checks import searched_field_errors
from apps.core.context import acting_as
from apps.core.management.autodetector import MigrationAutodetector
from apps.core.models.search import TrigramIndex, search_text_expression

URL = "/api/v1/components/components/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def components(user):
    with acting_as(user):
        return [
            Component.objects.create(name="Hall sensor", part_number="SNS-2001", supplier="Acme"),
            Component.objects.create(name="Relay", part_number="RLY-17", supplier="Globex GmbH"),
        ]


def found(api, term) -> list[str]:
    response = api.get(URL, {"search": term})
    assert response.status_code == 200, response.json()
    return [row["public_id"] for row in response.json()["results"]]


def test_a_search_finds_a_component_by_its_part_number_or_supplier(api, components):
    sensor, relay = components
    assert found(api, "sns-2001") == [sensor.public_id]
    assert found(api, "globex") == [relay.public_id]
    assert found(api, "rly") == [relay.public_id]
    # A search with the list's prefix in it is read as before.
    assert found(api, sensor.public_id.lower()) == [sensor.public_id]


def test_a_searched_field_is_searched_within_itself(api, components):
    # The part number and the supplier are two fields: a term across both finds nothing.
    assert found(api, "RLY-17 Globex") == []


def test_an_edited_part_number_is_searched_at_once(api, components):
    sensor, _ = components
    response = api.patch(f"{URL}{sensor.pk}/", {"part_number": "HAL-9000"}, format="json")
    assert response.status_code == 200, response.json()
    assert found(api, "hal-9000") == [sensor.public_id]
    assert found(api, "SNS-2001") == []


def test_the_admins_search_looks_in_the_same_fields(admin_client, components):
    _, relay = components
    response = admin_client.get("/admin/components/component/", {"q": "globex"})
    assert [record.pk for record in response.context["cl"].result_list] == [relay.pk]
    assert response.context["cl"].search_fields == Component.searched_fields


def test_the_manifest_names_what_search_looks_in(api):
    tools = api.get("/api/v1/tools/").json()["tools"]
    entity = next(t for t in tools if t["slug"] == "components")["entities"][0]
    assert entity["searched_fields"] == [
        {"name": "public_id", "label": "Public id"},
        {"name": "name", "label": "Name"},
        {"name": "description", "label": "Description"},
        {"name": "part_number", "label": "Part number"},
        {"name": "supplier", "label": "Supplier"},
    ]


# --- The check --------------------------------------------------------------------------


def searching(*names):
    """Components as if they declared `searched_fields = names`."""
    return SimpleNamespace(searched_fields=names, _meta=Component._meta)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("maker", "Component has no field 'maker'"),
        ("created_by", "'created_by' is a link to other rows, not text"),
        ("tags", "'tags' is a link to other rows, not text"),
        ("unit_cost", "'unit_cost' is a DecimalField, not text"),
        ("search_text", "'search_text' is not a stored field of its own"),
    ],
)
def test_a_field_that_cannot_be_searched_is_a_check_error(name, reason):
    (error,) = searched_field_errors([searching("name", name)])
    assert error.id == "core.E004"
    assert error.msg == (
        f"components.Component.searched_fields names {name!r}, which cannot be searched: {reason}."
    )


@pytest.mark.parametrize("searched", [(), "part_number"])
def test_searched_fields_name_one_field_or_more(searched):
    model = SimpleNamespace(searched_fields=searched, _meta=Component._meta)
    (error,) = searched_field_errors([model])
    assert error.id == "core.E003"


def test_text_fields_of_every_kind_can_be_searched():
    assert searched_field_errors([searching("public_id", "datasheet_url", "status")]) == []


def test_the_installed_tools_pass_the_check_and_a_wrong_name_stops_manage_py(monkeypatch):
    call_command("check")
    monkeypatch.setattr(Component, "searched_fields", ("name", "part_nubmer"))
    with pytest.raises(SystemCheckError, match=r"core\.E004.*'part_nubmer'"):
        call_command("check")


# --- The migration ----------------------------------------------------------------------


def project_state(*searched) -> ProjectState:
    """A project holding one model whose search column reads `searched`."""
    state = ProjectState()
    state.add_model(
        ModelState(
            "gadgets",
            "gadget",
            [
                ("id", models.AutoField(primary_key=True)),
                ("name", models.CharField(max_length=50)),
                ("maker", models.CharField(max_length=50)),
                (
                    "search_text",
                    models.GeneratedField(
                        expression=search_text_expression(searched),
                        output_field=models.TextField(),
                        db_persist=True,
                    ),
                ),
            ],
            {"indexes": [TrigramIndex(field="search_text", name="gadgets_search_trg")]},
        )
    )
    return state


def test_another_searched_field_makes_the_column_again_with_its_index():
    changes = MigrationAutodetector(
        project_state("name"), project_state("name", "maker")
    )._detect_changes()
    operations = changes["gadgets"][0].operations
    assert [type(op) for op in operations] == [
        migrations.RemoveIndex,
        migrations.RemoveField,
        migrations.AddField,
        migrations.AddIndex,
    ]
    assert operations[0].name == operations[3].index.name == "gadgets_search_trg"
    assert operations[2].field.expression == search_text_expression(("name", "maker"))


def test_the_same_searched_fields_make_no_migration():
    assert (
        MigrationAutodetector(project_state("name"), project_state("name"))._detect_changes() == {}
    )
