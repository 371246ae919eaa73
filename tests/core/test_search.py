"""`EntityQuerySet.search`: on PostgreSQL a text holding a public id is
looked up in the trigram index without its prefix, which every row holds,
and tested whole on what the index finds; the records found are those
`LIKE '%text%'` finds, on every database."""

import pytest
from django.db import connection

from apps.components.models import Component
from apps.core.context import acting_as
from apps.core.models.search import search_term


@pytest.fixture
def records(user):
    with acting_as(user):
        return [
            Component.objects.create(name=name, part_number=f"P-{n}", description=description)
            for n, (name, description) in enumerate(
                [
                    ("Sensor", ""),
                    ("Adapter cmp-7 kit", "replaces CMP-0001"),
                    ("Relay", "CMP-00 series, see cmp-0002"),
                    ("Housing", "Straße CMP-0003"),
                ]
            )
        ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "cmp-0001",
        "CMP-000",
        "CMP-",
        "cmp-7",
        "Adapter cmp-7",
        "cmp-7 kit",
        "replaces CMP-0001",
        "CMP-0001 CMP-0002",
        "see cmp-0002",
        "straße cmp-0003",
        "CMP-0099",
        "100% CMP-0001",
    ],
)
def test_a_public_id_search_finds_what_like_finds(records, text):
    found = set(Component.objects.search(text).values_list("public_id", flat=True))
    like = Component.objects.filter(search_text__contains=search_term(text))
    assert found == set(like.values_list("public_id", flat=True))


@pytest.mark.django_db
def test_a_public_id_search_finds_the_record_and_the_records_naming_it(records):
    _, _, relay, housing = records
    assert relay.public_id == "CMP-0003"
    found = Component.objects.search("cmp-0003").values_list("name", flat=True)
    assert set(found) == {relay.name, housing.name}  # its own id; a description naming it
    assert Component.objects.search("CMP-000").count() == 4


def plan(queryset) -> str:
    with connection.cursor() as cursor:
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.django_db
@pytest.mark.postgres
@pytest.mark.parametrize(
    ("text", "looked_up", "tested_whole"),
    [
        ("cmp-123456", "%123456%", "CMP-123456"),
        ("Sensor CMP-0042 housing", "%0042 HOUSING%", "SENSOR CMP-0042 HOUSING"),
        ("CMP-0042 or CMP-0043", "%0043%", "CMP-0042 OR CMP-0043"),
        ("sensor", "%SENSOR%", None),
        ("TST-0042", "%TST-0042%", None),
    ],
)
def test_the_index_is_asked_for_what_follows_the_last_prefix(text, looked_up, tested_whole):
    """PostgreSQL settles both conditions as it plans: the pattern, and the
    whole-text test, which a text without the prefix does without."""
    shown = plan(Component.objects.search(text))
    assert f"~~ '{looked_up}'::text" in shown
    if tested_whole:
        assert f"strpos(search_text, '{tested_whole}'::text) > 0" in shown
    else:
        assert "strpos" not in shown
