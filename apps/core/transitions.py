"""The one rule every status change passes, whatever asks for it: the
transition endpoint, a PATCH or PUT of `status`, archive (DELETE), restore,
revert, and a create that names a status.

A change from one status to another must be a transition of the record's
workflow (archive and restore are implied); a transition marked `admin_only`
needs `<tool>:admin`; the transition's guard, if any, may veto it. Staying
in the same status is no transition and always passes.

And the one rule every change of a record's fields passes: none while the
record is in a status its workflow locks, but by `<tool>:admin`.
"""

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError

from apps.core import audit
from apps.core.context import current_actor
from apps.core.exceptions import ConflictError
from apps.core.permissions import ADMIN, Grants, permission_name
from apps.core.tools import tool_for_model
from apps.core.workflows import Move


def allowed_targets(workflow, source: str) -> list[str]:
    return [t.target for t in workflow.transitions_from(source)]


def status_label(workflow, value: str) -> str:
    """A status as people read it ("Pass"); a value the workflow does not
    declare, as it is."""
    status = workflow.status(value)
    return status.label if status else value


def unknown_status_error(workflow, value: str) -> str | None:
    """The message for a status the workflow does not declare, else None."""
    if workflow.status(value) is not None:
        return None
    return f"Unknown status {value!r}; one of: {', '.join(s.value for s in workflow.statuses)}."


def check_transition(
    record, target: str, *, grants: Grants | None, source: str | None = None, comment: str = ""
):
    """Raise unless `record` may move from `source` (default: its status) to
    `target`. `grants` are the caller's permissions; None means trusted code
    (a management command, a data migration) and skips the admin check only.
    The guard sees the record with any other changes of the same write
    applied, and the move: `comment` and the actor (`workflows.Move`)."""
    workflow = type(record).workflow
    source = record.status if source is None else source
    if target == source:
        return
    unknown = unknown_status_error(workflow, target)
    if unknown:
        raise ValidationError({"status": [unknown]})
    # Messages are for people: statuses by their labels. A client acts on the
    # codes: the response's `code`, and the allowed targets' values.
    label = record.public_id or "A new record"
    move = f"from {status_label(workflow, source)} to {status_label(workflow, target)}"
    transition = workflow.transition(source, target)
    if transition is None:
        allowed = allowed_targets(workflow, source)
        shown = ", ".join(status_label(workflow, value) for value in allowed) or "none"
        raise ConflictError(
            f"{label} cannot move {move}. Allowed: {shown}.",
            code="transition_not_allowed",
            allowed=allowed,
        )
    if transition.admin_only and grants is not None:
        slug = tool_for_model(type(record)).slug
        if not grants.allows(slug, ADMIN):
            raise PermissionDenied(
                f"You need the '{permission_name(slug, ADMIN)}' permission to move {label} {move}."
            )
    if transition.guard is not None:
        veto = transition.veto(record, Move(source, target, comment, current_actor()))
        if veto:
            raise vetoed(veto)


def vetoed(veto: str | Mapping[str, str]) -> ConflictError:
    """A guard's veto as the 409 `transition_vetoed`: its message, or, for a
    veto naming fields, their messages, each also under its field in `errors`."""
    if not isinstance(veto, Mapping):
        return ConflictError(str(veto), code="transition_vetoed")
    messages = {field: str(message) for field, message in veto.items()}
    errors = {field: [message] for field, message in messages.items()}
    return ConflictError(" ".join(messages.values()), code="transition_vetoed", errors=errors)


def check_unlocked(record, many: dict, *, grants: Grants | None):
    """Raise unless the caller may change what this write changes of
    `record`'s fields (its columns as they are set on it now, against
    `stored_state`, and the many-to-many links in `many`): a record whose
    stored status is `locked` keeps them, for all but `<tool>:admin` and
    trusted code. Its status, archive, restore and tags are not its fields:
    the workflow governs those."""
    status = _locked_status(record, record.stored_state.get("status", ""), grants)
    if status is None:
        return
    changed = [name for name in _changed_fields(record, many) if name != "status"]
    if changed:
        raise _locked_error(record, status, changed)


def check_unlocked_for(record, names: list[str], *, grants: Grants | None):
    """Raise unless the caller may change `names`, parts of `record` kept
    beside its fields (its attachments), as `check_unlocked` rules for its
    fields: a record in a locked status keeps them for all but admins."""
    status = _locked_status(record, record.status, grants)
    if status is not None:
        raise _locked_error(record, status, names)


def _locked_status(record, value: str, grants: Grants | None):
    """The workflow's status `value` when it locks `record` against this
    caller (who is neither trusted code nor the tool's admin), else None."""
    status = type(record).workflow.status(value)
    if status is None or not status.locked or grants is None:
        return None
    if grants.allows(tool_for_model(type(record)).slug, ADMIN):
        return None
    return status


def _locked_error(record, status, changed: list[str]) -> ConflictError:
    slug = tool_for_model(type(record)).slug
    return ConflictError(
        f"{record.public_id} is {status.label}: its fields cannot be changed in that "
        f"status but by '{permission_name(slug, ADMIN)}' ({', '.join(changed)}).",
        code="record_locked",
        errors={name: [f"Locked while the record is {status.label}."] for name in changed},
    )


def _changed_fields(record, many: dict) -> list[str]:
    model = type(record)
    changed = list(audit.diff(model, record.stored_state, audit.snapshot(record)))
    for name, values in many.items():
        new = {getattr(value, "pk", value) for value in values}
        if new != set(getattr(record, name).values_list("pk", flat=True)):
            changed.append(name)
    return changed
