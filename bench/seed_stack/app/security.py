"""Pattern 2.3: Auth0 RS256 bearer tokens, verified with python-jose on every
request against a JWKS fetched once per process and cached.

AUTH0_JWKS_URL is the one addition: the seed always fetches
https://{AUTH0_DOMAIN}/.well-known/jwks.json, and the benchmark serves its
keys over plain HTTP on 127.0.0.1. The issuer stays https://{AUTH0_DOMAIN}/.
"""

import os
from typing import Annotated

import httpx
from fastapi import Depends, HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from jose import JWTError, jwt

security = HTTPBearer()

AUTH0_DOMAIN = os.getenv("AUTH0_DOMAIN")
AUTH0_API_AUDIENCE = os.getenv("AUTH0_API_AUDIENCE")
AUTH0_JWKS_URL = os.getenv("AUTH0_JWKS_URL") or f"https://{AUTH0_DOMAIN}/.well-known/jwks.json"
ALGORITHMS = ["RS256"]

# Cache JWKS keys
_jwks_cache = None


async def get_jwks():
    global _jwks_cache
    if _jwks_cache is None:
        async with httpx.AsyncClient() as client:
            response = await client.get(AUTH0_JWKS_URL)
            _jwks_cache = response.json()
    return _jwks_cache


async def get_current_user(
    credentials: Annotated[HTTPAuthorizationCredentials, Depends(security)],
):
    token = credentials.credentials

    try:
        jwks = await get_jwks()
        unverified_header = jwt.get_unverified_header(token)

        # Find matching key
        rsa_key = None
        for key in jwks["keys"]:
            if key["kid"] == unverified_header["kid"]:
                rsa_key = {
                    "kty": key["kty"],
                    "kid": key["kid"],
                    "use": key["use"],
                    "n": key["n"],
                    "e": key["e"],
                }
                break

        if not rsa_key:
            raise HTTPException(status_code=401, detail="Invalid token")

        payload = jwt.decode(
            token,
            rsa_key,
            algorithms=ALGORITHMS,
            audience=AUTH0_API_AUDIENCE,
            issuer=f"https://{AUTH0_DOMAIN}/",
        )

        return {
            "sub": payload.get("sub"),
            "email": payload.get("email", payload.get(f"{AUTH0_API_AUDIENCE}/email")),
        }

    except JWTError as e:
        raise HTTPException(status_code=401, detail=f"Invalid token: {e!s}") from e
