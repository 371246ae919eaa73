"""How long a response may be kept, and by whom: an API response is the
caller's own (`private, no-cache`, revalidated by its ETag; `Vary:
Authorization`), an export is kept by no cache, a health probe neither."""

import pytest
from django.utils.cache import cc_delim_re

pytestmark = pytest.mark.django_db

LIST = "/api/v1/components/components/"
REVALIDATED = "private, no-cache"


def varies_on(response) -> set[str]:
    return {value.lower() for value in cc_delim_re.split(response.get("Vary", "")) if value}


@pytest.fixture
def record(api):
    response = api.post(LIST, {"name": "Relay", "part_number": "CC-1"}, format="json")
    assert response.status_code == 201, response.json()
    return response


def test_a_list_is_the_callers_own_and_asked_for_again(api, record):
    response = api.get(LIST)
    assert response.status_code == 200
    assert response["Cache-Control"] == REVALIDATED
    assert "authorization" in varies_on(response)


def test_a_record_is_revalidated_by_its_etag_and_its_304_says_the_same(api, record):
    url = f"{LIST}{record.json()['id']}/"
    read = api.get(url)
    assert (read.status_code, read["Cache-Control"]) == (200, REVALIDATED)
    unchanged = api.get(url, HTTP_IF_NONE_MATCH=read["ETag"])
    assert (unchanged.status_code, unchanged["Cache-Control"]) == (304, REVALIDATED)
    assert unchanged["ETag"] == read["ETag"]
    assert "authorization" in varies_on(unchanged)


def test_a_write_is_the_callers_own_too(record):
    assert record["Cache-Control"] == REVALIDATED
    assert "authorization" in varies_on(record)


def test_an_export_is_kept_by_no_cache(api, record):
    response = api.get(f"{LIST}export.csv")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "authorization" in varies_on(response)


@pytest.mark.parametrize(
    ("path", "status"),
    [(LIST, 401), ("/api/v1/no-such-tool/", 404)],
)
def test_an_api_error_is_not_kept_either(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert response["Cache-Control"] == REVALIDATED
    assert "authorization" in varies_on(response)


def test_a_refused_query_is_not_kept(api):
    response = api.get(LIST, {"no_such_filter": "1"})
    assert response.status_code == 400
    assert response["Cache-Control"] == REVALIDATED


def test_the_manifest_keeps_its_minute_and_varies_on_the_token(api):
    response = api.get("/api/v1/tools/")
    assert response.status_code == 200
    assert set(response["Cache-Control"].split(", ")) == {"private", "max-age=60"}
    assert "authorization" in varies_on(response)


@pytest.mark.parametrize("path", ["/health", "/health/ready"])
def test_a_health_probe_is_kept_by_no_cache(client, path):
    response = client.get(path)
    assert response["Cache-Control"] == "no-store"
    assert "authorization" not in varies_on(response)


def test_a_page_outside_the_api_does_not_vary_on_a_token(client):
    response = client.get("/admin/login/")
    assert "authorization" not in varies_on(response)
