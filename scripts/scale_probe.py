"""The scale check's measurements that run inside a copy of the project, each
in a fresh process so "cold" means cold.

    python scale_probe.py generate SPECS.json   make tools with `newtool`, in this process
    python scale_probe.py inspect               apps, models, URL patterns, schema generation
    python scale_probe.py manifest N            GET /api/v1/tools/ through the whole stack

Run with the copy as the working directory and on PYTHONPATH, and the
copy's settings in the environment; each prints one JSON object.
"""

import json
import os
import statistics
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path


def generate(specs_path: str) -> dict:
    """Run `newtool` for each argument list in the file, in this process.

    The files are exactly those `newtool` writes: the command runs whole
    (parsing, every check, staging, the atomic move) except its last step,
    `makemigrations <slug>` in a fresh process per tool, which the scale
    check runs once for all the tools instead.
    """
    import django

    django.setup()
    from django.core.management import call_command

    from apps.core.scaffold import writer

    writer._make_migrations = lambda project_dir, slug: None
    seconds = []
    for args in json.loads(Path(specs_path).read_text()):
        started = time.perf_counter()
        call_command("newtool", *args, stdout=StringIO())
        seconds.append(time.perf_counter() - started)
    return {"tools": len(seconds), "seconds": sum(seconds), "max_seconds": max(seconds)}


def inspect() -> dict:
    """What the suite is made of, and the time to generate its OpenAPI schema
    in a process that has loaded nothing yet (cold) and again (warm)."""
    import django

    started = time.perf_counter()
    django.setup()
    setup_seconds = time.perf_counter() - started
    from django.apps import apps
    from django.contrib import admin
    from django.urls import get_resolver
    from drf_spectacular.generators import SchemaGenerator

    from apps.core.tools import entity_models, installed_tools

    started = time.perf_counter()
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 (imports the URLconf: every tool's API)
    urls_seconds = time.perf_counter() - started
    timings = []
    for _ in range(2):
        started = time.perf_counter()
        schema = SchemaGenerator().get_schema(request=None, public=True)
        timings.append(time.perf_counter() - started)
    return {
        "setup_seconds": setup_seconds,
        "apps": len(apps.get_app_configs()),
        "tools": len(installed_tools()),
        "entities": len(entity_models()),
        "models": len(apps.get_models()),
        "admin_models": len(admin.site._registry),
        "url_patterns": _count_patterns(resolver.url_patterns),
        "urls_seconds": urls_seconds,
        "schema_paths": len(schema["paths"]),
        "schema_cold_seconds": timings[0],
        "schema_warm_seconds": timings[1],
    }


def _count_patterns(patterns) -> int:
    return sum(
        _count_patterns(p.url_patterns) if hasattr(p, "url_patterns") else 1 for p in patterns
    )


def manifest(requests: int, warmup: int = 20) -> dict:
    """Time `GET /api/v1/tools/` through Django's whole stack (middleware,
    Auth0 bearer-token authentication, throttling, permissions, rendering)
    for a user whose token holds `*:read`.

    A stand-in Auth0 tenant on 127.0.0.1 publishes the signing key, as in
    the auth tests. The key set is fetched and the user exists before the
    first request (as on any replica after its first minute), so the cold
    request measures loading the URLconf and building the manifest.
    """
    import jwt
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    server = _serve_json({"keys": [{**jwk, "kid": "scale", "use": "sig", "alg": "RS256"}]})
    issuer, audience = "https://scale.example.test/", "https://api.scale.example.test"
    os.environ.update(
        AUTH0_DOMAIN="scale.example.test",
        AUTH0_ISSUER=issuer,
        AUTH0_API_AUDIENCE=audience,
        AUTH0_JWKS_URL=f"http://127.0.0.1:{server.server_port}/jwks.json",
        ALLOWED_HOSTS="testserver",
        API_THROTTLE_USER="100000/min",
    )
    import django

    django.setup()
    from django.test import Client

    from apps.core.auth import jwks
    from apps.core.auth.users import user_for_claims

    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": audience,
        "sub": "auth0|scale-check",
        "iat": now,
        "exp": now + 3600,
        "permissions": ["*:read"],
    }
    token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "scale"})
    jwks.signing_key("scale")
    user_for_claims(claims)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def timed(**headers) -> tuple[float, object]:
        started = time.perf_counter()
        response = client.get("/api/v1/tools/", **headers)
        return time.perf_counter() - started, response

    cold, response = timed()
    if response.status_code != 200:
        raise SystemExit(f"The manifest answered {response.status_code}: {response.content[:300]}")
    body = response.json()
    for _ in range(warmup):
        timed()
    warm = sorted(timed()[0] for _ in range(requests))
    etag = response["ETag"]
    not_modified = sorted(timed(HTTP_IF_NONE_MATCH=etag)[0] for _ in range(requests))
    server.shutdown()
    return {
        "tools": len(body["tools"]),
        "bytes": len(response.content),
        "cold_ms": cold * 1000,
        "warm_median_ms": statistics.median(warm) * 1000,
        "warm_p95_ms": warm[int(len(warm) * 0.95) - 1] * 1000,
        "not_modified_median_ms": statistics.median(not_modified) * 1000,
        "requests": requests,
    }


def _serve_json(body: dict) -> ThreadingHTTPServer:
    data = json.dumps(body).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    if command == "generate":
        result = generate(*arguments)
    elif command == "inspect":
        result = inspect()
    elif command == "manifest":
        result = manifest(int(arguments[0]))
    else:
        raise SystemExit(f"unknown command {command!r}")
    print(json.dumps(result))
