"""Errors the domain layer raises; the API maps them to responses."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class ConflictError(Exception):
    """A write the record's current state does not allow (HTTP 409).
    `extra` carries details a client can act on, e.g. the allowed targets."""

    def __init__(self, message: str, *, code: str = "conflict", **extra):
        super().__init__(message)
        self.message = message
        self.code = code
        self.extra = extra


class BulkItemsError(Exception):
    """Items of a bulk write that the records' rules refuse; nothing was
    written. `errors` maps each refused item's position to `{field:
    [messages]}`; `total` is the number of items."""

    def __init__(self, errors: dict[int, dict], total: int):
        super().__init__(f"{len(errors)} of {total} items refused.")
        self.errors = errors
        self.total = total


def messages_by_field(exc: ValidationError) -> dict[str, list[str]]:
    """A Django `ValidationError` as the API's `errors`, `{field: [messages]}`:
    what names no field (raised without one, or under Django's `__all__` by a
    model's `clean()`) under `non_field_errors`, as DRF puts it."""
    if not hasattr(exc, "error_dict"):
        return {"non_field_errors": exc.messages}
    return {
        "non_field_errors" if name == NON_FIELD_ERRORS else name: messages
        for name, messages in exc.message_dict.items()
    }
