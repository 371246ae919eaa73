"""A record's link to a Linear issue: made when someone asks for an issue
for the record (`link_new_issue`), kept as Linear's webhooks describe the
issue (`apply_issue_event`), and removed when someone unlinks it (`unlink`).
Each audits the record, in the transaction of the change: its history and
the activity feed show the link, a move of the issue to another identifier
or state, and its removal."""

import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import quote

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from apps.core import audit
from apps.core.api.registry import entity_path
from apps.core.exceptions import ConflictError
from apps.core.integrations import linear
from apps.core.models import LinearIssueLink
from apps.core.tools import tool_for_model

# The longest title the API sends Linear, its own default included.
ISSUE_TITLE_MAX_LENGTH = 255

# The keys of a record's audit entries that are the link, not its fields.
LINKED_ISSUE = "linear_issue"
LINKED_ISSUE_STATE = "linear_issue_state"


class LinearNotConfigured(Exception):
    """This deployment has no Linear key or team (`linear.is_configured`)."""


class AlreadyLinked(ConflictError):
    """The record has its issue already; `link` is it."""

    def __init__(self, record, link: LinearIssueLink):
        super().__init__(
            f"{record.public_id} is linked to {link.identifier} already.", code="already_linked"
        )
        self.link = link


class IssueLinkedElsewhere(ConflictError):
    """The issue of the id sent is another record's: an id made for one
    record's issue, sent again for another."""

    def __init__(self, link: LinearIssueLink):
        super().__init__(
            f"The issue of this id, {link.identifier}, is linked to another record; "
            "nothing was changed. Send a new id.",
            code="linear_issue_taken",
        )


def link_of(record) -> LinearIssueLink | None:
    return (
        LinearIssueLink.objects.select_related("created_by")
        .filter(content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk)
        .first()
    )


@transaction.atomic(savepoint=False)
def link_new_issue(
    record,
    *,
    user=None,
    issue_id: uuid.UUID | None = None,
    title: str | None = None,
    description: str | None = None,
    priority: int | None = None,
) -> LinearIssueLink:
    """Create an issue in Linear for `record` and link the two; the title and
    description default to the record's (`issue_title`, `issue_description`).

    `issue_id` (a UUID v4; a new one when None) is the issue's id in Linear:
    a caller sends the same one again after a failure, and the issue an
    earlier attempt made, its answer lost, is linked instead of a second
    being made (`linear.create_issue`). That issue linked to another record
    is an `IssueLinkedElsewhere`.

    The caller holds the record's row lock, which the calls to Linear keep
    (bounded by twice `LINEAR_TIMEOUT_SECONDS`): a second request for the
    same record waits, then finds the link, so one record never gets two
    issues. Should the link not be stored after Linear made the issue, the
    issue stays in Linear, unlinked, until the same id is sent again. Sent
    again once linked (the answer lost on its way to the caller), the id finds
    its link, which is returned as it is: Linear is not asked again."""
    existing = link_of(record)
    if existing is not None:
        if issue_id is not None and existing.linear_id == str(issue_id):
            return existing
        raise AlreadyLinked(record, existing)
    if not linear.is_configured():
        raise LinearNotConfigured()
    issue_id = str(issue_id or uuid.uuid4())
    _hold_issue(issue_id)
    issue = linear.create_issue(
        issue_id=issue_id,
        title=issue_title(record) if title is None else title,
        description=issue_description(record) if description is None else description,
        priority=priority,
    )
    elsewhere = LinearIssueLink.objects.filter(linear_id=issue.linear_id).first()
    if elsewhere is not None:
        raise IssueLinkedElsewhere(elsewhere)
    link = LinearIssueLink(
        content_type=ContentType.objects.get_for_model(type(record)),
        object_id=record.pk,
        linear_id=issue.linear_id,
        created_by=user,
    )
    link.take(issue)
    link.save()
    audit.record(record, {LINKED_ISSUE: {"old": None, "new": link.identifier}})
    return link


class LinkChanged(ConflictError):
    """The record is linked, but not by the link the caller meant to remove:
    it was unlinked and linked again meanwhile. `link` is the one it has."""

    def __init__(self, record, link: LinearIssueLink):
        super().__init__(
            f"{record.public_id} is now linked to {link.identifier}, not to the issue you meant "
            "to unlink; nothing was changed.",
            code="linear_issue_changed",
        )
        self.link = link


@transaction.atomic(savepoint=False)
def unlink(record, *, link_id: int | None = None) -> LinearIssueLink | None:
    """Remove the record's link (the issue stays in Linear) and audit it on
    the record, as a `remove` from Linear does; None when it has none. With
    `link_id`, only that link: another (made since the caller read it) is a
    `LinkChanged`, as linking does not change the record's ETag. The caller
    holds the record's row lock, as for `link_new_issue`."""
    link = link_of(record)
    if link is None:
        return None
    if link_id is not None and link.pk != link_id:
        raise LinkChanged(record, link)
    _remove(link, record)
    return link


def let_go_of_deleted(record) -> dict:
    """A record being deleted (the admin's delete) lets go of its issue: the
    link goes, and what its deletion's audit entry says of it is returned
    (`{"linear_issue": {"old": "ENG-42", "new": None}}`, or nothing); the
    issue stays in Linear, free to be linked again. A record of a
    `letting_go_of_deleted()` block had its link removed there."""
    going = _letting_go.get()
    key = (type(record), record.pk)
    if going is not None and key in going:
        identifier = going[key]
    else:
        link = link_of(record)
        if link is not None:
            link.delete()
        identifier = link and link.identifier
    return {LINKED_ISSUE: {"old": identifier, "new": None}} if identifier else {}


# The records a `letting_go_of_deleted()` block deletes: the identifier of
# each one's issue (None: it has none), by (model, pk).
_letting_go: ContextVar[dict | None] = ContextVar("linear_links_letting_go", default=None)


@contextmanager
def letting_go_of_deleted(records):
    """Around the delete of `records` (a queryset: the admin's "delete
    selected"), their links are read and removed in two statements, where
    Django's `pre_delete`, sent once a record, asked for each record's link
    on its own; each record's deletion then finds its link here
    (`let_go_of_deleted`). Inside the caller's transaction."""
    model = records.model
    pks = list(records.values_list("pk", flat=True))
    links = LinearIssueLink.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=pks
    )
    going = dict.fromkeys(((model, pk) for pk in pks), None)
    going.update({(model, link.object_id): link.identifier for link in links})
    # No signal listens for a link's delete: one statement, not Django's collection.
    links._raw_delete(links.db)
    token = _letting_go.set(going)
    try:
        yield
    finally:
        _letting_go.reset(token)


def issue_title(record) -> str:
    """`"<public_id> <name>"`, shortened to a title's longest (the first
    characters, then "…"), as the web app's dialog shortens it."""
    title = f"{record.public_id} {record.name}".strip()
    if len(title) > ISSUE_TITLE_MAX_LENGTH:
        return title[: ISSUE_TITLE_MAX_LENGTH - 1] + "…"
    return title


def issue_description(record) -> str:
    """The record's description, then a line linking back to its page in the
    web app (none when `FRONTEND_URL` is not set)."""
    page = record_page_url(record)
    back = f"[{record.public_id} in Toolsuite]({page})" if page else ""
    return "\n\n".join(part for part in (record.description.strip(), back) if part)


def record_page_url(record) -> str | None:
    """The record's page in the web app (`/tools/<tool>/<entity>/<public id>`)."""
    if not settings.FRONTEND_URL:
        return None
    model = type(record)
    path = f"/tools/{tool_for_model(model).slug}/{entity_path(model)}/{quote(record.public_id)}"
    return settings.FRONTEND_URL.rstrip("/") + path


@transaction.atomic(savepoint=False)
def apply_issue_event(payload: dict) -> bool:
    """Bring the link of the issue a Linear webhook names up to date:
    `{"action": "create" | "update" | "remove", "type": "Issue", "data":
    {"id", "identifier", "title", "url", "state": {"name", "type"}, …}}`.

    A new identifier or state is audited on the record (`linear_issue`,
    `linear_issue_state`); a `remove` deletes the link and audits it. Runs in
    the caller's transaction and `acting_as` context (the webhook's). True
    when the event is of a linked issue, whether or not it changed anything;
    False, having written nothing, for any other. The issue of an update
    described incompletely is a `linear.LinearError`."""
    if not isinstance(payload, dict) or payload.get("type") != "Issue":
        return False
    data = payload.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        return False
    _hold_issue(data["id"], shared=True)
    link = LinearIssueLink.objects.select_for_update().filter(linear_id=data["id"]).first()
    if link is None:
        return False
    record = _record_of(link)
    if payload.get("action") == "remove":
        _remove(link, record)
        return True
    changes = link.take(linear.LinearIssue.from_data(data, came_in=linear.WEBHOOK_BODY))
    if not changes:
        return True
    link.save()
    _audit(record, _audited(changes))
    return True


def _hold_issue(issue_id: str, *, shared: bool = False) -> None:
    """On PostgreSQL, a lock on the issue of `issue_id` until the current
    transaction ends (an advisory lock on the id's hash). A request linking a
    record holds it from before it asks Linear for the issue until its link
    is committed (or not stored); an event of that issue (`shared`: events
    do not wait for each other) waits for it. Linear sends its first events
    of a new issue as soon as it has made it, while the request still waits
    for Linear's answer: they found no link and were dropped, where they now
    find the link. Elsewhere (SQLite, one writer at a time) nothing."""
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(hashtextextended(%s, 0))", [f"linear:{issue_id}"])


def _remove(link: LinearIssueLink, record) -> None:
    """Delete the link, and say so in the record's history (if it still has one)."""
    link.delete()
    _audit(record, {LINKED_ISSUE: {"old": link.identifier, "new": None}})


def _audited(link_changes: dict) -> dict:
    """What a record's audit entry says of its link's changes: a new
    identifier or state, not a new title or url."""
    renames = {"identifier": LINKED_ISSUE, "state": LINKED_ISSUE_STATE}
    return {renames[name]: change for name, change in link_changes.items() if name in renames}


def _record_of(link: LinearIssueLink):
    """The linked record; None if it was deleted since (or its tool removed)."""
    model = ContentType.objects.get_for_id(link.content_type_id).model_class()
    if model is None:
        return None
    return model._base_manager.filter(pk=link.object_id).first()


def _audit(record, changes: dict):
    if record is not None and changes:
        audit.record(record, changes)
