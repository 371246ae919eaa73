"""One request of each scenario per stack before anything is measured: the
stack accepts the token and answers what the scenario expects, and both
stacks list the same rows in the same order. A stack that fails here is
not measured, with the reason shown."""

import json
import urllib.error
import urllib.request

from bench.harness.dataset import SEARCH_TERM


class PreflightError(RuntimeError):
    pass


def _call(method: str, url: str, token: str, body: dict | None = None) -> tuple[int, object]:
    request = urllib.request.Request(
        url,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
            "Content-Type": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw or b"null")
    except ValueError:
        return status, raw.decode(errors="replace")[:500]


def _items(body) -> list:
    """A list response's records: the seed answers a bare list, Toolsuite a page."""
    if isinstance(body, dict) and isinstance(body.get("results"), list):
        return body["results"]
    return body if isinstance(body, list) else []


def _public_id(item: dict) -> str | None:
    return item.get("entity_id") or item.get("public_id")


def check_stack(stack, base_url: str, token: str, id_range: tuple[int, int]) -> dict:
    """Returns the public ids of the list and search pages, for comparison."""
    collection = base_url + stack.collection
    first_id, last_id = id_range

    def expect(what, status, body, wanted):
        if status == wanted:
            return
        hint = (
            " The stack did not accept the benchmark's RS256 token: does it verify tokens "
            "against AUTH0_JWKS_URL, AUTH0_ISSUER and AUTH0_API_AUDIENCE?"
            if status in (401, 403)
            else ""
        )
        raise PreflightError(
            f"{stack.label}: {what} answered {status}, expected {wanted}: "
            f"{json.dumps(body)[:400] if not isinstance(body, str) else body}.{hint}"
        )

    status, body = _call("GET", f"{collection}?limit=50", token)
    expect("list", status, body, 200)
    listed = [_public_id(item) for item in _items(body)]
    if len(listed) != 50:
        raise PreflightError(f"{stack.label}: list returned {len(listed)} records, not 50.")

    status, body = _call("GET", f"{collection}?limit=50&search={SEARCH_TERM}", token)
    expect("search", status, body, 200)
    found = _items(body)
    if not found or any(SEARCH_TERM not in item["name"].lower() for item in found):
        raise PreflightError(f"{stack.label}: search for {SEARCH_TERM!r} returned other rows.")

    detail = f"{collection}{last_id}{stack.detail_suffix}"
    status, body = _call("GET", detail, token)
    expect("detail", status, body, 200)

    status, body = _call(
        "POST",
        collection,
        token,
        {"name": "Preflight part", "part_number": f"PREFLIGHT-{stack.label}", "unit_cost": "1.00"},
    )
    expect("create", status, body, 201)

    status, body = _call(
        "PATCH", f"{collection}{first_id}{stack.detail_suffix}", token, {"quantity_on_hand": 1}
    )
    expect("patch", status, body, 200)

    status, body = _call("GET", detail, "not-a-token")
    if stack.verifies_tokens and status != 401:
        raise PreflightError(f"{stack.label}: a bad token got {status}, not 401.")

    return {"list": listed, "search": [_public_id(item) for item in found]}


def compare(label_a: str, pages_a: dict, label_b: str, pages_b: dict):
    for scenario in ("list", "search"):
        if pages_a[scenario] != pages_b[scenario]:
            raise PreflightError(
                f"The {scenario} pages differ: {label_a} starts {pages_a[scenario][:3]}, "
                f"{label_b} starts {pages_b[scenario][:3]}. The stacks do not hold the same rows."
            )
