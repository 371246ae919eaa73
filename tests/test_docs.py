"""The documentation's own references: every relative link in the README and
`docs/` names a file that exists and, after `#`, a heading of that file, as
GitHub makes its anchors; and every file of the project a document names in
code type (`apps/core/audit.py`) exists. The guides point into one another
by section (performance.md into its journal, api.md into performance.md) and
into the code by path, so a heading renamed, a section moved or a module
renamed fails here instead of leaving a dead reference."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# `apps/core/audit.py`, `tests/core/`: a path into the project's own folders
# (not `var/`, which holds what the project writes as it runs).
PROJECT_FOLDERS = "apps|bench|docs|frontend|requirements|scripts|suite|tests"
# The README, the guides, and any other document in the project's folders
# (the seed stack's, the front end's), but none an installed package brought.
DOCUMENTS = [
    ROOT / "README.md",
    *sorted(
        path
        for folder in PROJECT_FOLDERS.split("|")
        for path in (ROOT / folder).rglob("*.md")
        if "node_modules" not in path.parts
    ),
]

# [text](target): the target up to the first space or closing parenthesis.
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
HEADING = re.compile(r"^#{1,6} +(.+?) *#*$", re.MULTILINE)
PROJECT_PATH = re.compile(rf"`((?:{PROJECT_FOLDERS})/[\w./-]*)`")


def anchors(text: str) -> set[str]:
    """The anchors GitHub gives a document's headings: lower case, spaces to
    hyphens, everything but letters, digits, `_` and `-` dropped, and a
    repeated anchor numbered `-1`, `-2`, … in order."""
    seen: dict[str, int] = {}
    found = set()
    for heading in HEADING.findall(FENCE.sub("", text)):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def relative_links(document: Path) -> list[str]:
    text = FENCE.sub("", document.read_text())
    return [
        target
        for target in LINK.findall(text)
        if not re.match(r"[a-z][a-z0-9+.-]*:", target)  # http:, https:, mailto:
    ]


def test_anchors_follow_githubs_rules():
    text = "# Lists at a million rows\n## Search at 0.3 %: the levers\n## Figures\n## Figures\n"
    assert anchors(text) == {
        "lists-at-a-million-rows",
        "search-at-03--the-levers",
        "figures",
        "figures-1",
    }


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_relative_link_resolves(document):
    broken = []
    for target in relative_links(document):
        path, _, anchor = target.partition("#")
        linked = (document.parent / path).resolve() if path else document
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked.read_text()):
            broken.append(f"{target}: no heading with that anchor in {linked.name}")
    assert not broken, f"{document.relative_to(ROOT)}: " + "; ".join(broken)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_project_path_named_exists(document):
    named = set(PROJECT_PATH.findall(document.read_text()))
    missing = sorted(path for path in named if not (ROOT / path).exists())
    assert not missing, f"{document.relative_to(ROOT)} names {missing}"
