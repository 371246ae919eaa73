"""Errors the domain layer raises; the API maps them to responses."""


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
