"""The source files of a tool or of one more entity, from the templates in
`templates/` and the parsed spec. Paths are relative to the project root."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Template

from django.utils.text import camel_case_to_spaces, slugify

from apps.core.models.search import SEARCHED_FIELDS
from apps.core.scaffold import ScaffoldError
from apps.core.scaffold.fields import FieldSpec, field_code
from apps.core.scaffold.pycode import (
    INDENT,
    Import,
    List,
    Tuple,
    assignment,
    py_str,
    split_imports,
    string_assignment,
)
from apps.core.scaffold.workflow import WorkflowSpec, workflow_code, workflow_imports

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class ToolSpec:
    slug: str
    display_name: str
    icon: str
    description: str

    @property
    def config_class(self) -> str:
        return "".join(part.capitalize() for part in self.slug.split("_")) + "Config"


@dataclass(frozen=True)
class EntitySpec:
    name: str
    prefix: str
    fields: tuple[FieldSpec, ...] = ()
    workflow: WorkflowSpec | None = None
    plural: str = ""  # the plural verbose name when Django's default ("<name>s") is wrong

    @property
    def verbose_name_plural(self) -> str:
        return self.plural or f"{camel_case_to_spaces(self.name)}s"

    @property
    def path(self) -> str:
        """Its URL segment, as `apps.core.api.registry.entity_path` derives it."""
        return slugify(self.verbose_name_plural)


@cache
def template(name: str) -> Template:
    return Template((TEMPLATES / name).read_text())


def tool_files(tool: ToolSpec, entity: EntitySpec) -> dict[str, str]:
    """Every file of a new tool with its first entity (the migration is
    made afterwards by makemigrations)."""
    package = f"apps/{tool.slug}"
    apps_py = template("apps.py.tpl").substitute(
        slug=tool.slug,
        config_class=tool.config_class,
        verbose_name=string_assignment("verbose_name", tool.display_name),
        icon=string_assignment("icon", tool.icon),
        description=string_assignment("description", tool.description),
    )
    return {
        f"{package}/__init__.py": "",
        f"{package}/apps.py": apps_py,
        f"{package}/migrations/__init__.py": "",
        **entity_files({}, tool.slug, entity),
    }


def entity_files(existing: dict[str, str], slug: str, entity: EntitySpec) -> dict[str, str]:
    """The tool's models module and test module with `entity` added;
    `existing` holds their current text by path (absent for a new tool)."""
    models_path, tests_path = f"apps/{slug}/models.py", f"tests/tools/test_{slug}.py"
    model_source, model_imports = entity_code(slug, entity)
    test_imports = {Import("apps.core.testing", "EntityAPITestCase")}
    if entity.name.startswith("Test"):
        # pytest would try to collect a model named Test… imported into a test module.
        test_imports.add(Import(f"apps.{slug}", "models"))
        model_reference = f"models.{entity.name}"
    else:
        test_imports.add(Import(f"apps.{slug}.models", entity.name))
        model_reference = entity.name
    test_source = template("test_entity.py.tpl").substitute(
        entity=entity.name, model=model_reference
    )
    return {
        models_path: extend_module(
            existing.get(models_path, ""), model_imports, model_source, entity.name
        ),
        tests_path: extend_module(
            existing.get(tests_path, ""), test_imports, test_source, f"Test{entity.name}API"
        ),
    }


def entity_code(slug: str, entity: EntitySpec) -> tuple[str, set[Import]]:
    """The entity's class as source, and the imports it needs."""
    imports = {Import("apps.core.models", "Entity")}
    blocks = [f"{INDENT}id_prefix = {py_str(entity.prefix)}"]
    searched = [spec.name for spec in entity.fields if spec.searched]
    if searched:
        names = (*SEARCHED_FIELDS, *searched)
        blocks[0] += "\n" + assignment("searched_fields", Tuple(tuple(map(py_str, names))))
    if entity.workflow:
        blocks.append(assignment("workflow", workflow_code(entity.workflow)))
        imports |= workflow_imports(entity.workflow)
    lines, constraints = [], []
    model_label = f"{slug}_{entity.name.lower()}"
    for spec in entity.fields:
        code = field_code(spec, model_label)
        lines.append(assignment(spec.name, code.value))
        imports |= code.imports
        constraints += code.constraints
    shadowing = sorted({spec.name for spec in entity.fields} & {i.bound_name for i in imports})
    if shadowing:
        raise ScaffoldError(
            f"--field {shadowing[0]}: the name {shadowing[0]!r} is one the models module imports "
            "for these fields, which the field would hide in the class; choose another name."
        )
    if lines:
        blocks.append("\n".join(lines))
    meta = []
    if entity.plural:
        meta.append(string_assignment("verbose_name_plural", entity.plural, INDENT * 2))
    if constraints:
        value = List(("*Entity.Meta.constraints", *constraints), explode=True)
        meta.append(assignment("constraints", value, INDENT * 2))
    if meta:
        blocks.append("\n".join([f"{INDENT}class Meta(Entity.Meta):", *meta]))
    source = template("entity.py.tpl").substitute(entity=entity.name, body="\n\n".join(blocks))
    return source, imports


def extend_module(source: str, imports: set[Import], block: str, defines: str) -> str:
    """`source` with `imports` merged into its import block and `block`, which
    defines the class `defines`, appended (an empty source gives a new module)."""
    try:
        before, import_block, rest = split_imports(source)
    except SyntaxError as exc:
        raise ScaffoldError(f"An existing module does not parse ({exc}); fix it first.") from None
    had_imports = bool(import_block.imports)
    import_block.add(*imports)
    if defines in {i.bound_name for i in import_block.imports}:
        raise ScaffoldError(f"{defines} is a name its module imports; choose another entity name.")
    rest = rest if had_imports else "\n\n" + rest.lstrip("\n")
    head = f"{before}{import_block.render()}\n{rest}".rstrip("\n")
    return f"{head}\n\n\n{block}"
