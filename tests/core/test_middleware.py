"""The pages' middleware (sessions, CSRF, the signed-in user, messages,
social-auth's errors) runs for the admin and the sign-in pages, and is
skipped for the API, whose requests carry their own token."""

import pytest
from django.core import checks
from django.http import HttpResponse
from django.test import RequestFactory

from apps.core.middleware import (
    PageAuthenticationMiddleware,
    PageCsrfViewMiddleware,
    PageMessageMiddleware,
    PageSessionMiddleware,
)
from apps.core.models import User

PAGE_MIDDLEWARE = [
    PageSessionMiddleware,
    PageAuthenticationMiddleware,
    PageMessageMiddleware,
]


def through(middleware, path, method="get"):
    """What a view sees of a request to `path` behind `middleware`, in order."""
    seen = {}

    def view(request):
        seen.update(
            session=hasattr(request, "session"),
            user=hasattr(request, "user"),
            messages=hasattr(request, "_messages"),
        )
        return HttpResponse("ok")

    handler = view
    for middleware_class in reversed(middleware):
        handler = middleware_class(handler)
    response = handler(getattr(RequestFactory(), method)(path))
    return seen, response


@pytest.mark.django_db
def test_a_page_gets_a_session_the_signed_in_user_and_messages():
    seen, _ = through(PAGE_MIDDLEWARE, "/admin/")
    assert seen == {"session": True, "user": True, "messages": True}


def test_an_api_request_gets_none_of_them():
    seen, _ = through(PAGE_MIDDLEWARE, "/api/v1/components/components/")
    assert seen == {"session": False, "user": False, "messages": False}


def csrf_view_answer(path):
    middleware = PageCsrfViewMiddleware(lambda request: HttpResponse("ok"))
    request = RequestFactory().post(path)  # no CSRF token, no cookie
    return middleware.process_view(request, lambda request: None, (), {})


def test_a_pages_post_without_a_csrf_token_is_refused():
    assert csrf_view_answer("/admin/login/").status_code == 403


def test_the_api_is_not_checked_for_a_csrf_token():
    # DRF's views are exempt anyway: a token, not a cookie, authenticates.
    assert csrf_view_answer("/api/v1/components/components/") is None


@pytest.mark.django_db
def test_a_signed_in_admin_session_does_not_authenticate_the_api(client):
    client.force_login(User.objects.create_superuser("root", "root@example.com", "pw-for-tests"))
    assert client.get("/admin/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 401


def test_the_admins_checks_find_the_middleware_they_need():
    errors = checks.run_checks(tags=[checks.Tags.admin])
    assert not [e for e in errors if e.id in ("admin.E408", "admin.E409", "admin.E410")]
