"""A single-line text of a record (a name, an identifier, a tag) holds no
invisible formatting character: "BIDI-1" and "BIDI-1\u202e" look alike, and
both were kept as unique part numbers."""

import pytest

from apps.components.models import Component

LIST = "/api/v1/components/components/"

pytestmark = pytest.mark.django_db

INVISIBLE = ["\u202a", "\u202e", "\u2066", "\u2069", "\u200b", "\u200c", "\u200d", "\ufeff"]


@pytest.mark.parametrize("character", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_a_unique_values_look_alike_is_refused_naming_the_character(api, character):
    assert (
        api.post(LIST, {"name": "Diode", "part_number": "BIDI-1"}, format="json").status_code == 201
    )

    response = api.post(LIST, {"name": "Diode", "part_number": f"BIDI-1{character}"}, format="json")

    assert response.status_code == 400
    [message] = response.json()["errors"]["part_number"]
    assert message.startswith(f"Remove the invisible character U+{ord(character):04X} (")
    assert Component.objects.count() == 1


def test_names_tags_and_bulk_items_are_checked_alike(api):
    record = {"name": "Diode\u202e", "part_number": "P-1", "tags": ["ok", "t\u200bag"]}
    errors = api.post(LIST, record, format="json").json()["errors"]
    assert set(errors) == {"name", "tags"}
    assert set(errors["tags"]) == {"1"}

    bulk = api.post(f"{LIST}bulk/", [{"name": "x", "part_number": "P-\ufeff2"}], format="json")
    assert bulk.status_code == 400
    assert Component.objects.count() == 0


def test_long_text_may_hold_them(api):
    """Right-to-left writing and emoji sequences need them in prose."""
    family = "\U0001f468\u200d\U0001f469"  # man, zero-width joiner, woman
    hebrew = "\u2067\u05e9\u05dc\u05d5\u05dd\u2069"  # "shalom", isolated right-to-left
    record = {"name": "Diode", "part_number": "P-1", "description": f"{family} {hebrew}"}
    response = api.post(LIST, record, format="json")
    assert response.status_code == 201, response.json()
