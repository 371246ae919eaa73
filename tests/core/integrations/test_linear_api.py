"""`GET` and `POST …/{id}/linear-issue/`, against a fake Linear
(`apps/core/testing/linear.py`): the link, its audit entry, the issue's defaults, and
every way it can be refused or fail, with nothing written."""

import datetime
import logging

import pytest
from django.db import connection
from linear_requests import entries, first_link, link_issue, nothing_written, url

from apps.components.models import Component
from apps.core.models import LinearIssueLink
from apps.core.testing.api import client_for
from apps.core.testing.linear import API_KEY, FAILURES, closed_port_url

pytestmark = pytest.mark.django_db


def sent_without_id(linear) -> dict:
    """The first issueCreate's input, but the issue's id."""
    return {name: value for name, value in linear.calls[0]["input"].items() if name != "id"}


# --- Linking ------------------------------------------------------------------------------


def test_a_writer_links_a_record_to_a_new_issue(api, user, record, linear):
    response = link_issue(api, record)
    assert response.status_code == 201
    assert response.json() == first_link(response, user)
    link = LinearIssueLink.objects.get()
    assert (link.content_type.model_class(), link.object_id) == (Component, record.pk)
    assert link.issue_updated_at == datetime.datetime(2026, 12, 6, 9, tzinfo=datetime.UTC)
    assert len(linear.calls) == 1


def test_linking_writes_one_audit_entry_on_the_record(api, user, record, linear):
    response = link_issue(api, record)
    [entry] = entries(record)
    assert entry.changes == {"linear_issue": {"old": None, "new": "ENG-42"}}
    assert (entry.action, entry.actor, entry.public_id) == ("UPDATE", user, "CMP-0001")
    assert str(entry.request_id) == response["X-Request-ID"]
    history = api.get(f"/api/v1/components/components/{record.pk}/history/").json()
    assert history["results"][0]["changes"] == entry.changes


def test_the_record_itself_does_not_change(api, record, linear):
    etag = api.get(f"/api/v1/components/components/{record.pk}/")["ETag"]
    link_issue(api, record)
    assert api.get(f"/api/v1/components/components/{record.pk}/")["ETag"] == etag


def test_the_issue_takes_the_records_id_name_and_description_and_links_back(
    api, record, linear, settings
):
    settings.FRONTEND_URL = "https://suite.example.com/"
    link_issue(api, record)
    assert sent_without_id(linear) == {
        "title": "CMP-0001 Sensor",
        "description": "Reads the temperature.\n\n[CMP-0001 in Toolsuite]"
        "(https://suite.example.com/tools/components/components/CMP-0001)",
        "teamId": "team-7f3c",
    }


def test_without_a_frontend_url_the_description_is_the_records(api, record, linear, settings):
    settings.FRONTEND_URL = ""
    link_issue(api, record)
    assert linear.calls[0]["input"]["description"] == "Reads the temperature."


def test_a_record_without_description_gets_only_the_link_back(api, linear, settings):
    settings.FRONTEND_URL = "https://suite.example.com"
    record = Component.objects.create(name="Relay", part_number="R-1")
    link_issue(api, record)
    assert linear.calls[0]["input"]["description"] == (
        f"[{record.public_id} in Toolsuite]"
        f"(https://suite.example.com/tools/components/components/{record.public_id})"
    )


def test_a_default_title_longer_than_a_title_may_be_is_shortened(api, linear):
    """`<public id> <name>` with a name of 255 characters would be 264; a
    title sent is refused beyond 255, so the default stops there too."""
    record = Component.objects.create(name="n" * 255, part_number="N-1")
    response = link_issue(api, record)
    assert response.status_code == 201
    title = linear.calls[0]["input"]["title"]
    assert title == (f"{record.public_id} " + "n" * 255)[:254] + "…"
    assert len(title) == 255


def test_a_default_title_of_255_characters_is_kept_whole(api, linear):
    record = Component.objects.create(name="n" * (254 - len("CMP-0001")), part_number="N-1")
    link_issue(api, record)
    assert linear.calls[0]["input"]["title"] == f"{record.public_id} {record.name}"
    assert len(linear.calls[0]["input"]["title"]) == 255


def test_the_title_description_and_priority_sent_are_the_issues(api, record, linear):
    response = link_issue(api, record, title="Recalibrate", description="", priority=1)
    assert response.json()["title"] == "Recalibrate"
    assert sent_without_id(linear) == {
        "title": "Recalibrate",
        "description": "",
        "priority": 1,
        "teamId": "team-7f3c",
    }


def test_the_configured_project_gets_the_issue(api, record, linear, settings):
    settings.LINEAR_PROJECT_ID = "project-1"
    link_issue(api, record)
    assert linear.calls[0]["input"]["projectId"] == "project-1"


def test_a_record_is_found_by_its_public_id_too(api, record, linear):
    response = api.post(f"/api/v1/components/components/{record.public_id.lower()}/linear-issue/")
    assert response.status_code == 201


# --- Refused ------------------------------------------------------------------------------


def test_a_linked_record_is_a_409_with_its_link_and_linear_is_not_asked(api, record, linear):
    first = link_issue(api, record).json()
    response = link_issue(api, record, title="Again")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "CMP-0001 is linked to ENG-42 already.",
        "code": "already_linked",
        "errors": {},
        "linear_issue": first,
    }
    assert len(linear.calls) == 1
    assert entries(record).count() == 1


def test_without_linear_configured_it_is_a_503(api, record, settings):
    settings.LINEAR_API_KEY, settings.LINEAR_TEAM_ID = "key", ""
    response = link_issue(api, record)
    assert response.status_code == 503
    assert response.json()["code"] == "linear_not_configured"
    assert nothing_written(record)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "x" * 256}, "title"),
        ({"title": "  "}, "title"),
        ({"title": None}, "title"),
        ({"priority": 5}, "priority"),
        ({"priority": -1}, "priority"),
        ({"priority": "high"}, "priority"),
        ({"description": ["a"]}, "description"),
        ({"assignee": "ada"}, "assignee"),
    ],
)
def test_a_bad_body_is_a_400_naming_the_field(api, record, linear, body, field):
    response = link_issue(api, record, **body)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["errors"]) == [field]
    assert not linear.calls
    assert nothing_written(record)


def test_a_body_that_is_no_object_is_a_400(api, record, linear):
    response = api.post(url(record), ["title"], format="json")
    assert response.status_code == 400
    assert nothing_written(record)


def test_a_reader_may_not_link(user, record, linear):
    response = link_issue(client_for(user, "components:read"), record)
    assert response.status_code == 403
    assert response.json()["detail"] == "You need the 'components:write' permission."
    assert not linear.calls


def test_a_caller_who_may_not_read_the_tool_is_refused_both(user, record, linear):
    client = client_for(user, "testing:read", "testing:write")
    assert client.get(url(record)).status_code == 403
    assert link_issue(client, record).status_code == 403


def test_an_unknown_record_is_a_404(api, linear):
    missing = "/api/v1/components/components/999999/linear-issue/"
    assert api.get(missing).status_code == 404
    response = api.post(missing)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not linear.calls


def test_a_stale_if_match_is_a_412_and_linear_is_not_asked(api, record, linear):
    response = api.post(url(record), {}, format="json", HTTP_IF_MATCH='"1-999"')
    assert response.status_code == 412
    assert not linear.calls


# --- Linear failing -----------------------------------------------------------------------

FAILURE_DETAILS = {
    "graphql_error": "Linear refused the request: Entity not found: Team",
    "bad_request": "Linear refused the request: Argument Validation Error",
    "server_error": "Linear answered HTTP 500.",
    "unsuccessful": "Linear did not create the issue.",
    "not_json": "Linear's answer was malformed: no data.",
    "no_issue": (
        "Linear's answer was malformed: no identifier, title, url, state.name, state.type."
    ),
    "no_data": "Linear's answer was malformed: no data.",
    "script_url": (
        "Linear's answer was malformed: url is no http(s) URL of at most 2,048 characters."
    ),
}


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_linear_failing_is_a_502_with_its_reason_and_nothing_stored(api, record, linear, failure):
    linear.fails_with(failure)
    response = link_issue(api, record)
    assert response.status_code == 502
    assert response.json() == {
        "detail": FAILURE_DETAILS[failure],
        "code": "linear_error",
        "errors": {},
    }
    assert nothing_written(record)


def test_linear_unreachable_is_a_502(api, record, linear, settings):
    settings.LINEAR_API_URL = closed_port_url()
    response = link_issue(api, record)
    assert (response.status_code, response.json()["detail"]) == (
        502,
        "Linear could not be reached.",
    )
    assert nothing_written(record)


def test_linear_answering_too_slowly_is_a_502_after_the_timeout(api, record, linear, settings):
    settings.LINEAR_TIMEOUT_SECONDS = 0.2
    linear.delay = 1
    response = link_issue(api, record)
    assert (response.status_code, response.json()["detail"]) == (
        502,
        "Linear did not answer within 0.2 seconds.",
    )
    assert nothing_written(record)


def test_the_key_is_never_in_a_message_or_a_log_line(api, record, linear, settings, caplog):
    settings.LINEAR_API_KEY = f"{API_KEY}-revoked"
    with caplog.at_level(logging.DEBUG):
        response = link_issue(api, record)
    assert response.status_code == 502
    assert response.json()["detail"] == (
        "Linear refused the request: Invalid API key: [LINEAR_API_KEY]"
    )
    assert "Invalid API key" in caplog.text
    assert settings.LINEAR_API_KEY not in caplog.text
    assert settings.LINEAR_API_KEY not in response.content.decode()


# --- Reading ------------------------------------------------------------------------------


def test_a_reader_reads_the_link(user, api, record, linear):
    created = link_issue(api, record).json()
    response = client_for(user, "components:read").get(url(record))
    assert response.status_code == 200
    assert response.json() == created


def test_a_record_without_an_issue_is_a_404_not_linked(api, record):
    response = api.get(url(record))
    assert response.status_code == 404
    assert response.json() == {
        "detail": "CMP-0001 has no Linear issue.",
        "code": "not_linked",
        "errors": {},
    }


def test_reading_needs_no_linear(api, record, linear, settings):
    link_issue(api, record)
    settings.LINEAR_API_KEY = ""
    assert api.get(url(record)).json()["identifier"] == "ENG-42"


# --- Unlinking ----------------------------------------------------------------------------


def test_a_writer_unlinks_the_record_and_the_issue_stays_in_linear(api, user, record, linear):
    link_issue(api, record)

    response = api.delete(url(record))

    assert response.status_code == 204
    assert not LinearIssueLink.objects.exists()
    assert api.get(url(record)).json()["code"] == "not_linked"
    assert len(linear.calls) == 1  # Linear was not asked to delete anything
    unlinked = entries(record).first()
    assert unlinked.changes == {"linear_issue": {"old": "ENG-42", "new": None}}
    assert unlinked.actor == user


def test_unlinked_the_record_can_get_a_new_issue(api, record, linear):
    link_issue(api, record)
    api.delete(url(record))

    response = link_issue(api, record)
    assert (response.status_code, response.json()["identifier"]) == (201, "ENG-43")


def test_unlinking_the_link_named_removes_it(api, record, linear):
    link = link_issue(api, record).json()
    response = api.delete(f"{url(record)}?link={link['id']}")
    assert response.status_code == 204
    assert not LinearIssueLink.objects.exists()


def test_unlinking_a_link_replaced_since_is_a_409_and_keeps_the_new_one(api, record, linear):
    first = link_issue(api, record).json()
    api.delete(url(record))
    second = link_issue(api, record).json()
    before = entries(record).count()

    response = api.delete(f"{url(record)}?link={first['id']}")

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "linear_issue_changed"
    assert body["detail"] == (
        "CMP-0001 is now linked to ENG-43, not to the issue you meant to unlink; nothing was "
        "changed."
    )
    assert body["linear_issue"] == second
    assert LinearIssueLink.objects.get().identifier == "ENG-43"
    assert entries(record).count() == before


@pytest.mark.parametrize("query", ["link=abc", "link=0", "issue=ENG-42"])
def test_unlinking_with_a_bad_query_is_a_400_naming_it(api, record, linear, query):
    link_issue(api, record)
    response = api.delete(f"{url(record)}?{query}")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {query.split("=")[0]}
    assert LinearIssueLink.objects.exists()


def test_only_unlinking_takes_a_link(api, record, linear):
    link = link_issue(api, record).json()
    response = api.get(f"{url(record)}?link={link['id']}")
    assert (response.status_code, response.json()["errors"]) == (
        400,
        {"link": ["Unknown query parameter."]},
    )


def test_unlinking_a_record_without_an_issue_is_a_404_not_linked(api, record):
    response = api.delete(url(record))
    assert (response.status_code, response.json()["code"]) == (404, "not_linked")
    assert not entries(record).exists()


def test_a_reader_may_not_unlink(user, api, record, linear):
    link_issue(api, record)
    response = client_for(user, "components:read").delete(url(record))
    assert response.status_code == 403
    assert LinearIssueLink.objects.exists()


def test_unlinking_with_a_stale_if_match_is_a_412(api, record, linear):
    link_issue(api, record)
    response = api.delete(url(record), HTTP_IF_MATCH='"1-999"')
    assert response.status_code == 412
    assert LinearIssueLink.objects.exists()


# --- The record's history -----------------------------------------------------------------


def test_the_link_entry_cannot_be_reverted(api, record, linear):
    link_issue(api, record)
    [entry] = entries(record)
    response = api.post(
        f"/api/v1/components/components/{record.pk}/revert/", {"audit_id": entry.pk}, format="json"
    )
    assert response.status_code == 409
    assert response.json() == {
        "detail": f"Audit entry {entry.pk} cannot be reverted: it names no field of CMP-0001 "
        "(linear_issue) a revert can put back, only what is kept outside the record, such as "
        "its Linear issue, or fields the API does not show.",
        "code": "not_revertible",
        "errors": {},
    }
    assert entries(record).count() == 1
    assert LinearIssueLink.objects.count() == 1


# --- The manifest -------------------------------------------------------------------------


def test_the_manifest_says_whether_linear_is_connected(api, settings):
    off = api.get("/api/v1/tools/")
    assert off.json()["integrations"] == {"linear": False}
    settings.LINEAR_API_KEY, settings.LINEAR_TEAM_ID = "key", "team"
    on = api.get("/api/v1/tools/")
    assert on.json()["integrations"] == {"linear": True}
    assert on["ETag"] != off["ETag"]


def test_a_key_without_a_team_is_not_connected(api, settings):
    settings.LINEAR_API_KEY = "key"
    assert api.get("/api/v1/tools/").json()["integrations"] == {"linear": False}


# --- Cost ---------------------------------------------------------------------------------


@pytest.mark.postgres  # SQLite reads the record's tags in a query of their own
def test_reading_a_link_takes_two_queries(api, record, linear, django_assert_num_queries):
    """The record, then its link with its author."""
    link_issue(api, record)
    with django_assert_num_queries(2):
        assert api.get(url(record)).status_code == 200


@pytest.mark.postgres
def test_linking_takes_six_queries(api, record, linear, django_assert_max_num_queries):
    """The record locked and read, its link looked for, the issue's id
    locked (PostgreSQL: its events wait for the link), the issue's link
    looked for (another record's?), the link and the audit entry inserted
    (and the transaction's own statements)."""
    locking = ["SELECT"] if connection.vendor == "postgresql" else []
    with django_assert_max_num_queries(7 + len(locking)) as captured:
        assert link_issue(api, record).status_code == 201
    statements = [query["sql"].split()[0] for query in captured.captured_queries]
    assert [s for s in statements if s in ("SELECT", "INSERT", "UPDATE")] == [
        "SELECT",
        "SELECT",
        *locking,
        "SELECT",
        "INSERT",
        "INSERT",
    ]


def test_a_deleted_record_lets_go_of_its_issue_in_its_last_audit_entry(api, linear):
    """The admin's delete: the link goes with the record, and the record's
    deletion says so; the issue stays in Linear, free to be linked again."""
    made = api.post(
        "/api/v1/components/components/", {"name": "Relay", "part_number": "R-1"}, format="json"
    )
    record = Component.objects.get(pk=made.json()["id"])
    assert link_issue(api, record).status_code == 201
    Component.objects.get(pk=record.pk).delete()

    assert not LinearIssueLink.objects.exists()
    deletion = entries(record).get(action="DELETE")
    assert deletion.changes["linear_issue"] == {"old": "ENG-42", "new": None}


def test_linking_and_unlinking_leave_nothing_to_send_after_the_request(
    api, record, linear, django_capture_on_commit_callbacks
):
    """Nothing about a link is sent or enqueued on its transaction's commit,
    so nothing could go out for a request that rolled back: the one call is
    `issueCreate`, made before the link, which it is made from."""
    with django_capture_on_commit_callbacks() as callbacks:
        assert link_issue(api, record).status_code == 201
        assert api.delete(url(record)).status_code == 204
    assert callbacks == []
    assert len(linear.calls) == 1
