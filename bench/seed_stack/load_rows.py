"""Load the benchmark's rows into the seed stack's own tables.

    DATABASE_URL=postgresql://... python load_rows.py rows.json

Recreates the tables from the seed's models, inserts the rows as given
(entity_id, timestamps and created_by included) and moves the entity-number
sequence past them, so creates during the run continue the numbering.
"""

import json
import sys
from datetime import datetime
from decimal import Decimal

from app.database import SessionLocal, engine
from app.models import Base, Component, entity_number_sequence
from sqlalchemy import insert, text


def main(path: str) -> None:
    with open(path) as handle:
        rows = json.load(handle)
    for row in rows:
        row["unit_cost"] = Decimal(row["unit_cost"])
        row["created_at"] = row["updated_at"] = datetime.fromisoformat(row["created_at"])
    Base.metadata.drop_all(bind=engine)
    Base.metadata.create_all(bind=engine)
    with SessionLocal() as db:
        db.execute(insert(Component), rows)
        last = max(int(row["entity_id"].split("-")[1]) for row in rows)
        db.execute(
            text("SELECT setval(:seq, :last)"), {"seq": entity_number_sequence.name, "last": last}
        )
        db.commit()
    print(f"seed stack: loaded {len(rows)} rows")


if __name__ == "__main__":
    main(sys.argv[1])
