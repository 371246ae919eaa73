"""`manage.py newtool`: one command makes a tool that installs, migrates,
lints and passes its own tests at once; refused input writes nothing.

The tool is generated once per module in a throwaway copy of the project
(see conftest.py); refused input is tried in-process against that copy,
which is faster and writes nothing either way.
"""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

FIELDS = [
    "part_number:str:64:unique:searched",
    "notes:text:optional:searched",
    "quantity:int:min=0:default=0",
    "unit_cost:decimal:10.2:min=0:max=5000",
    "fragile:bool:default=true",
    "tested:bool",
    "delivered_on:date:optional",
    "calibrated_at:datetime:default=now",
    "contact:email:optional",
    "datasheet:url:optional",
    "options:json:default={}",
    "size:choice:small|medium|large:default=medium",
    "component:fk:components.Component",
    "spares:m2m:components.Component:optional",
    "owner:user",
    "deputy:user:optional",
]
WORKFLOW = [
    *("--status", "DESIGN"),
    *("--status", "BUILT::green"),
    *("--status", "SCRAPPED:Scrapped:red:locked"),
    *("--transition", "DESIGN:BUILT"),
    *("--transition", "BUILT:SCRAPPED:admin"),
]
TOOL_FILES = {
    "apps/gadgets/__init__.py",
    "apps/gadgets/apps.py",
    "apps/gadgets/models.py",
    "apps/gadgets/migrations/__init__.py",
    "apps/gadgets/migrations/0001_initial.py",
    "tests/tools/test_gadgets.py",
}

# Prints what Django made of the generated model, as JSON.
DESCRIBE_MODEL = """
import json, django
django.setup()
from django.apps import apps
model = apps.get_model("gadgets.Gadget")
fields = {}
for name in %r:
    f = model._meta.get_field(name)
    fields[name] = {
        "class": type(f).__name__, "null": f.null, "blank": f.blank, "unique": f.unique,
        "max_length": f.max_length, "choices": [c[0] for c in f.choices or []],
        "target": f.related_model._meta.label if f.related_model else None,
        "default": None if not f.has_default() or callable(f.default) else str(f.default),
        "callable_default": getattr(f.default, "__name__", None) if callable(f.default) else None,
        "bounds": [str(v.limit_value) for v in f._validators],
        "on_delete": f.remote_field.on_delete.__name__ if f.many_to_one else None,
    }
workflow = model.workflow
print(json.dumps({
    "fields": fields,
    "statuses": [[s.value, s.label, s.color, s.locked] for s in workflow.statuses],
    "transitions": [[t.source, t.target, t.admin_only] for t in workflow.transitions],
    "initial": workflow.initial,
    "prefix": model.id_prefix,
    "searched_fields": list(model.searched_fields),
    "path": __import__("apps.core.api.registry", fromlist=["x"]).entity_path(model),
}))
"""


@pytest.fixture(scope="module")
def generated(project_copy):
    """The copy with the tool `gadgets` made by newtool, in a subprocess."""
    args = [arg for spec in FIELDS for arg in ("--field", spec)]
    result = project_copy.manage(
        "newtool", "gadgets", "--entity", "Gadget", "--icon", "wrench", *args, *WORKFLOW
    )
    assert result.returncode == 0, result.stdout + result.stderr
    project_copy.newtool_output = result.stdout
    return project_copy


@pytest.fixture(scope="module")
def extended(generated):
    """The same copy after `newtool gadgets --add-entity Battery`."""
    result = generated.manage(
        "newtool", "gadgets", "--add-entity", "Battery", "--plural", "batteries",
        "--field", "gadget:fk:gadgets.Gadget",
        "--field", "capacity:decimal:8.3:min=0.5",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    generated.add_entity_output = result.stdout
    return generated


@pytest.fixture(scope="module")
def described(generated) -> dict:
    result = generated.python("-c", DESCRIBE_MODEL % ([s.split(":")[0] for s in FIELDS],))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def in_copy(generated, settings):
    """Run newtool in this process with the copy as the project."""
    settings.BASE_DIR = generated.root
    return generated


def newtool(*args) -> str:
    out = StringIO()
    call_command("newtool", *args, stdout=out)
    return out.getvalue()


# --- A new tool ----------------------------------------------------------------------------


def test_newtool_writes_the_tool_and_says_what_is_next(generated):
    made = {str(p.relative_to(generated.root)) for p in generated.root.glob("*/gadgets/**/*.py")}
    made |= {str(p.relative_to(generated.root)) for p in generated.root.glob("tests/tools/*.py")}
    assert made >= TOOL_FILES
    assert not (generated.root / "apps" / "gadgets" / "api.py").exists()
    for path in TOOL_FILES:
        assert f"  {path}" in generated.newtool_output
    assert "/api/v1/gadgets/gadgets/" in generated.newtool_output
    assert "make run" in generated.newtool_output
    assert "make test" in generated.newtool_output


def test_the_app_config_carries_the_tool_contract(generated):
    source = (generated.root / "apps/gadgets/apps.py").read_text()
    assert "class GadgetsConfig(ToolConfig):" in source
    assert 'name = "apps.gadgets"' in source
    assert 'verbose_name = "Gadgets"' in source
    assert 'icon = "wrench"' in source


def test_every_field_type_becomes_the_model_field_it_names(described):
    fields = described["fields"]
    assert {name: f["class"] for name, f in fields.items()} == {
        "part_number": "CharField",
        "notes": "TextField",
        "quantity": "IntegerField",
        "unit_cost": "DecimalField",
        "fragile": "BooleanField",
        "tested": "BooleanField",
        "delivered_on": "DateField",
        "calibrated_at": "DateTimeField",
        "contact": "EmailField",
        "datasheet": "URLField",
        "options": "JSONField",
        "size": "CharField",
        "component": "ForeignKey",
        "spares": "ManyToManyField",
        "owner": "ForeignKey",
        "deputy": "ForeignKey",
    }
    assert fields["part_number"]["max_length"] == 64
    assert (fields["part_number"]["unique"], fields["part_number"]["blank"]) == (True, False)
    assert (fields["notes"]["blank"], fields["notes"]["null"]) == (True, False)
    assert (fields["delivered_on"]["blank"], fields["delivered_on"]["null"]) == (True, True)
    assert fields["quantity"]["default"] == "0"
    assert fields["quantity"]["bounds"] == ["0"]
    assert fields["unit_cost"]["bounds"] == ["0", "5000"]
    assert fields["fragile"]["default"] == "True"
    assert fields["tested"]["default"] == "False"
    assert fields["calibrated_at"]["callable_default"] == "now"
    assert fields["options"]["callable_default"] == "dict"
    assert fields["size"]["choices"] == ["small", "medium", "large"]
    assert fields["size"]["default"] == "medium"
    assert fields["component"]["target"] == "components.Component"
    assert not fields["component"]["null"]
    assert fields["spares"]["target"] == "components.Component"
    assert fields["spares"]["blank"]
    assert (fields["owner"]["target"], fields["owner"]["null"]) == ("core.User", False)
    assert (fields["deputy"]["target"], fields["deputy"]["null"]) == ("core.User", True)
    assert fields["owner"]["on_delete"] == fields["deputy"]["on_delete"] == "PROTECT"
    assert described["prefix"] == "GDG"
    assert described["path"] == "gadgets"


def test_searched_fields_are_searched_besides_the_id_name_and_description(generated, described):
    assert described["searched_fields"] == [
        "public_id",
        "name",
        "description",
        "part_number",
        "notes",
    ]
    source = (generated.root / "apps/gadgets/models.py").read_text()
    assert (
        '    searched_fields = ("public_id", "name", "description", "part_number", "notes")\n'
        in source
    )


def test_statuses_and_transitions_become_the_workflow(described):
    assert described["statuses"] == [
        ["DESIGN", "Design", "gray", False],
        ["BUILT", "Built", "green", False],
        ["SCRAPPED", "Scrapped", "red", True],
        ["ARCHIVED", "Archived", "red", False],
    ]
    assert described["transitions"] == [["DESIGN", "BUILT", False], ["BUILT", "SCRAPPED", True]]
    assert described["initial"] == "DESIGN"


def test_the_project_passes_its_system_checks_with_the_new_tool(generated):
    result = generated.manage("check")
    assert result.returncode == 0, result.stderr


def test_makemigrations_made_the_first_migration_and_left_nothing_to_make(generated):
    initial = (generated.root / "apps/gadgets/migrations/0001_initial.py").read_text()
    # The entity base's search column and its index come with the first migration.
    assert "('search_text', models.GeneratedField(" in initial
    assert "TrigramIndex(field='search_text'" in initial
    result = generated.manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_manifest_gives_the_web_apps_form_each_fields_default(generated):
    """A JSON field's `default=dict` is `{}` to the form; `now` has no one value."""
    script = (
        "import json, django; django.setup(); "
        "from apps.core.api.manifest import tool_manifests; "
        "[entity] = tool_manifests()['gadgets']['entities']; "
        "print(json.dumps({f['name']: f['default'] for f in entity['fields']}))"
    )
    result = generated.python("-c", script)
    assert result.returncode == 0, result.stderr
    defaults = json.loads(result.stdout)
    assert defaults["options"] == {}
    assert defaults["calibrated_at"] is None
    assert (defaults["quantity"], defaults["fragile"], defaults["size"]) == (0, True, "medium")


def test_the_tool_migrates_and_is_listed_with_no_further_step(generated):
    assert generated.manage("migrate", "--no-input").returncode == 0
    result = generated.manage("tools")
    assert result.returncode == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if line.startswith("gadgets"))
    assert row.split() == ["gadgets", "Gadgets", "Gadget", "GDG", "/api/v1/gadgets/gadgets/", "0"]


def test_the_generated_files_pass_ruff(generated):
    pytest.importorskip("ruff")
    paths = ["apps/gadgets", "tests/tools/test_gadgets.py"]
    lint = generated.python("-m", "ruff", "check", "--no-cache", *paths)
    assert lint.returncode == 0, lint.stdout
    formatting = generated.python("-m", "ruff", "format", "--check", "--no-cache", *paths)
    assert formatting.returncode == 0, formatting.stdout


def test_dry_run_prints_the_files_and_writes_nothing(in_copy):
    before = in_copy.snapshot()
    printed = newtool("widgets", "--entity", "Widget", "--field", "size:int", "--dry-run")
    assert "--- apps/widgets/models.py" in printed
    assert "    size = models.IntegerField()" in printed
    assert "class TestWidgetAPI(EntityAPITestCase):" in printed
    assert "nothing was written" in printed
    assert in_copy.snapshot() == before


def test_choice_labels_keep_abbreviations_and_take_given_labels(in_copy):
    spec = "currency:choice:EUR|USD=US dollar|GBP=Pound sterling|in_progress|Q1|pass"
    printed = newtool("money", "--entity", "Payment", "--field", spec, "--dry-run")
    assert (
        """
        choices=[
            ("EUR", "EUR"),
            ("USD", "US dollar"),
            ("GBP", "Pound sterling"),
            ("in_progress", "In progress"),
            ("Q1", "Q1"),
            ("pass", "Pass"),
        ],
"""
        in printed
    )


# --- One more entity ------------------------------------------------------------------------


def test_add_entity_appends_the_model_its_migration_and_its_test_class(extended):
    models = (extended.root / "apps/gadgets/models.py").read_text()
    assert "class Gadget(Entity):" in models
    assert "class Battery(Entity):" in models
    assert 'verbose_name_plural = "batteries"' in models
    tests = (extended.root / "tests/tools/test_gadgets.py").read_text()
    assert "from apps.gadgets.models import Battery, Gadget" in tests
    assert "class TestBatteryAPI(EntityAPITestCase):" in tests
    assert "class TestGadgetAPI(EntityAPITestCase):" in tests
    assert len(list((extended.root / "apps/gadgets/migrations").glob("0002_*.py"))) == 1
    assert "/api/v1/gadgets/batteries/" in extended.add_entity_output


def test_after_add_entity_checks_migrations_and_ruff_still_pass(extended):
    assert extended.manage("check").returncode == 0
    assert extended.manage("makemigrations", "--check", "--dry-run").returncode == 0
    pytest.importorskip("ruff")
    paths = ["apps/gadgets", "tests/tools/test_gadgets.py"]
    assert extended.python("-m", "ruff", "check", "--no-cache", *paths).returncode == 0
    assert extended.python("-m", "ruff", "format", "--check", "--no-cache", *paths).returncode == 0


@pytest.fixture(scope="module")
def requested(extended):
    """The same copy after `newtool gadgets --add-entity AccessRequest`: a name
    ending in "Request", as drf-spectacular's names of request bodies do."""
    result = extended.manage(
        "newtool", "gadgets", "--add-entity", "AccessRequest",
        "--field", "size:choice:small|large",
        "--status", "OPEN", "--status", "GRANTED", "--transition", "OPEN:GRANTED",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return extended


def test_the_schema_with_generated_entities_validates_without_warnings(requested, tmp_path):
    """Battery has Component's default workflow, Gadget its own statuses and
    a `size`, AccessRequest others and a name ending in "Request": each
    entity owns its enums, named after it, so their names never collide."""
    schema = tmp_path / "schema.yaml"
    args = ("spectacular", "--validate", "--fail-on-warn", "--file", str(schema))
    result = requested.manage(*args)
    assert result.returncode == 0, result.stderr
    text = schema.read_text()
    for name in ("Battery", "Component", "Gadget", "AccessRequest"):
        assert f"{name}StatusEnum:" in text
    assert "GadgetSizeEnum:" in text
    assert "AccessRequestSizeEnum:" in text


def test_the_generated_tools_own_tests_pass_at_once(extended):
    """The generic tool tests, run by pytest in the copy for both entities."""
    result = extended.python("-m", "pytest", "tests/tools/test_gadgets.py", "-q")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout


# --- Refused input writes nothing -------------------------------------------------------------

REFUSED = {
    "slug not an identifier": (["9lives", "--entity", "Cat"], "not a lowercase Python identifier"),
    "slug not lowercase": (["Inventory", "--entity", "Item"], "not a lowercase Python identifier"),
    "slug with a dash": (["my-tool", "--entity", "Item"], "not a lowercase Python identifier"),
    "slug a keyword": (["class", "--entity", "Item"], "not a lowercase Python identifier"),
    "slug reserved": (["tools", "--entity", "Item"], "reserved by the platform"),
    "slug core": (["core", "--entity", "Item"], "reserved by the platform"),
    "slug webhooks": (["webhooks", "--entity", "Item"], "reserved by the platform"),
    "slug an existing tool": (["components", "--entity", "Part"], "already exists"),
    "slug just generated": (["gadgets", "--entity", "Part"], "--add-entity"),
    "slug an installed app": (["sessions", "--entity", "Item"], "label of an installed app"),
    "slug a python module": (["json", "--entity", "Item"], "importable module"),
    "prefix in use": (["stock", "--entity", "Item", "--prefix", "CMP"], "already used by"),
    "derived prefix in use": (["parts", "--entity", "Component"], "CMP is already used"),
    "prefix lowercase": (["stock", "--entity", "Item", "--prefix", "Ab"], "2 to 5 capital"),
    "prefix too long": (["stock", "--entity", "Item", "--prefix", "ABCDEF"], "2 to 5 capital"),
    "entity not CapWords": (["stock", "--entity", "stockItem"], "not a CapWords"),
    "entity with underscore": (["stock", "--entity", "Stock_Item"], "not a CapWords"),
    "entity a keyword": (["stock", "--entity", "None"], "not a CapWords"),
    "entity shadows an import": (["stock", "--entity", "Entity"], "name its module imports"),
    "entity like a history model": (["stock", "--entity", "HistoricalItem"], "Historical"),
    "icon": (["stock", "--entity", "Item", "--icon", "Box Icon"], "not an icon name"),
}
REFUSED_FIELDS = {
    "unknown type": ("size:float", "unknown field type 'float'"),
    "unknown option": ("size:int:often", "unknown option 'often'"),
    "option of another type": ("size:text:unique", "does not apply to type text"),
    "searched number": ("size:int:searched", "option searched does not apply to type int"),
    "searched link": (
        "part:fk:components.Component:searched",
        "option searched does not apply to type fk",
    ),
    "option twice": ("size:int:min=1:min=2", "given twice"),
    "no type": ("size", "expected name:type"),
    "base field": ("status:str", "already a field or attribute of every entity"),
    "base field name": ("name:str", "already a field or attribute of every entity"),
    "base field public_id": ("public_id:str", "already a field or attribute of every entity"),
    "entity method": ("save:str", "already a field or attribute of every entity"),
    "keyword": ("class:str", "Python keyword"),
    "query parameter": ("ordering:str", "query parameter of every list endpoint"),
    "query parameter search": ("search:text", "query parameter of every list endpoint"),
    "query parameter limit": ("limit:int", "query parameter of every list endpoint"),
    "history name": ("history_note:text", "history_"),
    "double underscore": ("a__b:int", "contains __"),
    "uppercase name": ("Size:int", "lowercase letters"),
    "bad length": ("code:str:0", "positive whole number"),
    "bad digits": ("cost:decimal:2.5", "places <= digits"),
    "choice without values": ("size:choice", "needs its values"),
    "choice repeated values": ("size:choice:a|a", "distinct words"),
    "choice repeated with labels": ("size:choice:a=A|a=B", "distinct words"),
    "choice label empty": ("currency:choice:EUR=|USD", "no label after ="),
    "fk without target": ("part:fk", "needs the entity it links to"),
    "fk to nothing": ("part:fk:components.Nope", "there is no model components.Nope"),
    "fk to no tool": ("part:fk:nowhere.Part", "there is no model nowhere.Part"),
    "fk to a non-entity": ("owner:fk:core.User", "to link to a person: --field owner:user"),
    "user with a target": ("owner:user:core.User", "unknown option 'core.User'"),
    "user unique": ("owner:user:unique", "does not apply to type user"),
    "user default": ("owner:user:default=1", "does not apply to type user"),
    "m2m to nothing": ("parts:m2m:components.Nope", "there is no model"),
    "min above max": ("size:int:min=5:max=1", "greater than max"),
    "bound not a number": ("size:int:min=zero", "not a number"),
    "default not an int": ("size:int:default=big", "default=big"),
    "default below min": ("size:int:min=0:default=-1", "greater than or equal to 0"),
    "default not a choice": ("size:choice:s|m:default=xl", "default=xl"),
    "default too long": ("code:str:2:default=abc", "at most 2 characters"),
    "default not an email": ("mail:email:default=nobody", "default=nobody"),
    "datetime default": ("at:datetime:default=2026-01-01T10:00", "only be now"),
    "json object default": ('meta:json:default={"a": 1}', "never a shared object"),
    "bool optional": ("done:bool:optional", "does not apply to type bool"),
    "unique optional text": ("code:str:unique:optional", "cannot be optional"),
}
REFUSED_FIELD_PAIRS = {
    "same name twice": (["size:int", "size:str"], "both use the name 'size'"),
    "fk and its _id": (["part:fk:components.Component", "part_id:int"], "part_id"),
    "user and its _id": (["owner:user", "owner_id:int"], "owner_id"),
    "name the module imports": (["settings:json", "owner:user"], "one the models module imports"),
}
REFUSED_WORKFLOWS = {
    "transition without statuses": (["--transition", "A:B"], "need the statuses"),
    "lowercase status": (["--status", "open"], "in capitals"),
    "unknown colour": (["--status", "OPEN:Open:magenta"], "unknown colour 'magenta'"),
    "status lock misspelt": (["--status", "OPEN:Open:blue:lock"], "[:locked]"),
    "status twice": (["--status", "OPEN", "--status", "OPEN"], "declared twice"),
    "undeclared transition": (
        ["--status", "OPEN", "--transition", "OPEN:DONE"],
        "undeclared status(es): ['DONE']",
    ),
    "bad transition": (["--status", "OPEN", "--transition", "OPEN"], "SOURCE:TARGET"),
    "unknown initial": (["--status", "OPEN", "--initial", "DONE"], "initial and restore_to"),
}
REFUSED_ADDITIONS = {
    "no such tool": (["nosuch", "--add-entity", "Item"], "no installed tool 'nosuch'"),
    "model exists": (["components", "--add-entity", "Component"], "already has a model"),
    "tool options": (["components", "--add-entity", "Part", "--icon", "cpu"], "new tool"),
    "bad field": (["components", "--add-entity", "Part", "--field", "x:float"], "unknown field"),
    "same path": (
        ["components", "--add-entity", "Parts", "--prefix", "PRT", "--plural", "components"],
        "already serves an entity at /api/v1/components/components/",
    ),
}


def new_item(*args: str) -> list[str]:
    """`newtool stock --entity Item` with more arguments."""
    return ["stock", "--entity", "Item", *args]


def with_fields(*specs: str) -> list[str]:
    return new_item(*(arg for spec in specs for arg in ("--field", spec)))


ALL_REFUSED = {
    **REFUSED,
    **{label: (with_fields(spec), message) for label, (spec, message) in REFUSED_FIELDS.items()},
    **{label: (with_fields(*s), message) for label, (s, message) in REFUSED_FIELD_PAIRS.items()},
    **{label: (new_item(*args), message) for label, (args, message) in REFUSED_WORKFLOWS.items()},
    **REFUSED_ADDITIONS,
}


@pytest.mark.parametrize(("args", "message"), list(ALL_REFUSED.values()), ids=list(ALL_REFUSED))
def test_refused_input_says_why_and_writes_nothing(in_copy, args, message):
    before = in_copy.snapshot()
    with pytest.raises(CommandError) as refused:
        newtool(*args)
    assert message in str(refused.value)
    assert in_copy.snapshot() == before


def test_a_failing_makemigrations_removes_everything_written(in_copy):
    """The last line of defence: whatever Django refuses is rolled back."""
    broken = in_copy.write("apps/broken/apps.py", "raise RuntimeError('broken on purpose')\n")
    before = in_copy.snapshot()
    try:
        with pytest.raises(CommandError) as refused:
            newtool("widgets", "--entity", "Widget", "--field", "size:int")
        assert "makemigrations failed" in str(refused.value)
        assert "Tool 'broken' could not be loaded" in str(refused.value)
        assert in_copy.snapshot() == before
    finally:
        broken.unlink()
        broken.parent.rmdir()


def test_the_command_runs_from_the_command_line_help(project_copy):
    result = project_copy.manage("newtool", "--help")
    assert result.returncode == 0
    for documented in ("choice:a|b|c", "fk:tool.Entity", "default=X", "--transition", "min=X"):
        assert documented in result.stdout
