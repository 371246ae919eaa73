"""Auth0's signing keys (JWKS), shared by every worker and replica.

The key set lives in the Django cache (Redis in production), stamped with the
time it was fetched. It is used for AUTH0_JWKS_CACHE_SECONDS, then refreshed
by one worker while the others keep using it. It is never deleted: when a
fetch fails, the last good key set keeps verifying tokens.

Fetches are rationed with `cache.add()`, which only one caller across all
processes wins until the marker expires: a refresh or an unknown `kid` fetches
at most once per AUTH0_JWKS_REFETCH_COOLDOWN_SECONDS, so a flood of tokens with
made-up key ids costs one fetch, not one per token. With no key set at all,
one caller fetches while the others wait for it; a failed fetch is retried at
most once per AUTH0_JWKS_RETRY_SECONDS and the API answers 503 meanwhile.

Each process keeps a copy of the last key set it read or stored. When the
shared cache cannot be reached, the same rules run on the process's own
memory instead (`_store`): the copy is used for AUTH0_JWKS_CACHE_SECONDS
from its fetch, then refreshed by this process at most once per cooldown,
and kept when that fails; a process with no copy fetches one itself. So a
Redis outage does not stop signed-in requests. After a failure the process
leaves the cache alone for CACHE_RETRY_SECONDS, so a Redis that stops
answering costs one token check its socket timeout, not every one.
"""

import hashlib
import json
import logging
import math
import time
import urllib.error
import urllib.request
from functools import lru_cache

import jwt
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache

from apps.core.shared_cache import CACHE_UNREACHABLE

logger = logging.getLogger(__name__)

# A JWKS is a few kilobytes; anything far larger is not one.
MAX_JWKS_BYTES = 1024 * 1024


# Seconds a process keeps to its own memory after the shared cache failed.
CACHE_RETRY_SECONDS = 5


class _Store:
    """The shared cache, with this process's memory standing in for it when
    it cannot be reached: the key set as last read or stored here, and the
    fetch markers of this process alone meanwhile."""

    _UNREACHABLE = object()

    def __init__(self):
        self.memory = LocMemCache("auth-jwks", {"TIMEOUT": None})
        self.cache_skipped_until = 0.0

    def get(self, key, *, copied=False):
        """`key`'s value; with `copied`, kept in memory too, for an outage."""
        value = self._shared("get", key)
        if value is self._UNREACHABLE:
            return self.memory.get(key)
        if copied and value is not None:
            self.memory.set(key, value)
        return value

    def set(self, key, value, timeout):
        self.memory.set(key, value, timeout)
        self._shared("set", key, value, timeout)

    def add(self, key, value, timeout):
        added = self._shared("add", key, value, timeout)
        return self.memory.add(key, value, timeout) if added is self._UNREACHABLE else added

    def delete(self, key):
        self.memory.delete(key)
        self._shared("delete", key)

    def forget(self):
        self.memory.clear()
        self.cache_skipped_until = 0.0

    def _shared(self, operation, *args):
        if time.monotonic() < self.cache_skipped_until:
            return self._UNREACHABLE
        try:
            return getattr(cache, operation)(*args)
        except CACHE_UNREACHABLE as exc:
            self.cache_skipped_until = time.monotonic() + CACHE_RETRY_SECONDS
            logger.warning(
                "The shared cache is unreachable (%s): Auth0's key set is kept in this "
                "process's memory, the cache tried again in %d s.",
                exc,
                CACHE_RETRY_SECONDS,
            )
            return self._UNREACHABLE


_store = _Store()


class KeySetUnavailable(Exception):
    """No key set is cached and none could be fetched now."""


class UnknownSigningKey(Exception):
    """The key set, even freshly fetched, has no key with the token's `kid`."""


class JWKSFetchError(Exception):
    pass


def signing_key(kid: str) -> jwt.PyJWK:
    """The public key Auth0 signed a token with, by the token's `kid`."""
    url = settings.AUTH0_JWKS_URL
    if not url:
        raise KeySetUnavailable("AUTH0_JWKS_URL (or AUTH0_DOMAIN) is not set on the server.")
    keys = _CacheKeys(url)
    entry = _store.get(keys.key_set, copied=True)
    if entry is None:
        entry = _fetch_cold(url, keys)
    elif time.time() - entry["fetched_at"] >= settings.AUTH0_JWKS_CACHE_SECONDS:
        entry = _refetch(url, keys, reason="cache expired") or entry
    if kid not in entry["keys"]:
        entry = _refetch(url, keys, reason="unknown key id") or entry
    if kid not in entry["keys"]:
        raise UnknownSigningKey(kid)
    return _parse_key(json.dumps(entry["keys"][kid], sort_keys=True))


def clear_parsed_keys():
    """Forget the parsed keys and the key set's copy of this process (tests;
    a key set change)."""
    _parse_key.cache_clear()
    _store.forget()


class _CacheKeys:
    def __init__(self, url: str):
        # One set of entries per URL, so changing AUTH0_JWKS_URL never serves old keys.
        digest = hashlib.sha256(url.encode()).hexdigest()[:16]
        self.key_set = f"auth:jwks:{digest}"
        self.refetch_marker = f"auth:jwks:{digest}:refetch"
        self.fetching_lock = f"auth:jwks:{digest}:fetching"
        self.failed_marker = f"auth:jwks:{digest}:failed"


def _fetch_cold(url: str, keys: _CacheKeys) -> dict:
    """With no key set cached, one caller fetches while the others wait for
    its result; after a failure everyone answers 503 for AUTH0_JWKS_RETRY_SECONDS."""
    if _store.get(keys.failed_marker):
        raise KeySetUnavailable("Auth0's key set could not be fetched; retrying shortly.")
    timeout = settings.AUTH0_JWKS_FETCH_TIMEOUT_SECONDS
    if not _store.add(keys.fetching_lock, True, timeout=math.ceil(timeout) + 1):
        return _wait_for_other_fetch(keys, deadline=time.monotonic() + timeout + 0.5)
    try:
        return _fetch_and_store(url, keys)
    except JWKSFetchError as exc:
        logger.error("Could not fetch Auth0's key set from %s: %s", url, exc)
        _store.set(keys.failed_marker, True, timeout=settings.AUTH0_JWKS_RETRY_SECONDS)
        raise KeySetUnavailable(str(exc)) from exc
    finally:
        _store.delete(keys.fetching_lock)


def _wait_for_other_fetch(keys: _CacheKeys, deadline: float) -> dict:
    while time.monotonic() < deadline:
        entry = _store.get(keys.key_set)
        if entry is not None:
            return entry
        if _store.get(keys.failed_marker) or not _store.get(keys.fetching_lock):
            break
        time.sleep(0.05)
    entry = _store.get(keys.key_set)
    if entry is None:
        raise KeySetUnavailable("Auth0's key set could not be fetched; retrying shortly.")
    return entry


def _refetch(url: str, keys: _CacheKeys, reason: str) -> dict | None:
    """A fresh key set, or None when another fetch happened within the
    cooldown or this one failed (the caller keeps the cached set)."""
    if not _store.add(
        keys.refetch_marker, True, timeout=settings.AUTH0_JWKS_REFETCH_COOLDOWN_SECONDS
    ):
        return None
    logger.info("Fetching Auth0's key set from %s (%s).", url, reason)
    try:
        return _fetch_and_store(url, keys)
    except JWKSFetchError as exc:
        logger.warning(
            "Could not refresh Auth0's key set from %s, keeping the cached one: %s", url, exc
        )
        return None


def _fetch_and_store(url: str, keys: _CacheKeys) -> dict:
    entry = {"fetched_at": time.time(), "keys": _signing_keys(_download(url))}
    _store.set(keys.key_set, entry, timeout=None)
    return entry


def _download(url: str) -> bytes:
    """GET the key set. Each network wait is bounded by the timeout, and the
    whole download by the same deadline."""
    timeout = settings.AUTH0_JWKS_FETCH_TIMEOUT_SECONDS
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = b""
            while chunk := response.read(16384):
                body += chunk
                if len(body) > MAX_JWKS_BYTES:
                    raise JWKSFetchError("the response is larger than a key set can be")
                if time.monotonic() > deadline:
                    raise JWKSFetchError(f"no complete answer within {timeout} s")
            return body
    except urllib.error.HTTPError as exc:
        raise JWKSFetchError(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise JWKSFetchError(f"{exc.__class__.__name__}: {reason}") from exc


def _signing_keys(body: bytes) -> dict[str, dict]:
    """The RSA signature keys of a JWKS document, by `kid`."""
    try:
        document = json.loads(body)
    except ValueError as exc:
        raise JWKSFetchError("the response is not JSON") from exc
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise JWKSFetchError("the response has no 'keys' list")
    found = {}
    for jwk in document["keys"]:
        if not isinstance(jwk, dict) or not isinstance(jwk.get("kid"), str):
            continue
        if (
            jwk.get("kty") != "RSA"
            or jwk.get("use", "sig") != "sig"
            or jwk.get("alg", "RS256") != "RS256"
        ):
            continue
        try:
            _parse_key(json.dumps(jwk, sort_keys=True))
        except jwt.PyJWTError:
            logger.warning("Ignoring an unusable key %r in Auth0's key set.", jwk["kid"])
            continue
        found[jwk["kid"]] = jwk
    if not found:
        raise JWKSFetchError("the key set has no usable RSA signing key")
    return found


@lru_cache(maxsize=64)
def _parse_key(jwk_json: str) -> jwt.PyJWK:
    # Parsing an RSA key costs more than verifying with it; each process does it once per key.
    return jwt.PyJWK(json.loads(jwk_json), algorithm="RS256")
