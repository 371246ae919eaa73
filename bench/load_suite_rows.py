"""Load the benchmark's rows into Toolsuite through its own ORM.

    DATABASE_URL=postgres://... python bench/load_suite_rows.py rows.json

Runs after `manage.py migrate` on an empty database. The rows go in with
`Component.objects.bulk_create`, so each gets its public id, history row and
audit entry, attributed to the user the benchmark's token names. The
timestamps are then set to the rows' own, which the seed stack stores too,
so both lists sort the same rows the same way. Finally the cache is cleared,
so no JWKS or user cached by an earlier run is used.
"""

import json
import os
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suite.settings")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from apps.components.models import Component  # noqa: E402
from apps.core.context import acting_as  # noqa: E402
from apps.core.models import User  # noqa: E402

COLUMNS = (
    "name",
    "description",
    "status",
    "category",
    "part_number",
    "supplier",
    "quantity_on_hand",
    "datasheet_url",
)


def main(path: str) -> None:
    with open(path) as handle:
        rows = json.load(handle)
    subject = rows[0]["created_by"]
    user, _ = User.objects.get_or_create(
        external_id=subject, defaults={"username": "bench", "email": "bench@bench.local"}
    )
    components = [
        Component(unit_cost=Decimal(row["unit_cost"]), **{name: row[name] for name in COLUMNS})
        for row in rows
    ]
    with acting_as(user), transaction.atomic():
        created = Component.objects.bulk_create(components, batch_size=1000)
        public_ids = [row["entity_id"] for row in rows]
        if [c.public_id for c in created] != public_ids:
            sys.exit("Toolsuite gave other public ids than the seed's rows: is the database new?")
        table = connection.ops.quote_name(Component._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS c SET created_at = v.ts, updated_at = v.ts "
                "FROM unnest(%s::text[], %s::timestamptz[]) AS v(public_id, ts) "
                "WHERE c.public_id = v.public_id",
                [public_ids, [row["created_at"] for row in rows]],
            )
    cache.clear()
    print(f"toolsuite: loaded {len(created)} rows")


if __name__ == "__main__":
    main(sys.argv[1])
