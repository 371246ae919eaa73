"""The tool specs of the scale check (scripts/scale_tools.py): varied,
reproducible, and accepted by `newtool` as they are."""

import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from apps.core.scaffold.fields import FIELD_TYPES, parse_field
from apps.core.scaffold.workflow import parse_workflow
from scripts.scale_tools import EXISTING_TARGETS, tool_specs

SPECS = tool_specs(139)


def test_the_same_seed_gives_the_same_tools():
    assert tool_specs(139) == SPECS
    assert tool_specs(139, seed=7) != SPECS


def test_names_and_prefixes_are_unique_and_valid():
    assert len({s.slug for s in SPECS}) == len({s.prefix for s in SPECS}) == 139
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", s.slug) for s in SPECS)
    assert all(re.fullmatch(r"[A-Z]{2,5}", s.prefix) for s in SPECS)
    assert not {s.prefix for s in SPECS} & {"CMP", "TST"}


def test_each_tool_has_5_to_10_distinct_fields_and_every_type_is_used():
    for spec in SPECS:
        names = [field.split(":")[0] for field in spec.fields]
        assert 5 <= len(names) <= 10, spec.slug
        assert len(set(names)) == len(names), spec.slug
    used = Counter(field.split(":")[1] for spec in SPECS for field in spec.fields)
    assert set(used) == set(FIELD_TYPES)
    assert min(used.values()) >= 10


def test_some_tools_have_their_own_workflow():
    with_workflow = [s for s in SPECS if s.statuses]
    assert 20 <= len(with_workflow) <= 50
    assert any(":admin" in t for s in with_workflow for t in s.transitions)


def test_second_wave_tools_link_to_first_wave_tools_only():
    first = {f"{s.slug}.{s.entity}" for s in SPECS if s.wave == 1}
    for spec in SPECS:
        allowed = set(EXISTING_TARGETS) | (first if spec.wave == 2 else set())
        assert spec.targets <= allowed, spec.slug
        if spec.wave == 2:
            assert spec.targets & first, spec.slug


def test_every_field_and_workflow_parses():
    for spec in SPECS:
        for field in spec.fields:
            parse_field(field)
        parse_workflow(list(spec.statuses), list(spec.transitions), None, None)


@pytest.mark.parametrize("spec", [s for s in SPECS if s.wave == 1], ids=lambda s: s.slug)
def test_newtool_accepts_first_wave_tools_as_they_are(spec):
    """Every check of the command runs (a dry run writes nothing); second-wave
    tools link to tools that only exist in the scale check's copy."""
    out = StringIO()
    call_command("newtool", *spec.newtool_args(), "--dry-run", stdout=out)
    assert f"class {spec.entity}(Entity):" in out.getvalue()


def test_too_many_tools_are_refused():
    with pytest.raises(ValueError, match="count must be"):
        tool_specs(1000)
