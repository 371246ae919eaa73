"""`--status`, `--transition`, `--initial` and `--restore-to`: an entity's
workflow, parsed from the command line and written as a `Workflow(...)`."""

import re
from dataclasses import dataclass

from apps.core.scaffold import ScaffoldError
from apps.core.scaffold.fields import default_label
from apps.core.scaffold.pycode import Call, Import, List, kwarg, py_str
from apps.core.workflows import Status, Transition, Workflow

WORKFLOW_SYNTAX = """\
Workflow (optional; the default is DRAFT -> ACTIVE, restored to ACTIVE):
  --status VALUE[:Label[:colour][:locked]]
                                       in order; VALUE is CAPITALS, at most 32 characters;
                                       locked: only <tool>:admin may edit a record in it
  --transition SOURCE:TARGET[:admin]   an allowed change; admin: only <tool>:admin may make it
  --initial VALUE                      status of a new record (default: the first --status)
  --restore-to VALUE                   status of a restored record (default: --initial)
  Colours: {colours} (default gray).
  Any status may be archived (ARCHIVED is added for you) and restored.
Example: --status PENDING --status RUNNING:Running:blue --status PASS::green \\
         --transition PENDING:RUNNING --transition RUNNING:PASS
"""
STATUS_COLOURS = ("gray", "red", "orange", "yellow", "green", "teal", "blue", "indigo", "purple")
WORKFLOW_SYNTAX = WORKFLOW_SYNTAX.format(colours=", ".join(STATUS_COLOURS))
STATUS_PATTERN = re.compile(r"^[A-Z][A-Z0-9_]{0,31}$")
WORKFLOW_IMPORTS = frozenset(
    {Import("apps.core.workflows", name) for name in ("Status", "Transition", "Workflow")}
)


@dataclass(frozen=True)
class WorkflowSpec:
    workflow: Workflow
    statuses: tuple[Status, ...]  # as declared: ARCHIVED is only written when declared
    transitions: tuple[Transition, ...]


def parse_workflow(
    statuses: list[str], transitions: list[str], initial: str | None, restore_to: str | None
) -> WorkflowSpec | None:
    """The declared workflow, or None for the platform's default one."""
    if not statuses:
        if transitions or initial or restore_to:
            raise ScaffoldError(
                "--transition, --initial and --restore-to need the statuses (--status)."
            )
        return None
    declared = tuple(_parse_status(text) for text in statuses)
    values = [s.value for s in declared]
    duplicate = next((v for v in values if values.count(v) > 1), None)
    if duplicate:
        raise ScaffoldError(f"--status {duplicate} is declared twice.")
    moves = tuple(_parse_transition(text) for text in transitions)
    pairs = [(t.source, t.target) for t in moves]
    if len(set(pairs)) != len(pairs):
        raise ScaffoldError("a --transition is given twice.")
    try:
        workflow = Workflow(declared, moves, initial=initial, restore_to=restore_to)
    except ValueError as exc:
        known = ", ".join(s.value for s in Workflow(declared).statuses)
        raise ScaffoldError(f"workflow: {exc} (the statuses are {known}).") from None
    return WorkflowSpec(workflow, declared, moves)


def _parse_status(text: str) -> Status:
    value, _, rest = text.partition(":")
    label, _, rest = rest.partition(":")
    colour, _, lock = rest.partition(":")
    if not STATUS_PATTERN.match(value) or lock not in ("", "locked"):
        raise ScaffoldError(
            f"--status {text}: expected VALUE[:Label[:colour][:locked]] with VALUE in capitals, "
            "digits and _ (at most 32 characters), such as IN_REVIEW:In review:blue or "
            "APPROVED:Approved:green:locked."
        )
    if colour and colour not in STATUS_COLOURS:
        raise ScaffoldError(
            f"--status {text}: unknown colour {colour!r}; the colours are "
            f"{', '.join(STATUS_COLOURS)}."
        )
    return Status(value, label.strip() or default_label(value), colour or "gray", bool(lock))


def _parse_transition(text: str) -> Transition:
    parts = text.split(":")
    if len(parts) not in (2, 3) or (len(parts) == 3 and parts[2] != "admin"):
        raise ScaffoldError(f"--transition {text}: expected SOURCE:TARGET or SOURCE:TARGET:admin.")
    return Transition(parts[0], parts[1], admin_only=len(parts) == 3)


def workflow_code(spec: WorkflowSpec) -> Call:
    statuses = tuple(
        Call(
            "Status",
            (
                py_str(s.value),
                py_str(s.label),
                py_str(s.color),
                *([kwarg("locked", "True")] if s.locked else []),
            ),
        )
        for s in spec.statuses
    )
    transitions = tuple(
        Call(
            "Transition",
            (
                py_str(t.source),
                py_str(t.target),
                *([kwarg("admin_only", "True")] if t.admin_only else []),
            ),
        )
        for t in spec.transitions
    )
    workflow = spec.workflow
    args = [kwarg("statuses", List(statuses, explode=True))]
    if transitions:
        args.append(kwarg("transitions", List(transitions, explode=True)))
    if workflow.initial != spec.statuses[0].value:
        args.append(kwarg("initial", py_str(workflow.initial)))
    if workflow.restore_to != workflow.initial:
        args.append(kwarg("restore_to", py_str(workflow.restore_to)))
    return Call("Workflow", tuple(args))


def workflow_imports(spec: WorkflowSpec) -> frozenset[Import]:
    if spec.transitions:
        return WORKFLOW_IMPORTS
    return WORKFLOW_IMPORTS - {Import("apps.core.workflows", "Transition")}
