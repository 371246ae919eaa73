"""`POST …/{id}/linear-issue/` makes one issue per id: the id the caller
sends (or the server makes) is the issue's in Linear, so an attempt whose
answer was lost, sent again, links the issue it made instead of making a
second (`apps.core.integrations.linear.create_issue`)."""

import uuid

import pytest
from linear_requests import entries, first_link, link_issue, nothing_written

from apps.components.models import Component
from apps.core.models import LinearIssueLink

pytestmark = pytest.mark.django_db

LOST = {
    "reset": "Linear could not be reached.",
    "timeout": "Linear did not answer within 0.2 seconds.",
}


@pytest.fixture
def linear(linear, settings):
    settings.LINEAR_TIMEOUT_SECONDS = 0.2  # below the second a lost answer is held
    return linear


def test_without_an_id_the_server_makes_one_and_it_is_the_issues(api, record, linear):
    response = link_issue(api, record)
    sent = linear.calls[0]["input"]["id"]
    assert uuid.UUID(sent).version == 4
    assert response.json()["linear_id"] == sent == LinearIssueLink.objects.get().linear_id


def test_the_id_sent_is_the_issues(api, record, linear):
    issue_id = str(uuid.uuid4())
    response = link_issue(api, record, id=issue_id)
    assert response.status_code == 201
    assert linear.calls[0]["input"]["id"] == issue_id
    assert response.json()["linear_id"] == issue_id


@pytest.mark.parametrize(
    ("sent", "message"),
    [
        ("ENG-42", "Must be a valid UUID."),
        ("", "Must be a valid UUID."),
        (42, "Must be a UUID v4, as Linear takes."),
        (None, "This field may not be null."),
        (str(uuid.uuid1()), "Must be a UUID v4, as Linear takes."),
    ],
)
def test_an_id_that_is_no_uuid_v4_is_a_400_naming_it(api, record, linear, sent, message):
    response = link_issue(api, record, id=sent)
    assert response.status_code == 400
    assert response.json()["errors"] == {"id": [message]}
    assert not linear.calls
    assert nothing_written(record)


@pytest.mark.parametrize("how", sorted(LOST))
def test_a_lost_answer_is_found_by_its_id_and_linked_at_once(api, user, record, linear, how):
    linear.loses_the_answer(how)
    issue_id = str(uuid.uuid4())

    response = link_issue(api, record, id=issue_id)

    assert response.status_code == 201
    assert response.json()["linear_id"] == issue_id
    assert response.json()["identifier"] == "ENG-42"
    assert linear.lookups == [issue_id]
    assert list(linear.issues) == [issue_id]
    [entry] = entries(record)
    assert entry.changes == {"linear_issue": {"old": None, "new": "ENG-42"}}
    assert entry.actor == user


@pytest.mark.parametrize("how", sorted(LOST))
def test_sent_again_after_a_lost_answer_the_issue_made_is_linked_not_a_second(
    api, user, record, linear, how
):
    """Linear made the issue, its answer was lost and Linear could not be
    asked for it either: a 502. The retry's issueCreate is refused (the id
    is taken), and the issue of that id is linked, as a fresh one would be."""
    linear.loses_the_answer(how)
    linear.lookup_fails_with("server_error")
    issue_id = str(uuid.uuid4())

    failed = link_issue(api, record, id=issue_id)
    assert (failed.status_code, failed.json()["detail"]) == (502, LOST[how])
    assert nothing_written(record)

    linear.lookup_fails_with(None)
    response = link_issue(api, record, id=issue_id)

    assert response.status_code == 201
    assert response.json() == first_link(response, user)
    assert response.json()["linear_id"] == issue_id
    assert len(linear.calls) == 2
    assert list(linear.issues) == [issue_id]  # Linear holds one issue
    [entry] = entries(record)
    assert entry.changes == {"linear_issue": {"old": None, "new": "ENG-42"}}
    assert str(entry.request_id) == response["X-Request-ID"]


@pytest.mark.parametrize("lookup", ["server_error", "graphql_error", "not_json", "reset"])
def test_the_issue_not_found_for_linear_failing_the_creations_error_is_reported(
    api, record, linear, lookup
):
    linear.fails_with("server_error")
    linear.lookup_fails_with(lookup)
    issue_id = str(uuid.uuid4())

    response = link_issue(api, record, id=issue_id)

    assert response.json() == {
        "detail": "Linear answered HTTP 500.",
        "code": "linear_error",
        "errors": {},
    }
    assert response.status_code == 502
    assert linear.lookups == [issue_id]
    assert nothing_written(record)


def test_an_issue_not_made_is_the_creations_error(api, record, linear):
    linear.fails_with("graphql_error")
    response = link_issue(api, record)
    assert response.json()["detail"] == "Linear refused the request: Entity not found: Team"
    assert len(linear.lookups) == 1
    assert nothing_written(record)


def test_the_id_of_another_teams_issue_is_not_linked(api, record, linear):
    theirs = linear.add_issue(team_id="team-other")

    response = link_issue(api, record, id=theirs["id"])

    assert (response.status_code, response.json()["detail"]) == (
        502,
        "Linear refused the request: Entity already exists: Issue",
    )
    assert linear.lookups == [theirs["id"]]
    assert nothing_written(record)


def test_the_id_of_another_records_issue_is_a_409_and_nothing_changes(api, record, linear):
    issue_id = str(uuid.uuid4())
    link_issue(api, record, id=issue_id)
    other = Component.objects.create(name="Relay", part_number="R-1")

    response = link_issue(api, other, id=issue_id)

    assert response.status_code == 409
    assert response.json() == {
        "detail": "The issue of this id, ENG-42, is linked to another record; nothing was "
        "changed. Send a new id.",
        "code": "linear_issue_taken",
        "errors": {},
    }
    assert LinearIssueLink.objects.get().object_id == record.pk
    assert not entries(other).exists()
    assert list(linear.issues) == [issue_id]


def test_sent_again_once_linked_the_id_answers_its_link_and_nothing_more(api, record, linear):
    """The answer lost between the server and the caller: the retry finds
    the link its id made, without asking Linear or auditing it twice."""
    issue_id = str(uuid.uuid4())
    first = link_issue(api, record, id=issue_id)
    audited = list(entries(record))

    again = link_issue(api, record, id=issue_id)

    assert again.status_code == 201
    assert again.json() == first.json()
    assert len(linear.calls) == 1
    assert list(entries(record)) == audited
    other = link_issue(api, record, id=str(uuid.uuid4()))
    assert (other.status_code, other.json()["code"]) == (409, "already_linked")
