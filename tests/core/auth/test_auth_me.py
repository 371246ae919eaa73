"""GET /api/v1/me/: who the caller is and what the token lets them do."""

import pytest
from auth0_fakes import ME_URL, bearer

pytestmark = pytest.mark.django_db


def tool_levels(body) -> dict:
    return {tool["slug"]: tool["levels"] for tool in body["tools"]}


def test_me_returns_the_identity_and_the_permissions(client, make_token, django_user_model):
    token = make_token(
        {
            "sub": "auth0|erin",
            "email": "erin@example.com",
            "name": "Erin Example",
            "permissions": ["components:write", "components:read"],
            "scope": "openid profile",
        }
    )

    response = client.get(ME_URL, headers=bearer(token))

    erin = django_user_model.objects.get(external_id="auth0|erin")
    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in ("id", "username", "name", "email", "external_id")} == {
        "id": erin.pk,
        "username": "auth0.erin",
        "name": "Erin Example",
        "email": "erin@example.com",
        "external_id": "auth0|erin",
    }
    assert body["permissions"] == ["components:read", "components:write"]
    assert tool_levels(body)["components"] == ["read", "write"]
    assert body["tools"][0] == {
        "slug": "components",
        "name": "Components",
        "levels": ["read", "write"],
    }


def test_me_resolves_wildcards_per_tool(client, make_token):
    token = make_token({"permissions": ["*:read", "components:admin"]})

    body = client.get(ME_URL, headers=bearer(token)).json()

    assert tool_levels(body)["components"] == ["read", "admin"]


def test_me_lists_every_installed_tool_even_without_permissions(client, make_token):
    body = client.get(ME_URL, headers=bearer(make_token({"permissions": []}))).json()

    assert body["permissions"] == []
    assert tool_levels(body)["components"] == []


def test_me_needs_authentication(client):
    assert client.get(ME_URL).status_code == 401
