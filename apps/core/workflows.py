"""Statuses and the transitions allowed between them, declared per entity model.

An entity declares `workflow = Workflow(...)`; the default is
DRAFT -> ACTIVE -> ARCHIVED with restore back to ACTIVE. Two rules hold for
every workflow so archive and restore mean the same thing in every tool: any
status may be archived, and an archived record is restored to `restore_to`.
Archiving a status is reserved to admins where every way out of it the
workflow declares is admin-only, or where it declares none (a final status
such as PASS), unless restoring leads back to it: archive, then restore,
would otherwise be a writer's way out. A transition to the archived
status declared for a status replaces the implied one.
"""

import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache

# A guard receives the record and the target status, and the move itself
# (`Move`) when it declares a parameter `move`: `def guard(record, target, *, move)`.
# It returns a message to veto the transition, `{field: message}` to veto it
# naming the field at fault, or None to allow it.
Guard = Callable[..., str | Mapping[str, str] | None]


@dataclass(frozen=True)
class Move:
    """The move a guard judges, beyond the record (as it would be stored) and
    its target: where it comes from, the comment given with it (the
    transition endpoint's `comment`, a revert's; "" otherwise) and who makes
    it (None for trusted code outside a request, such as a data migration)."""

    source: str
    target: str
    comment: str = ""
    actor: object = None


@cache
def _takes_move(guard: Guard) -> bool:
    return "move" in inspect.signature(guard).parameters


@dataclass(frozen=True)
class Status:
    """A status of a workflow. A `locked` one keeps its records' fields as
    they are (an APPROVED request's amount): only `<tool>:admin` may change
    them there; moving the record on, archive, restore and tags stay open
    (`apps.core.transitions.check_unlocked`)."""

    value: str
    label: str
    color: str = "gray"
    locked: bool = False


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    admin_only: bool = False
    guard: Guard | None = None

    def veto(self, record, move: Move) -> str | Mapping[str, str] | None:
        """The guard's veto of `move`, or None; a guard of two parameters
        (record, target) is called as it was declared."""
        if self.guard is None:
            return None
        if _takes_move(self.guard):
            return self.guard(record, move.target, move=move)
        return self.guard(record, move.target)


class Workflow:
    def __init__(
        self,
        statuses: Iterable[Status],
        transitions: Iterable[Transition] = (),
        *,
        initial: str | None = None,
        archived: Status = Status("ARCHIVED", "Archived", "red"),
        restore_to: str | None = None,
    ):
        statuses = list(statuses)
        if archived.value not in {s.value for s in statuses}:
            statuses.append(archived)
        self.statuses: tuple[Status, ...] = tuple(statuses)
        self.archived = archived.value
        self.initial = initial or statuses[0].value
        self.restore_to = restore_to or self.initial
        values = {s.value for s in self.statuses}
        self.transitions: tuple[Transition, ...] = tuple(transitions)
        for transition in self.transitions:
            unknown = {transition.source, transition.target} - values
            if unknown:
                raise ValueError(f"Transition uses undeclared status(es): {sorted(unknown)}")
        if self.initial not in values or self.restore_to not in values:
            raise ValueError("initial and restore_to must be declared statuses")

    @property
    def choices(self) -> list[tuple[str, str]]:
        return [(s.value, s.label) for s in self.statuses]

    def status(self, value: str) -> Status | None:
        return next((s for s in self.statuses if s.value == value), None)

    def transitions_from(self, source: str) -> list[Transition]:
        """The transitions allowed out of `source`, including the implied
        archive and restore."""
        found = [t for t in self.transitions if t.source == source]
        if source == self.archived:
            implied = Transition(source, self.restore_to)
        else:
            shut = all(t.admin_only for t in found) and source != self.restore_to
            implied = Transition(source, self.archived, admin_only=shut)
        if implied.target != source and all(t.target != implied.target for t in found):
            found.append(implied)
        return found

    def transition(self, source: str, target: str) -> Transition | None:
        return next((t for t in self.transitions_from(source) if t.target == target), None)

    def all_transitions(self) -> list[Transition]:
        return [t for s in self.statuses for t in self.transitions_from(s.value)]


DEFAULT_WORKFLOW = Workflow(
    statuses=[
        Status("DRAFT", "Draft", "gray"),
        Status("ACTIVE", "Active", "green"),
        Status("ARCHIVED", "Archived", "red"),
    ],
    transitions=[Transition("DRAFT", "ACTIVE"), Transition("ACTIVE", "ARCHIVED")],
    initial="DRAFT",
    restore_to="ACTIVE",
)
