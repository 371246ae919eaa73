"""Who is acting and under which request id, for audit entries and history.

The request middleware binds both for the length of a request; management
commands and scripts use `acting_as(user)`. Context variables keep concurrent
threads and async tasks apart.
"""

import uuid
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar

# The actor is stored as a zero-argument callable so a request can bind it
# before authentication has run and resolve it when the first write happens.
_actor: ContextVar[Callable[[], object] | None] = ContextVar("actor", default=None)
_request_id: ContextVar[uuid.UUID | None] = ContextVar("request_id", default=None)
# The audit entries written so far in this request, by record: a record
# changed twice in one request gets one entry (see apps.core.audit).
_change_scope: ContextVar[dict | None] = ContextVar("change_scope", default=None)


def current_actor():
    """The authenticated user acting now, or None (plain ORM code, anonymous)."""
    resolve = _actor.get()
    user = resolve() if resolve else None
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


def current_request_id() -> uuid.UUID | None:
    return _request_id.get()


def current_change_scope() -> dict | None:
    return _change_scope.get()


@contextmanager
def bind(actor: Callable[[], object] | None, request_id: uuid.UUID | None):
    actor_token = _actor.set(actor)
    request_token = _request_id.set(request_id)
    scope_token = _change_scope.set({})
    try:
        yield
    finally:
        _actor.reset(actor_token)
        _request_id.reset(request_token)
        _change_scope.reset(scope_token)


@contextmanager
def acting_as(user, request_id: uuid.UUID | None = None):
    """Attribute every write inside the block to `user`:

        with acting_as(admin):
            component.save()

    A fresh request id groups the block's audit entries unless one is given.
    """
    with bind(lambda: user, request_id or uuid.uuid4()):
        yield
