"""Python source as ruff would format it, for the few shapes the generator
writes: assignments of calls, lists and strings, and import blocks.

Generated files must pass `ruff check` and `ruff format --check` unchanged,
so each construct is laid out the way ruff lays it out: on one line when it
fits, else its arguments on one indented line, else one per line with a
trailing comma (a list that does not fit is always one item per line).
"""

import ast
import json
import sys
import textwrap
from dataclasses import dataclass, field
from typing import ClassVar

LINE_LENGTH = 100
INDENT = "    "


def py_str(value: str) -> str:
    """A double-quoted Python string literal."""
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class Call:
    """`callee(args…)`; each arg is source text, a `Call` or a `List`
    (keyword arguments are written `name=` in front of the value)."""

    callee: str
    args: tuple = ()
    keyword: str = ""


@dataclass(frozen=True)
class List:
    """`[items…]`; `explode` keeps it one item per line even when it fits."""

    items: tuple
    keyword: str = ""
    explode: bool = False
    brackets: ClassVar[str] = "[]"


class Tuple(List):
    """`(items…)`, of two items or more, laid out as a list is."""

    brackets = "()"


def kwarg(name: str, value):
    """`name=value` for any argument value."""
    if isinstance(value, Call):
        return Call(value.callee, value.args, keyword=name)
    if isinstance(value, List):
        return type(value)(value.items, keyword=name, explode=value.explode)
    return f"{name}={value}"


def _flat(node) -> str:
    if isinstance(node, str):
        return node
    prefix = f"{node.keyword}=" if node.keyword else ""
    if isinstance(node, Call):
        return f"{prefix}{node.callee}({', '.join(_flat(a) for a in node.args)})"
    opening, closing = node.brackets
    return f"{prefix}{opening}{', '.join(_flat(i) for i in node.items)}{closing}"


def _must_explode(node) -> bool:
    if isinstance(node, str):
        return False
    children = node.args if isinstance(node, Call) else node.items
    return getattr(node, "explode", False) or any(_must_explode(c) for c in children)


def layout(node, indent: str = "", head: str = "", tail: str = "") -> list[str]:
    """The lines of `head + node + tail` at `indent`."""
    flat = f"{indent}{head}{_flat(node)}{tail}"
    if isinstance(node, str) or (len(flat) <= LINE_LENGTH and not _must_explode(node)):
        return [flat]
    prefix = f"{node.keyword}=" if node.keyword else ""
    if isinstance(node, Call):
        opening, children, closing = f"{prefix}{node.callee}(", node.args, ")"
        body = INDENT + indent + ", ".join(_flat(c) for c in children)
        if len(body) <= LINE_LENGTH and not _must_explode(node):
            return [f"{indent}{head}{opening}", body, f"{indent}{closing}{tail}"]
    else:
        opening, children, closing = f"{prefix}{node.brackets[0]}", node.items, node.brackets[1]
    lines = [f"{indent}{head}{opening}"]
    for child in children:
        lines += layout(child, indent + INDENT, tail=",")
    return [*lines, f"{indent}{closing}{tail}"]


def assignment(name: str, value, indent: str = INDENT) -> str:
    """`name = value` as source lines (no trailing newline)."""
    return "\n".join(layout(value, indent, head=f"{name} = "))


def string_assignment(name: str, value: str, indent: str = INDENT) -> str:
    """`name = "…"`, wrapped into implicitly joined parts when too long."""
    line = f"{indent}{name} = {py_str(value)}"
    if len(line) <= LINE_LENGTH:
        return line
    width = LINE_LENGTH - len(indent + INDENT) - 2
    parts = textwrap.wrap(value, width=width, drop_whitespace=False, break_long_words=False)
    body = [f"{indent}{INDENT}{py_str(part)}" for part in parts]
    return "\n".join([f"{indent}{name} = (", *body, f"{indent})"])


# --- Import blocks ---------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Import:
    """`import module` (name empty) or `from module import name [as alias]`."""

    module: str
    name: str = ""
    alias: str = ""

    @property
    def bound_name(self) -> str:
        return self.alias or self.name or self.module.split(".")[0]


@dataclass
class ImportBlock:
    """The imports at the top of a module, kept as a set and written sorted
    in ruff's isort order (standard library, third party, first party,
    relative)."""

    imports: set = field(default_factory=set)
    first_party: str = "apps"

    def add(self, *imports: Import):
        self.imports.update(imports)

    def _section(self, item: Import) -> int:
        root = item.module.split(".")[0]
        if item.module.startswith("."):
            return 3
        if root in sys.stdlib_module_names or root == "__future__":
            return 0
        return 2 if root == self.first_party else 1

    def render(self) -> str:
        sections = [[i for i in self.imports if self._section(i) == n] for n in range(4)]
        return "\n\n".join("\n".join(_section_lines(s)) for s in sections if s)


def _section_lines(members: list[Import]) -> list[str]:
    """Plain imports first, then one `from` line per module; ruff keeps each
    `name as alias` on a line of its own."""
    lines = [
        f"import {i.module}" + (f" as {i.alias}" if i.alias else "")
        for i in sorted(i for i in members if not i.name)
    ]
    for module in sorted({i.module for i in members if i.name}):
        names = sorted((i for i in members if i.module == module and i.name), key=_member_key)
        plain = [i.name for i in names if not i.alias]
        if plain:
            lines.append(_from_import(module, plain))
        lines += [_from_import(module, [f"{i.name} as {i.alias}"]) for i in names if i.alias]
    return lines


def _from_import(module: str, names: list[str]) -> str:
    line = f"from {module} import {', '.join(names)}"
    if len(line) <= LINE_LENGTH:
        return line
    return "\n".join([f"from {module} import (", *(f"{INDENT}{n}," for n in names), ")"])


def _member_key(item: Import):
    """isort's order-by-type: CONSTANTS, then Classes, then functions/modules."""
    name = item.name
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return (kind, name.lower(), name)


def split_imports(source: str) -> tuple[str, ImportBlock, str]:
    """Split a module into (docstring and comments before the imports, its
    leading import block, the rest). Raises SyntaxError for invalid source."""
    tree = ast.parse(source)
    body = list(tree.body)
    start = 0
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        start = 1
    block = ImportBlock()
    end = start
    while end < len(body) and isinstance(body[end], (ast.Import, ast.ImportFrom)):
        node = body[end]
        if isinstance(node, ast.Import):
            block.add(*(Import(a.name, alias=a.asname or "") for a in node.names))
        else:
            module = "." * node.level + (node.module or "")
            block.add(*(Import(module, a.name, a.asname or "") for a in node.names))
        end += 1
    lines = source.splitlines(keepends=True)
    if end == start:
        cut = body[start].lineno - 1 if start < len(body) else len(lines)
        return "".join(lines[:cut]), block, "".join(lines[cut:])
    first, last = body[start], body[end - 1]
    return "".join(lines[: first.lineno - 1]), block, "".join(lines[last.end_lineno :])
