"""The PostgreSQL backend (apps/core/backends/postgresql): statements a
connection runs often are prepared, so PostgreSQL plans them once; a
statement with a LIKE is planned for its values every time; bulk writes fit
the protocol's parameter limit."""

import pytest
from django.db import connection

from apps.components.models import Component
from apps.core.context import acting_as
from apps.core.testing.samples import create_sample

LIST = "/api/v1/components/components/"

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def record(user):
    with acting_as(user):
        return create_sample(Component, 1)


def prepared_statements() -> list[str]:
    """What this session holds prepared (psycopg names them; PostgreSQL
    lists them per session)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def runs_before_prepared() -> int:
    threshold = connection.connection.prepare_threshold
    assert threshold is not None, "prepared statements are off (DATABASE_PREPARED_STATEMENTS)"
    return threshold


def test_a_record_read_often_is_planned_once(api, record):
    for _ in range(runs_before_prepared() + 1):
        assert api.get(f"{LIST}{record.pk}/").status_code == 200
    reads = [s for s in prepared_statements() if s.startswith('SELECT "components_component"')]
    assert reads, prepared_statements()


def test_a_write_often_repeated_is_planned_once(api, record):
    for n in range(runs_before_prepared() + 1):
        # A value the record never held: each PATCH writes its row, history and audit.
        response = api.patch(f"{LIST}{record.pk}/", {"quantity_on_hand": 5000 + n}, format="json")
        assert response.status_code == 200
    statements = prepared_statements()
    assert any(s.startswith('UPDATE "components_component"') for s in statements), statements
    assert any(s.startswith('INSERT INTO "core_auditentry"') for s in statements), statements


def test_a_search_is_planned_for_its_term_every_time(api, record):
    # How common the term is decides the best plan; a generic plan cannot know.
    for _ in range(2 * runs_before_prepared()):
        assert api.get(f"{LIST}?search=sample").status_code == 200
        assert api.get(f"{LIST}{record.pk}/").status_code == 200
    statements = prepared_statements()
    assert any(s.startswith('SELECT "components_component"') for s in statements), statements
    assert not [s for s in statements if " LIKE " in s]


def test_a_bulk_update_past_the_parameter_limit_is_split_to_fit(record):
    # One bound statement takes at most 65,535 parameters; bulk_update() sends
    # an id and a value per row and field (and each id again): 1,600 history
    # rows of 21 fields would need about 68,800 in one UPDATE.
    first = record.history.first()
    history = type(first)
    fields = [f.name for f in history._meta.concrete_fields if not f.primary_key]
    rows = history.objects.bulk_create(
        [history(**{name: getattr(first, name) for name in fields}) for _ in range(1_600)]
    )
    for row in rows:
        row.history_change_reason = "batched"
    history.objects.bulk_update(rows, fields)
    assert history.objects.filter(history_change_reason="batched").count() == 1_600


def test_bulk_batches_count_two_parameters_per_field():
    # bulk_update() sends an id and a value per row and field.
    fields = [Component._meta.get_field(name) for name in ("name", "status", "category")]
    assert connection.ops.bulk_batch_size(fields, range(100_000)) == 65_535 // 6
    assert connection.ops.bulk_batch_size([], range(7)) == 7
