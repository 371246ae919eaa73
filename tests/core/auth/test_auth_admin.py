"""The Django admin signs in through Auth0 (OpenID Connect, social-auth) and
takes staff and superuser status from the roles claim at every sign-in."""

import time
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from auth0_fakes import ADMIN_CLIENT_ID, ISSUER, ME_URL, ROLES_CLAIM, bearer
from django.core.management import call_command
from django.test import Client

from apps.core.auth.pipeline import apply_admin_roles, user_by_external_id

pytestmark = pytest.mark.django_db

LOGIN_URL = "/admin/login/"
AUTH0_BEGIN_URL = "/auth/login/auth0_openidconnect/"
AUTH0_COMPLETE_URL = "/auth/complete/auth0_openidconnect/"


@pytest.fixture
def admin_auth0(settings, auth0):
    """The admin's Auth0 application, pointed at the fake tenant (the real
    backend finds these endpoints through OpenID discovery)."""
    settings.SOCIAL_AUTH_AUTH0_OPENIDCONNECT_KEY = ADMIN_CLIENT_ID
    settings.SOCIAL_AUTH_AUTH0_OPENIDCONNECT_SECRET = "admin-client-secret"
    settings.SOCIAL_AUTH_AUTH0_OPENIDCONNECT_AUTHORIZATION_URL = f"{auth0.url}/authorize"
    settings.SOCIAL_AUTH_AUTH0_OPENIDCONNECT_ACCESS_TOKEN_URL = f"{auth0.url}/oauth/token"
    settings.SOCIAL_AUTH_AUTH0_OPENIDCONNECT_USERINFO_URL = f"{auth0.url}/userinfo"
    settings.SOCIAL_AUTH_AUTH0_OPENIDCONNECT_JWKS_URI = auth0.jwks_url
    settings.SOCIAL_AUTH_AUTH0_OPENIDCONNECT_ID_TOKEN_ISSUER = ISSUER
    settings.SOCIAL_AUTH_AUTH0_OPENIDCONNECT_TOKEN_ENDPOINT_AUTH_METHOD = "client_secret_post"
    return auth0


@pytest.fixture
def sign_in_with_auth0(admin_auth0, rsa_keys):
    """The whole browser round trip: the admin's button, Auth0's redirect
    back with a code, the code exchanged for an ID token signed by the tenant."""

    def sign_in(client, sub, roles, audience=ADMIN_CLIENT_ID, **profile):
        started = client.post(AUTH0_BEGIN_URL, {"next": "/admin/"})
        assert started.status_code == 302, started.content
        query = parse_qs(urlsplit(started["Location"]).query)
        assert started["Location"].startswith(f"{admin_auth0.url}/authorize?")
        assert query["client_id"] == [ADMIN_CLIENT_ID]
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": audience,
            "sub": sub,
            "iat": now,
            "exp": now + 600,
            "nonce": query["nonce"][0],
            ROLES_CLAIM: roles,
            **profile,
        }
        id_token = jwt.encode(
            claims, rsa_keys["tenant-key-1"], algorithm="RS256", headers={"kid": "tenant-key-1"}
        )
        admin_auth0.token_response = {
            "access_token": "opaque-access-token",
            "id_token": id_token,
            "token_type": "Bearer",
            "expires_in": 600,
        }
        admin_auth0.userinfo = {"sub": sub, **profile}
        return client.get(AUTH0_COMPLETE_URL, {"code": "auth-code", "state": query["state"][0]})

    return sign_in


def test_the_login_page_offers_sign_in_with_auth0_as_a_csrf_protected_post(client, admin_auth0):
    page = client.get(LOGIN_URL).content.decode()

    form = page[page.index('<form action="/auth/login/auth0_openidconnect/"') :]
    form = form[: form.index("</form>")]
    assert 'method="post"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert "Sign in with Auth0" in form


def test_without_an_auth0_application_the_button_is_hidden(client, settings):
    settings.SOCIAL_AUTH_AUTH0_OPENIDCONNECT_KEY = ""
    settings.ADMIN_PASSWORD_LOGIN = True

    page = client.get(LOGIN_URL).content.decode()

    assert "Sign in with Auth0" not in page
    assert 'name="password"' in page


def test_starting_the_auth0_sign_in_needs_a_post_with_a_csrf_token(admin_auth0):
    browser = Client(enforce_csrf_checks=True)

    assert browser.get(AUTH0_BEGIN_URL).status_code == 405
    assert browser.post(AUTH0_BEGIN_URL).status_code == 403


def test_an_auth0_admin_role_signs_in_a_superuser(client, sign_in_with_auth0, django_user_model):
    response = sign_in_with_auth0(
        client, "auth0|root", ["suite-admin"], email="root@example.com", name="Root Admin"
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    user = django_user_model.objects.get(external_id="auth0|root")
    assert (user.is_staff, user.is_superuser) == (True, True)
    assert (user.email, user.first_name) == ("root@example.com", "Root Admin")
    assert client.get("/admin/").status_code == 200


def test_a_removed_role_is_revoked_at_the_next_sign_in(sign_in_with_auth0, django_user_model):
    sign_in_with_auth0(Client(), "auth0|ex-admin", ["suite-admin"])
    browser = Client()

    sign_in_with_auth0(browser, "auth0|ex-admin", [])

    user = django_user_model.objects.get(external_id="auth0|ex-admin")
    assert (user.is_staff, user.is_superuser) == (False, False)
    assert browser.get("/admin/")["Location"].startswith(LOGIN_URL)


def test_the_staff_role_grants_staff_but_not_superuser(
    client, sign_in_with_auth0, django_user_model
):
    sign_in_with_auth0(client, "auth0|helper", ["suite-staff", "unrelated-role"])

    user = django_user_model.objects.get(external_id="auth0|helper")
    assert (user.is_staff, user.is_superuser) == (True, False)


def test_the_admin_user_and_the_api_user_of_one_sub_are_one_user(
    client, sign_in_with_auth0, make_token, django_user_model
):
    api_user_id = client.get(ME_URL, headers=bearer(make_token({"sub": "auth0|both"}))).json()["id"]

    sign_in_with_auth0(Client(), "auth0|both", ["suite-staff"])

    assert django_user_model.objects.filter(external_id="auth0|both").get().pk == api_user_id
    assert django_user_model.objects.get(pk=api_user_id).is_staff


def test_an_id_token_for_another_application_is_refused(
    client, sign_in_with_auth0, django_user_model
):
    response = sign_in_with_auth0(
        client, "auth0|mallory", ["suite-admin"], audience="another-client"
    )

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)
    assert "could not be verified" in client.get(response["Location"]).content.decode()
    assert not django_user_model.objects.filter(external_id="auth0|mallory").exists()


class FakeBackend:
    """What the pipeline steps read of social-auth's backend."""

    name = "auth0_openidconnect"

    def __init__(self, id_token):
        self.id_token = id_token


def test_the_pipeline_maps_the_sub_and_sets_staff_from_realistic_claims(django_user_model):
    id_token = {
        "iss": ISSUER,
        "aud": ADMIN_CLIENT_ID,
        "sub": "google-oauth2|1045",
        "email": "fay@example.com",
        "given_name": "Fay",
        "family_name": "Fairfax",
        ROLES_CLAIM: ["suite-staff"],
    }
    response = {"access_token": "opaque", "token_type": "Bearer", "sub": "google-oauth2|1045"}
    backend = FakeBackend(id_token)

    result = user_by_external_id(backend, "google-oauth2|1045", response=response, user=None)
    apply_admin_roles(backend, "google-oauth2|1045", user=result["user"], response=response)

    fay = django_user_model.objects.get(external_id="google-oauth2|1045")
    assert result["user"] == fay
    assert (fay.username, fay.email, fay.get_full_name()) == (
        "google-oauth2.1045",
        "fay@example.com",
        "Fay Fairfax",
    )
    assert (fay.is_staff, fay.is_superuser) == (True, False)

    apply_admin_roles(FakeBackend({**id_token, ROLES_CLAIM: []}), fay.external_id, user=fay)
    fay.refresh_from_db()
    assert (fay.is_staff, fay.is_superuser) == (False, False)


@pytest.fixture
def bootstrap_admin(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-bootstrap-password-42")
    call_command("createsuperuser", interactive=False, username="root", email="r@example.com")
    return {"username": "root", "password": "a-long-bootstrap-password-42", "next": "/admin/"}


def test_createsuperuser_bootstraps_a_password_admin(client, bootstrap_admin, settings):
    settings.ADMIN_PASSWORD_LOGIN = True

    response = client.post(LOGIN_URL, bootstrap_admin)

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_with_password_login_off_the_form_is_gone_and_a_posted_password_refused(
    client, bootstrap_admin, settings, admin_auth0
):
    settings.ADMIN_PASSWORD_LOGIN = False

    page = client.get(LOGIN_URL).content.decode()
    response = client.post(LOGIN_URL, bootstrap_admin)

    assert 'name="password"' not in page
    assert "Sign in with Auth0" in page
    assert response.status_code == 200
    assert "Password sign-in is turned off" in response.content.decode()
    assert client.get("/admin/")["Location"].startswith(LOGIN_URL)
    assert not Client().login(username="root", password=bootstrap_admin["password"])
