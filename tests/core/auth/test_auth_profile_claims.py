"""What a token's profile claims may write: an email address whole or not at
all, never one cut to its column; names without invisible characters."""

import pytest
from auth0_fakes import ME_URL, bearer

from apps.core.models import User

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


def test_invisible_characters_are_taken_out_of_the_names_a_token_gives(client, make_token):
    """A person is shown by name as the author of changes: "\u202eevE" would
    show as "Eve" reversed, a zero-width space as nothing at all."""
    token = make_token(
        {"sub": "auth0|eve", "given_name": "\u202eEve\u200b", "family_name": "L\u2066ee"}
    )

    me = client.get(ME_URL, headers=bearer(token)).json()

    assert me["name"] == "Eve Lee"
    assert User.objects.values_list("first_name", "last_name").get(external_id="auth0|eve") == (
        "Eve",
        "Lee",
    )


def test_a_name_claim_of_invisible_characters_only_is_no_name(client, make_token):
    token = make_token({"sub": "auth0|ghost", "name": "\u202e\u200b"})

    assert client.get(ME_URL, headers=bearer(token)).status_code == 200
    assert User.objects.get(external_id="auth0|ghost").first_name == ""
