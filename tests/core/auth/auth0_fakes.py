"""The stand-in Auth0 tenant and token helpers the auth tests share.

`FakeAuth0` serves on 127.0.0.1 what the suite fetches from Auth0: the key
set (JWKS) and, for the admin sign-in, the token and UserInfo endpoints.
Tests change what it publishes, take it down, slow it and count fetches.
"""

import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives import serialization

from apps.core.testing.http import JsonHandler

ISSUER = "https://tenant.example.test/"
AUDIENCE = "https://api.toolsuite.test"
ROLES_CLAIM = "https://toolsuite.example.com/roles"
ADMIN_CLIENT_ID = "admin-client-id"
ME_URL = "/api/v1/me/"
COMPONENTS_URL = "/api/v1/components/components/"


def public_jwk(kid: str, private_key) -> dict:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private_key.public_key()))
    return {**jwk, "kid": kid, "use": "sig", "alg": "RS256"}


class FakeAuth0:
    """One tenant: publishes some of the test keys, answers token requests
    with `token_response` and UserInfo with `userinfo`."""

    def __init__(self, rsa_keys):
        self.rsa_keys = rsa_keys
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.fake = self
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self.jwks_url = f"{self.url}/.well-known/jwks.json"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        self.reset()

    def reset(self):
        self.published = ["tenant-key-1"]
        self.jwks_fetches = 0
        self.down = False
        self.delay = 0.0
        self.token_response = None
        self.token_requests = []
        self.userinfo = None

    def publish(self, *kids: str):
        self.published = list(kids)

    def jwks(self) -> dict:
        return {"keys": [public_jwk(kid, self.rsa_keys[kid]) for kid in self.published]}

    def stop(self):
        self._server.shutdown()
        self._server.server_close()


class _Handler(JsonHandler):
    def do_GET(self):
        fake = self.server.fake
        if self.path == "/.well-known/jwks.json":
            fake.jwks_fetches += 1
            if fake.delay:
                time.sleep(fake.delay)
            if fake.down:
                return self.send_json(503, {"error": "down"})
            return self.send_json(200, fake.jwks())
        if self.path == "/userinfo" and fake.userinfo is not None:
            return self.send_json(200, fake.userinfo)
        return self.send_json(404, {"error": "not_found"})

    def do_POST(self):
        fake = self.server.fake
        length = int(self.headers.get("Content-Length", 0))
        form = parse_qs(self.rfile.read(length).decode())
        if self.path == "/oauth/token" and fake.token_response is not None:
            fake.token_requests.append(form)
            return self.send_json(200, fake.token_response)
        return self.send_json(404, {"error": "not_found"})


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def unsigned_token(header: dict, payload: dict, sign=None) -> str:
    """A JWT put together by hand (for algorithms PyJWT rightly refuses to produce)."""

    def segment(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    signing_input = f"{segment(header)}.{segment(payload)}"
    signature = sign(signing_input.encode()) if sign else b""
    return f"{signing_input}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


def hs256_with_public_key(private_key, payload: dict, kid: str) -> str:
    """The classic key-confusion forgery: HS256 keyed with the RSA public key."""
    public_pem = private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return unsigned_token(
        {"alg": "HS256", "typ": "JWT", "kid": kid},
        payload,
        sign=lambda data: hmac.new(public_pem, data, hashlib.sha256).digest(),
    )


def claims_for(sub="auth0|alice", **extra) -> dict:
    now = int(time.time())
    return {"iss": ISSUER, "aud": AUDIENCE, "sub": sub, "iat": now, "exp": now + 3600, **extra}
