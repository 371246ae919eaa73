"""What a token's profile claims may write: an email address whole or not at
all, never one cut to its column."""

import pytest
from auth0_fakes import ME_URL, bearer

pytestmark = pytest.mark.django_db

TOO_LONG = "a" * 390 + "@example.com"  # 402 characters: the column takes 254


def test_an_email_claim_longer_than_the_column_is_not_stored_cut(client, make_token):
    token = make_token({"sub": "auth0|long", "email": TOO_LONG, "given_name": "Ada"})

    me = client.get(ME_URL, headers=bearer(token)).json()

    assert me["email"] == ""  # not "aaa…a" without its domain
    assert me["name"] == "Ada"


def test_a_too_long_email_claim_leaves_the_address_known_before(client, make_token):
    client.get(ME_URL, headers=bearer(make_token({"sub": "auth0|k", "email": "k@example.com"})))

    me = client.get(ME_URL, headers=bearer(make_token({"sub": "auth0|k", "email": TOO_LONG})))

    assert me.json()["email"] == "k@example.com"
