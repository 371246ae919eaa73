"""Which access tokens the API accepts, and what it answers to the others."""

import time

import pytest
from auth0_fakes import (
    AUDIENCE,
    ISSUER,
    ME_URL,
    bearer,
    claims_for,
    hs256_with_public_key,
    unsigned_token,
)

pytestmark = pytest.mark.django_db


def assert_invalid_token(response, code: str):
    assert response.status_code == 401, response.content
    body = response.json()
    assert body["code"] == code
    header = response.headers["WWW-Authenticate"]
    assert header.startswith('Bearer realm="api", error="invalid_token"')
    assert "error_description=" in header
    return body["detail"]


def test_a_valid_token_signs_the_caller_in(client, make_token):
    response = client.get(ME_URL, headers=bearer(make_token({"sub": "auth0|alice"})))

    assert response.status_code == 200
    assert response.json()["external_id"] == "auth0|alice"


def test_an_expired_token_is_refused(client, make_token):
    token = make_token({"iat": int(time.time()) - 7200, "exp": int(time.time()) - 120})

    detail = assert_invalid_token(client.get(ME_URL, headers=bearer(token)), "token_expired")
    assert "expired" in detail


def test_a_token_expired_within_the_leeway_is_accepted(client, make_token):
    token = make_token({"iat": int(time.time()) - 3600, "exp": int(time.time()) - 30})

    assert client.get(ME_URL, headers=bearer(token)).status_code == 200


def test_a_token_made_to_last_for_years_is_refused(client, make_token):
    token = make_token(lifetime=100 * 365 * 86400)

    detail = assert_invalid_token(
        client.get(ME_URL, headers=bearer(token)), "token_lifetime_too_long"
    )
    assert "86400 seconds" in detail


def test_a_token_of_auth0s_default_lifetime_is_accepted(client, make_token):
    token = make_token({"iat": int(time.time()) - 600}, lifetime=86400 - 600)

    assert client.get(ME_URL, headers=bearer(token)).status_code == 200


def test_the_longest_lifetime_is_a_setting(client, make_token, settings):
    settings.AUTH0_MAX_TOKEN_LIFETIME_SECONDS = 3600
    now = int(time.time())

    longer = make_token({"iat": now, "exp": now + 3601})
    assert_invalid_token(client.get(ME_URL, headers=bearer(longer)), "token_lifetime_too_long")
    within = make_token({"iat": now, "exp": now + 3600})
    assert client.get(ME_URL, headers=bearer(within)).status_code == 200


def test_a_token_not_valid_yet_is_refused(client, make_token):
    token = make_token({"nbf": int(time.time()) + 600})

    assert_invalid_token(client.get(ME_URL, headers=bearer(token)), "token_not_yet_valid")


def test_a_token_for_another_audience_is_refused(client, make_token):
    token = make_token({"aud": "https://another-api.example.test"})

    detail = assert_invalid_token(client.get(ME_URL, headers=bearer(token)), "invalid_audience")
    assert AUDIENCE in detail


def test_an_audience_list_containing_this_api_is_accepted(client, make_token):
    token = make_token({"aud": [AUDIENCE, f"{ISSUER}userinfo"]})

    assert client.get(ME_URL, headers=bearer(token)).status_code == 200


def test_an_audience_list_without_this_api_is_refused(client, make_token):
    token = make_token({"aud": ["https://another-api.example.test", f"{ISSUER}userinfo"]})

    assert_invalid_token(client.get(ME_URL, headers=bearer(token)), "invalid_audience")


def test_a_token_from_another_issuer_is_refused(client, make_token):
    token = make_token({"iss": "https://evil.example.test/"})

    detail = assert_invalid_token(client.get(ME_URL, headers=bearer(token)), "invalid_issuer")
    assert ISSUER in detail


def test_an_issuer_without_the_trailing_slash_is_refused(client, make_token):
    token = make_token({"iss": ISSUER.rstrip("/")})

    detail = assert_invalid_token(client.get(ME_URL, headers=bearer(token)), "invalid_issuer")
    assert "trailing slash" in detail


@pytest.mark.parametrize("claim", ["exp", "sub", "iat", "iss", "aud"])
def test_a_token_missing_a_required_claim_is_refused(client, make_token, claim):
    token = make_token({claim: None})

    detail = assert_invalid_token(client.get(ME_URL, headers=bearer(token)), "missing_claim")
    assert f"'{claim}'" in detail


def test_an_unsigned_token_alg_none_is_refused(client):
    token = unsigned_token({"alg": "none", "typ": "JWT", "kid": "tenant-key-1"}, claims_for())

    detail = assert_invalid_token(
        client.get(ME_URL, headers=bearer(token)), "unsupported_algorithm"
    )
    assert "RS256" in detail


def test_hs256_signed_with_the_public_key_is_refused(client, rsa_keys):
    token = hs256_with_public_key(
        rsa_keys["tenant-key-1"], claims_for(permissions=["*:admin"]), kid="tenant-key-1"
    )

    assert_invalid_token(client.get(ME_URL, headers=bearer(token)), "unsupported_algorithm")


def test_a_token_with_a_tampered_payload_is_refused(client, make_token):
    header, _, signature = make_token({"permissions": ["components:read"]}).split(".")
    forged_payload = unsigned_token({}, claims_for(permissions=["*:admin"])).split(".")[1]
    token = f"{header}.{forged_payload}.{signature}"

    assert_invalid_token(client.get(ME_URL, headers=bearer(token)), "invalid_signature")


def test_a_token_signed_by_a_stranger_under_the_tenants_kid_is_refused(client, make_token):
    token = make_token(key="stranger-key", kid="tenant-key-1")

    assert_invalid_token(client.get(ME_URL, headers=bearer(token)), "invalid_signature")


def test_garbage_is_refused_as_malformed(client):
    assert_invalid_token(client.get(ME_URL, headers=bearer("not-a-jwt")), "malformed_token")


def test_a_request_without_credentials_gets_a_bare_bearer_challenge(client):
    response = client.get(ME_URL)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'


def test_another_authorization_scheme_is_not_a_credential(client):
    response = client.get(ME_URL, headers={"Authorization": "Basic YWxpY2U6c2VjcmV0"})

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_bearer_header_without_a_token_is_an_invalid_request(client):
    response = client.get(ME_URL, headers={"Authorization": "Bearer "})

    assert response.status_code == 401
    assert response.json()["code"] == "malformed_header"
    assert 'error="invalid_request"' in response.headers["WWW-Authenticate"]


def test_a_token_in_the_query_string_is_ignored(client, make_token):
    token = make_token()

    response = client.get(ME_URL, {"access_token": token, "token": token})

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_token_in_a_cookie_is_ignored(client, make_token):
    token = make_token()
    client.cookies["access_token"] = token
    client.cookies["Authorization"] = f"Bearer {token}"

    response = client.get(ME_URL)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_errors_never_echo_the_token_or_key_material(client, make_token, rsa_keys):
    token = make_token(key="stranger-key", kid="tenant-key-1")

    response = client.get(ME_URL, headers=bearer(token))

    text = response.content.decode() + response.headers["WWW-Authenticate"]
    modulus = str(rsa_keys["tenant-key-1"].public_key().public_numbers().n)[:40]
    assert token not in text
    assert token.split(".")[2][:20] not in text
    assert modulus not in text
    assert "BEGIN" not in text


def test_a_deactivated_user_is_refused(client, make_token, django_user_model):
    django_user_model.objects.create(username="bob", external_id="auth0|bob", is_active=False)

    response = client.get(ME_URL, headers=bearer(make_token({"sub": "auth0|bob"})))

    assert_invalid_token(response, "user_inactive")


def test_without_auth0_settings_a_token_gets_503_naming_what_is_missing(
    client, make_token, settings
):
    settings.AUTH0_API_AUDIENCE = ""

    response = client.get(ME_URL, headers=bearer(make_token()))

    assert response.status_code == 503
    assert "AUTH0_API_AUDIENCE" in response.json()["detail"]


@pytest.mark.parametrize(
    "claims",
    [
        {"exp": str(int(time.time()) + 3600)},
        {"iat": str(int(time.time()))},
        {"sub": "auth0|" + "x" * 250},
        {"sub": "auth0|a\x00b"},
        {"sub": "auth0|\ud800"},
    ],
    ids=["exp-as-text", "iat-as-text", "sub-too-long", "sub-with-nul", "sub-with-surrogate"],
)
def test_a_claim_no_user_can_keep_is_an_invalid_claim(client, make_token, claims):
    # PyJWT takes a numeric string for `exp`; a `sub` longer than a user's
    # external id, or with what no database stores, would fail every request.
    token = make_token(claims)
    for response in (
        client.get(ME_URL, headers=bearer(token)),
        client.post(
            "/api/v1/components/components/",
            {"name": "x", "part_number": "P-1"},
            headers=bearer(token),
            content_type="application/json",
        ),
    ):
        assert_invalid_token(response, "invalid_claim")
