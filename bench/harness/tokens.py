"""The identity provider of the benchmark: an RSA key, its JWKS served on
127.0.0.1, and one long-lived RS256 token signed with it. Both stacks
verify that token against that JWKS, as they would against Auth0."""

import base64
import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

JWKS_PATH = "/.well-known/jwks.json"
PERMISSIONS = ["components:read", "components:write"]
TOKEN_LIFETIME = 24 * 3600


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64url_int(value: int) -> str:
    return _b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


class SigningKey:
    def __init__(self):
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        numbers = self.private_key.public_key().public_numbers()
        self.jwk = {
            "kty": "RSA",
            "use": "sig",
            "alg": "RS256",
            "n": _b64url_int(numbers.n),
            "e": _b64url_int(numbers.e),
        }
        # RFC 7638 thumbprint: a new key never reuses a kid another run cached.
        canonical = json.dumps(
            {k: self.jwk[k] for k in ("e", "kty", "n")}, separators=(",", ":"), sort_keys=True
        )
        self.jwk["kid"] = _b64url(hashlib.sha256(canonical.encode()).digest())

    def jwks(self) -> dict:
        return {"keys": [self.jwk]}

    def sign(self, claims: dict) -> str:
        header = {"alg": "RS256", "typ": "JWT", "kid": self.jwk["kid"]}
        signing_input = ".".join(
            _b64url(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims)
        )
        signature = self.private_key.sign(
            signing_input.encode(), padding.PKCS1v15(), hashes.SHA256()
        )
        return f"{signing_input}.{_b64url(signature)}"


def bench_token(key: SigningKey, *, issuer: str, audience: str, subject: str) -> str:
    now = int(time.time())
    return key.sign(
        {
            "iss": issuer,
            "sub": subject,
            "aud": audience,
            "iat": now,
            "exp": now + TOKEN_LIFETIME,
            "email": "bench@bench.local",
            "permissions": PERMISSIONS,
        }
    )


class JwksServer:
    """A threaded HTTP server answering the JWKS on 127.0.0.1 (any free port)."""

    def __init__(self, jwks: dict):
        body = json.dumps(jwks).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path != JWKS_PATH:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{JWKS_PATH}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
