"""Recently verified tokens, so a client's next requests skip the RSA check
and the user query.

In process memory on purpose: it only saves recomputation, and another
replica that misses simply verifies the token itself. Entries are keyed by
a hash of the token (never the token), live AUTH_TOKEN_CACHE_SECONDS at most
and never past the token's `exp`; the oldest go first beyond MAX_ENTRIES.
A user deactivated in the admin is therefore refused within that many seconds.
"""

import copy
import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings

from apps.core.permissions import Grants

MAX_ENTRIES = 10_000


@dataclass(frozen=True)
class VerifiedToken:
    user: object
    grants: Grants
    valid_until: float


class TokenCache:
    def __init__(self, max_entries: int = MAX_ENTRIES):
        self.max_entries = max_entries
        self._entries: OrderedDict[str, VerifiedToken] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, token: str) -> tuple[object, Grants] | None:
        """(a copy of the user, grants) for a token verified moments ago, or None."""
        key = _key(token)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry.valid_until <= time.time():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
        # Each request gets its own instance, so nothing one request sets on
        # its user leaks into another's.
        return copy.copy(entry.user), entry.grants

    def put(self, token: str, user, grants: Grants, expires_at: float):
        seconds = settings.AUTH_TOKEN_CACHE_SECONDS
        if seconds <= 0:
            return
        key = _key(token)
        entry = VerifiedToken(copy.copy(user), grants, min(time.time() + seconds, expires_at))
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self):
        with self._lock:
            self._entries.clear()

    def __len__(self):
        return len(self._entries)


def _key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


verified_tokens = TokenCache()
