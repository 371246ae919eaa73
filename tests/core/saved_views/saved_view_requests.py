"""What the saved views' tests share: their routes, and saving a view."""

VIEWS = "/api/v1/saved-views/"
COMPONENTS = "/api/v1/components/components/"
ENTITY = "components.component"


def detail(view_id) -> str:
    return f"{VIEWS}{view_id}/"


def save(client, **body):
    """POST a view of the components (unless `entity` says otherwise)."""
    return client.post(VIEWS, {"entity": ENTITY, "name": "Mine", **body}, format="json")


def saved(client, **body) -> dict:
    response = save(client, **body)
    assert response.status_code == 201, response.json()
    return response.json()


def names(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [view["name"] for view in response.json()["results"]]
