"""A small client of Linear's GraphQL API (https://linear.app): it creates
issues in the team the deployment names, once per id.

Settings (`suite/settings.py`): `LINEAR_API_KEY` and `LINEAR_TEAM_ID` (both
needed: `is_configured()`), `LINEAR_PROJECT_ID` (optional), `LINEAR_API_URL`
and `LINEAR_TIMEOUT_SECONDS`. Every way a call can fail ends in one
`LinearError` whose message can be shown to a person; the key is never in a
message or a log line.
"""

import datetime
import logging
from dataclasses import dataclass

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.dateparse import parse_datetime

logger = logging.getLogger(__name__)

# Linear's ids are UUIDs, its identifiers a team's key and a number
# (`ENG-42`): a longer one is not Linear's.
ISSUE_ID_MAX_LENGTH = 64

# What a description of an issue came in, as its errors name it.
ANSWER = "Linear's answer"
WEBHOOK_BODY = "Linear's webhook body"

# An issue's url is served to the web app as a link: a web page, nothing a
# browser would run (`javascript:`) or render inline (`data:`).
_web_page_url = URLValidator(schemes=["http", "https"])

ISSUE_FIELDS = "id identifier title url state { name type } updatedAt"
CREATE_ISSUE = f"""
mutation IssueCreate($input: IssueCreateInput!) {{
  issueCreate(input: $input) {{
    success
    issue {{ {ISSUE_FIELDS} }}
  }}
}}
"""
FIND_ISSUE = f"""
query Issue($id: String!) {{
  issue(id: $id) {{ {ISSUE_FIELDS} team {{ id }} }}
}}
"""


class LinearError(Exception):
    """A call to Linear that did not do what was asked; the message says
    why, for a person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class LinearIssue:
    """An issue as Linear describes it (a mutation's answer, a webhook's
    `data`)."""

    linear_id: str
    identifier: str
    title: str
    url: str
    state: str
    state_type: str
    # When Linear last changed the issue; None when the description has no `updatedAt`.
    updated_at: datetime.datetime | None = None

    @classmethod
    def from_data(cls, data, *, came_in: str = ANSWER) -> "LinearIssue":
        """The issue in Linear's `{id, identifier, title, url, state {name
        type}, updatedAt}`; a `LinearError` saying `came_in` (an API answer,
        a webhook body) is malformed when anything but `updatedAt` is missing
        or not text, the url is no http(s) URL, or `updatedAt` is no ISO 8601
        time."""
        data = data if isinstance(data, dict) else {}
        state = data.get("state") if isinstance(data.get("state"), dict) else {}
        # By Linear's names, in the order of the fields.
        values = {
            "id": data.get("id"),
            "identifier": data.get("identifier"),
            "title": data.get("title"),
            "url": data.get("url"),
            "state.name": state.get("name"),
            "state.type": state.get("type"),
        }
        missing = [
            name
            for name, value in values.items()
            if not isinstance(value, str) or (name in ("id", "identifier") and not value)
        ]
        if missing:
            raise LinearError(f"{came_in} was malformed: no {', '.join(missing)}.")
        if max(len(values["id"]), len(values["identifier"])) > ISSUE_ID_MAX_LENGTH:
            raise LinearError(f"{came_in} was malformed: an id is too long.")
        try:
            _web_page_url(values["url"])
        except ValidationError:
            raise LinearError(
                f"{came_in} was malformed: url is no http(s) URL of at most "
                f"{_web_page_url.max_length:,} characters."
            ) from None
        return cls(*values.values(), updated_at=_time(data.get("updatedAt"), came_in))


def _time(value, came_in: str) -> datetime.datetime | None:
    if value is None:
        return None
    try:
        parsed = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise LinearError(f"{came_in} was malformed: updatedAt is no time.")
    return parsed


def is_configured() -> bool:
    """Whether this deployment can reach Linear: a key and a team."""
    return bool(settings.LINEAR_API_KEY and settings.LINEAR_TEAM_ID)


def create_issue(
    *, issue_id: str, title: str, description: str, priority: int | None = None
) -> LinearIssue:
    """The issue `issue_id` (a UUID v4, Linear's `IssueCreateInput.id`) in
    the configured team (and project, when one is set): created, or found
    when the creation failed though Linear has it.

    Linear may create an issue whose answer never arrives (a timeout, a
    connection reset); the same id sent again is then refused as taken. So
    on any failure the issue is looked for by its id: found in the team, it
    is the one this attempt, or an earlier one with this id, created.
    Otherwise the creation's own error is raised, not the search's."""
    fields = {
        "id": issue_id,
        "title": title,
        "description": description,
        "teamId": settings.LINEAR_TEAM_ID,
    }
    if priority is not None:
        fields["priority"] = priority
    if settings.LINEAR_PROJECT_ID:
        fields["projectId"] = settings.LINEAR_PROJECT_ID
    try:
        return _created(execute(CREATE_ISSUE, {"input": fields}))
    except LinearError as failure:
        made_before = _team_issue(issue_id)
        if made_before is None:
            raise failure from None
        logger.info(
            "Linear: %s has the id sent; it was made before its answer was lost.",
            made_before.identifier,
        )
        return made_before


def _created(data: dict) -> LinearIssue:
    created = data.get("issueCreate")
    if not isinstance(created, dict):
        raise LinearError("Linear's answer was malformed: no issueCreate.")
    if created.get("success") is not True:
        raise LinearError("Linear did not create the issue.")
    return LinearIssue.from_data(created.get("issue"))


def _team_issue(issue_id: str) -> LinearIssue | None:
    """The issue of that id, if Linear has it in the configured team and
    describes it whole; None when it has not, or cannot say."""
    try:
        found = execute(FIND_ISSUE, {"id": issue_id}).get("issue")
        issue = LinearIssue.from_data(found)
    except LinearError:
        return None
    team = found.get("team") if isinstance(found.get("team"), dict) else {}
    if issue.linear_id != issue_id or team.get("id") != settings.LINEAR_TEAM_ID:
        return None
    return issue


def execute(query: str, variables: dict) -> dict:
    """The `data` of Linear's answer to one GraphQL operation."""
    try:
        return _answer_data(_post(query, variables))
    except LinearError as exc:
        logger.warning("Linear: %s", exc.message)
        raise


def _post(query: str, variables: dict) -> requests.Response:
    timeout = settings.LINEAR_TIMEOUT_SECONDS
    try:
        return requests.post(
            settings.LINEAR_API_URL,
            json={"query": query, "variables": variables},
            headers={"Authorization": settings.LINEAR_API_KEY},
            timeout=timeout,
        )
    except requests.Timeout:
        raise LinearError(f"Linear did not answer within {timeout:g} seconds.") from None
    except requests.RequestException:
        raise LinearError("Linear could not be reached.") from None


def _answer_data(response: requests.Response) -> dict:
    """GraphQL answers errors as `{"errors": [{"message"}]}`, with HTTP 200
    or 400; any other failure is the HTTP status's."""
    try:
        body = response.json()
    except ValueError:
        body = None
    errors = body.get("errors") if isinstance(body, dict) else None
    if errors:
        messages = [e.get("message") for e in errors if isinstance(e, dict)]
        text = "; ".join(str(m) for m in messages if m) or "no reason given"
        raise LinearError(_without_key(f"Linear refused the request: {text}"))
    if not response.ok:
        raise LinearError(f"Linear answered HTTP {response.status_code}.")
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        raise LinearError("Linear's answer was malformed: no data.")
    return data


def _without_key(text: str) -> str:
    """`text` with the API key, should Linear quote it, blotted out."""
    key = settings.LINEAR_API_KEY
    return text.replace(key, "[LINEAR_API_KEY]") if key else text
