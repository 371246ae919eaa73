"""Errors the domain layer raises; the API maps them to responses."""


class ConflictError(Exception):
    """A write the record's current state does not allow (HTTP 409).
    `extra` carries details a client can act on, e.g. the allowed targets."""

    def __init__(self, message: str, *, code: str = "conflict", **extra):
        super().__init__(message)
        self.message = message
        self.code = code
        self.extra = extra
