"""The admin's password sign-in: failures lock a username from one address,
an address, or (many more) a username from anywhere out for a while, and
every sign-in is logged."""

import logging
import time
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.cache.backends import locmem
from django.test import Client

from apps.core.models import User

pytestmark = pytest.mark.django_db

LOGIN_URL = "/admin/login/"
PASSWORD = "the-right-password-42"
LOCKED_OUT = "Too many failed sign-ins for this username or from this address"


@pytest.fixture(autouse=True)
def password_sign_in(settings):
    settings.ADMIN_PASSWORD_LOGIN = True
    settings.ADMIN_LOGIN_FAILURES_PER_USERNAME_AND_ADDRESS = 5
    settings.ADMIN_LOGIN_FAILURES_PER_ADDRESS = 20
    settings.ADMIN_LOGIN_FAILURES_PER_USERNAME_ANYWHERE = 100
    settings.ADMIN_LOGIN_LOCKOUT_SECONDS = 15 * 60
    # Dozens of sign-ins: a hasher of no cost (the real one takes a quarter second each).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    User.objects.create_superuser("root", "root@example.com", PASSWORD)
    yield
    cache.clear()


def sign_in(username="root", password=PASSWORD, address="10.0.0.1", **headers):
    browser = Client()
    response = browser.post(
        LOGIN_URL,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        headers=headers,
    )
    return browser, response


def signed_in(browser) -> bool:
    return browser.get("/admin/").status_code == 200


def fail(times, **kwargs):
    for _ in range(times):
        _, response = sign_in(password="wrong", **kwargs)
        assert "Please enter the correct username and password" in response.content.decode()


def test_five_failures_lock_the_username_out_from_that_address_even_with_the_right_password():
    fail(5, address="10.0.0.1")

    browser, response = sign_in(address="10.0.0.1")

    assert response.status_code == 200
    assert f"{LOCKED_OUT}. Try again in 15 minutes." in response.content.decode()
    assert not signed_in(browser)


def test_a_stranger_failing_with_an_admins_username_does_not_lock_the_admin_out():
    fail(5, address="203.0.113.5")
    for _ in range(10):
        _, stranger = sign_in(password="wrong", address="203.0.113.5")
        assert LOCKED_OUT in stranger.content.decode()

    browser, response = sign_in(address="10.0.0.2")

    assert response.status_code == 302
    assert signed_in(browser)


def test_failures_spread_over_many_addresses_lock_the_username_out_everywhere():
    for number in range(25):
        fail(4, address=f"203.0.113.{number}")

    browser, response = sign_in(address="10.0.0.2")

    assert LOCKED_OUT in response.content.decode()
    assert not signed_in(browser)


def test_ninety_nine_failures_from_anywhere_do_not():
    for number in range(33):
        fail(3, address=f"203.0.113.{number}")

    browser, response = sign_in(address="10.0.0.2")

    assert response.status_code == 302
    assert signed_in(browser)


def test_four_failures_do_not():
    fail(4)

    browser, response = sign_in()

    assert response.status_code == 302
    assert signed_in(browser)


def test_the_username_is_locked_out_whatever_its_case():
    fail(5, username="ROOT", address="10.0.0.1")

    _, response = sign_in()

    assert LOCKED_OUT in response.content.decode()


def test_many_failures_from_one_address_lock_it_out_for_every_username():
    for number in range(20):
        fail(1, username=f"guess-{number}", address="10.0.0.9")

    _, from_there = sign_in(address="10.0.0.9")
    browser, from_elsewhere = sign_in(address="10.0.0.1")

    assert LOCKED_OUT in from_there.content.decode()
    assert from_elsewhere.status_code == 302
    assert signed_in(browser)


def test_a_sign_in_forgets_the_usernames_failures():
    fail(4)
    sign_in()
    fail(4)

    browser, response = sign_in()

    assert response.status_code == 302
    assert signed_in(browser)


def test_a_sign_in_forgets_the_usernames_failures_from_anywhere():
    for number in range(24):
        fail(4, address=f"203.0.113.{number}")
    sign_in(address="10.0.0.2")
    fail(4, address="203.0.113.99")

    browser, response = sign_in()

    assert response.status_code == 302
    assert signed_in(browser)


def test_the_lockout_ends_fifteen_minutes_after_the_first_failure(monkeypatch):
    fail(5)
    later = time.time() + 15 * 60 + 1
    # The cache's clock (local memory in the tests), a quarter of an hour on.
    monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda: later))
    browser, response = sign_in()

    assert response.status_code == 302
    assert signed_in(browser)


def test_failed_and_successful_sign_ins_are_logged(caplog):
    caplog.set_level(logging.INFO, logger="apps.core.auth.admin_login")

    failed_id = sign_in(password="wrong", address="10.0.0.7")[1]["X-Request-ID"]
    good_id = sign_in(address="10.0.0.8")[1]["X-Request-ID"]

    messages = [
        (record.levelname, record.getMessage())
        for record in caplog.records
        if record.name == "apps.core.auth.admin_login"
    ]
    assert messages == [
        (
            "WARNING",
            f"Admin sign-in failed: username 'root', address 10.0.0.7, request {failed_id}",
        ),
        (
            "INFO",
            f"Admin sign-in: username 'root', address 10.0.0.8, request {good_id}, "
            "through apps.core.auth.admin_login.PasswordBackend",
        ),
    ]


def test_a_refusal_for_too_many_failures_is_logged(caplog):
    fail(5, address="10.0.0.3")
    caplog.clear()

    refused_id = sign_in(address="10.0.0.3")[1]["X-Request-ID"]

    assert [r.getMessage() for r in caplog.records if r.name == "apps.core.auth.admin_login"] == [
        "Admin sign-in refused, too many failures: username 'root', address 10.0.0.3, "
        f"request {refused_id}"
    ]


def test_while_the_cache_does_not_answer_sign_in_works_uncounted(monkeypatch, caplog):
    from redis.exceptions import ConnectionError as RedisConnectionError

    def unreachable(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    for name in ("get_many", "add", "incr", "delete"):
        monkeypatch.setattr(cache, name, unreachable)

    _, failed = sign_in(password="wrong")
    browser, response = sign_in()

    assert "Please enter the correct username and password" in failed.content.decode()
    assert response.status_code == 302
    assert signed_in(browser)
    assert "Admin sign-in failures not counted: the shared cache does not answer" in caplog.text
