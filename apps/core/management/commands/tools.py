from django.core.management.base import BaseCommand
from django.db import DatabaseError

from apps.core.api.registry import entity_path
from apps.core.tools import installed_tools

HEADER = ("Tool", "Name", "Entity", "Prefix", "API path", "Rows")


class Command(BaseCommand):
    help = "List the installed tools: slug, name, entities, ID prefixes, API paths, row counts."

    def handle(self, *args, **options):
        tools = installed_tools()
        rows = [row for tool in tools for row in tool_rows(tool)]
        for line in table(HEADER, rows):
            self.stdout.write(line)
        entities = sum(len(tool.entity_models()) for tool in tools)
        self.stdout.write(
            f"\n{count(len(tools), 'tool')}, {count(entities, 'entity', 'entities')}."
        )


def tool_rows(tool) -> list[tuple]:
    """One row per entity; a tool without entities still gets its row."""
    name = str(tool.verbose_name)
    rows = [
        (
            tool.slug,
            name,
            model.__name__,
            model.id_prefix,
            f"/api/v1/{tool.slug}/{entity_path(model)}/",
            row_count(model),
        )
        for model in tool.entity_models()
    ]
    return rows or [(tool.slug, name, "-", "-", "-", "-")]


def row_count(model) -> str:
    """Every row, archived ones included; `?` when the table is not there yet."""
    try:
        return str(model._base_manager.count())
    except DatabaseError:
        return "? (not migrated)"


def table(header: tuple, rows: list[tuple]) -> list[str]:
    """Left-aligned columns, the last (a count) right-aligned."""
    widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header))]
    lines = []
    for row in (header, tuple("-" * w for w in widths), *rows):
        cells = [str(value).ljust(width) for value, width in zip(row, widths, strict=True)]
        cells[-1] = str(row[-1]).rjust(widths[-1])
        lines.append("  ".join(cells))
    return lines


def count(number: int, one: str, many: str = "") -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"
