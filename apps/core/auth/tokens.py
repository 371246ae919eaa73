"""Verifying an Auth0 access token: signature, algorithm and registered claims.

RS256 is the only algorithm, on purpose and not a setting: `alg: none`, HS256
(including HS256 "signed" with the public key) and everything else is refused
before any key is looked at. Messages say what is wrong in words a developer
can act on, and never quote keys or the token.
"""

import jwt
from django.conf import settings

from apps.core.auth import jwks
from apps.core.db import storable

ALGORITHM = "RS256"
REQUIRED_CLAIMS = ("exp", "iat", "iss", "aud", "sub")
# The longest subject a user's `external_id` holds.
SUBJECT_MAX_LENGTH = 255
# Far larger than any Auth0 access token; refuses garbage before parsing it.
MAX_TOKEN_LENGTH = 16384


class AuthNotConfigured(Exception):
    """The server lacks the settings to verify any token."""


class InvalidToken(Exception):
    """The token cannot be trusted; `code` is machine-readable, the message is for people."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


def verify_access_token(token: str) -> dict:
    """The claims of a valid access token for this API, or InvalidToken.

    Raises `jwks.KeySetUnavailable` when Auth0's keys cannot be had at all:
    that is the server's problem, not the token's.
    """
    if not (settings.AUTH0_API_AUDIENCE and settings.AUTH0_ISSUER):
        raise AuthNotConfigured(
            "Auth0 sign-in is not configured on this server "
            "(set AUTH0_DOMAIN and AUTH0_API_AUDIENCE)."
        )
    if len(token) > MAX_TOKEN_LENGTH:
        raise InvalidToken("The token is too long to be an access token.", "malformed_token")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise InvalidToken("The token is not a well-formed JWT.", "malformed_token") from None
    algorithm = header.get("alg")
    if algorithm != ALGORITHM:
        raise InvalidToken(
            f"The token is signed with {str(algorithm)[:20]!r}; this API accepts RS256 only.",
            "unsupported_algorithm",
        )
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise InvalidToken("The token header has no key id (kid).", "unknown_signing_key")
    try:
        key = jwks.signing_key(kid)
    except jwks.UnknownSigningKey:
        raise InvalidToken(
            "The token is signed with a key Auth0 does not publish for this tenant "
            "(unknown kid). Was it issued by another tenant?",
            "unknown_signing_key",
        ) from None
    try:
        claims = jwt.decode(
            token,
            key.key,
            algorithms=[ALGORITHM],
            audience=settings.AUTH0_API_AUDIENCE,
            issuer=settings.AUTH0_ISSUER,
            leeway=settings.AUTH0_JWT_LEEWAY_SECONDS,
            options={"require": list(REQUIRED_CLAIMS)},
        )
    except jwt.PyJWTError as exc:
        raise _invalid(exc) from None
    if not isinstance(claims["sub"], str) or not claims["sub"]:
        raise InvalidToken("The token's 'sub' claim is empty.", "invalid_claim")
    if len(claims["sub"]) > SUBJECT_MAX_LENGTH or not storable(claims["sub"]):
        raise InvalidToken(
            f"The token's 'sub' claim must be text of at most {SUBJECT_MAX_LENGTH} characters.",
            "invalid_claim",
        )
    # PyJWT takes a numeric string for `exp` ("1765000000" passes int());
    # the token's times are kept as the numbers they must be (RFC 7519: NumericDate).
    for claim in ("exp", "iat"):
        if isinstance(claims[claim], bool) or not isinstance(claims[claim], (int, float)):
            raise InvalidToken(f"The token's '{claim}' claim must be a number.", "invalid_claim")
    _check_lifetime(claims)
    return claims


def _check_lifetime(claims: dict):
    """A token valid for longer than `AUTH0_MAX_TOKEN_LIFETIME_SECONDS`, from
    its `iat` to its `exp`, is refused: a stolen one would open the API for
    that long, and no tenant of ours issues one."""
    limit = settings.AUTH0_MAX_TOKEN_LIFETIME_SECONDS
    if claims["exp"] - claims["iat"] > limit:
        raise InvalidToken(
            f"The token is valid for longer than this API accepts: at most {limit} seconds "
            "from 'iat' to 'exp'. Get a token with a shorter lifetime.",
            "token_lifetime_too_long",
        )


def _invalid(exc: jwt.PyJWTError) -> InvalidToken:
    audience, issuer = settings.AUTH0_API_AUDIENCE, settings.AUTH0_ISSUER
    match exc:
        case jwt.ExpiredSignatureError():
            return InvalidToken("The token has expired; get a new one.", "token_expired")
        case jwt.ImmatureSignatureError():
            return InvalidToken(
                "The token is not valid yet (nbf or iat is in the future); check the clocks.",
                "token_not_yet_valid",
            )
        case jwt.MissingRequiredClaimError():
            return InvalidToken(f"The token has no '{exc.claim}' claim.", "missing_claim")
        case jwt.InvalidAudienceError():
            return InvalidToken(
                f"The token is not for this API: its audience (aud) must include '{audience}'. "
                "Request the token with that audience.",
                "invalid_audience",
            )
        case jwt.InvalidIssuerError():
            return InvalidToken(
                f"The token was not issued by '{issuer}' (iss must match exactly, "
                "trailing slash included).",
                "invalid_issuer",
            )
        case jwt.InvalidSignatureError():
            return InvalidToken("The token's signature does not verify.", "invalid_signature")
        case jwt.InvalidAlgorithmError():
            return InvalidToken("This API accepts RS256 tokens only.", "unsupported_algorithm")
        case jwt.DecodeError():
            return InvalidToken("The token is not a well-formed JWT.", "malformed_token")
        case _:
            return InvalidToken(f"The token's claims are invalid ({exc}).", "invalid_claim")
