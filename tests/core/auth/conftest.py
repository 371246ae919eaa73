"""Fixtures of the auth tests: a stand-in Auth0 tenant on 127.0.0.1 and
tokens signed with RSA keys generated here.

No real Auth0 host is contacted and the verification code is never mocked:
the suite fetches the key set over HTTP from the fake tenant and verifies
tokens signed by `make_token` exactly as it would in production.
"""

import time

import jwt
import pytest
from auth0_fakes import AUDIENCE, ISSUER, ROLES_CLAIM, FakeAuth0
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.cache import cache

from apps.core.auth.jwks import clear_parsed_keys
from apps.core.auth.token_cache import verified_tokens


@pytest.fixture(scope="session")
def rsa_keys():
    """Three 2048-bit keys: the tenant's, the one it rotates to, and a stranger's."""
    return {
        name: rsa.generate_private_key(public_exponent=65537, key_size=2048)
        for name in ("tenant-key-1", "tenant-key-2", "stranger-key")
    }


@pytest.fixture(scope="session")
def fake_auth0_server(rsa_keys):
    server = FakeAuth0(rsa_keys)
    yield server
    server.stop()


@pytest.fixture
def auth0(fake_auth0_server):
    fake_auth0_server.reset()
    return fake_auth0_server


@pytest.fixture(autouse=True)
def auth0_settings(settings, auth0):
    """The suite pointed at the fake tenant, with every cache empty."""
    settings.AUTH0_DOMAIN = "tenant.example.test"
    settings.AUTH0_ISSUER = ISSUER
    settings.AUTH0_API_AUDIENCE = AUDIENCE
    settings.AUTH0_JWKS_URL = auth0.jwks_url
    settings.AUTH0_JWT_LEEWAY_SECONDS = 60
    settings.AUTH0_JWKS_CACHE_SECONDS = 600
    settings.AUTH0_JWKS_REFETCH_COOLDOWN_SECONDS = 300
    settings.AUTH0_JWKS_RETRY_SECONDS = 30
    settings.AUTH0_JWKS_FETCH_TIMEOUT_SECONDS = 5
    settings.AUTH_TOKEN_CACHE_SECONDS = 60
    settings.AUTH0_ROLES_CLAIM = ROLES_CLAIM
    settings.AUTH0_SUPERUSER_ROLE = "suite-admin"
    settings.AUTH0_STAFF_ROLE = "suite-staff"
    _forget_everything()
    yield settings
    _forget_everything()


def _forget_everything():
    cache.clear()
    verified_tokens.clear()
    clear_parsed_keys()


@pytest.fixture
def make_token(rsa_keys):
    """Sign an access token the way Auth0 does. `claims` override the defaults
    (None removes a claim); `key` picks the signing key and, unless `kid` is
    given, the kid in the header."""

    def make(claims=None, *, key="tenant-key-1", kid=None, lifetime=3600):
        now = int(time.time())
        payload = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": "auth0|alice",
            "iat": now,
            "exp": now + lifetime,
            "scope": "",
            "permissions": ["components:read"],
        }
        payload.update(claims or {})
        payload = {name: value for name, value in payload.items() if value is not None}
        return jwt.encode(payload, rsa_keys[key], algorithm="RS256", headers={"kid": kid or key})

    return make
