"""The rows both stacks are loaded with: the same 10,000 components, built
from a fixed random seed so every run measures the same data."""

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

ROW_COUNT = 10_000
FIRST_CREATED_AT = datetime(2026, 1, 1, tzinfo=UTC)
# The token's subject: the seed stores it as created_by, Toolsuite finds its
# user by it (User.external_id).
SUBJECT = "auth0|bench-user"

CATALOGUE = {
    "Resistors": ("RES", ["Thick film resistor", "Thin film resistor", "Current sense resistor"]),
    "Capacitors": ("CAP", ["Ceramic capacitor", "Electrolytic capacitor", "Tantalum capacitor"]),
    "Microcontrollers": ("MCU", ["ARM Cortex-M4 MCU", "ARM Cortex-M0+ MCU", "RISC-V MCU"]),
    "Sensors": ("SNS", ["Temperature sensor", "IMU 6-axis", "Pressure sensor", "Hall sensor"]),
    "Connectors": ("CON", ["USB-C receptacle", "JST-PH header", "Board-to-board connector"]),
    "Power": ("PWR", ["Buck converter", "LDO regulator", "Battery charger IC"]),
    "Transducers": ("TRD", ["Ultrasonic transducer", "Piezo buzzer", "MEMS microphone"]),
    "Mechanical": ("MEC", ["M3 standoff", "Heat-set insert", "Enclosure screw"]),
}
SUPPLIERS = ["Digi-Key", "Mouser", "Farnell", "LCSC", "Arrow", "RS Components"]

# The search scenario's term. The seed searches names, Toolsuite searches
# public ids, names and descriptions: the rows are built so that both find
# the same rows (about 9% of them), which `search_matches` checks.
SEARCH_TERM = "sensor"


def build_rows(count: int = ROW_COUNT) -> list[dict]:
    """Rows in creation order, oldest first, as JSON-ready dicts in the seed's
    field names (`entity_id` is Toolsuite's `public_id`).

    No row is ARCHIVED: Toolsuite's list hides archived records by default and
    the seed's shows them, and both lists must return the same rows."""
    rng = random.Random(20261126)
    categories = list(CATALOGUE)
    rows = []
    for index in range(count):
        category = categories[index % len(categories)]
        code, kinds = CATALOGUE[category]
        kind = rng.choice(kinds)
        part_number = f"{code}-{index + 1:05d}"
        created_at = FIRST_CREATED_AT + timedelta(minutes=index)
        rows.append(
            {
                "entity_id": f"CMP-{index + 1:04d}",
                "name": f"{kind} {part_number}",
                "description": f"{kind} for general use.",
                "status": rng.choice(["ACTIVE", "ACTIVE", "ACTIVE", "DRAFT"]),
                "category": category,
                "created_by": SUBJECT,
                "part_number": part_number,
                "supplier": rng.choice(SUPPLIERS),
                "unit_cost": str(Decimal(rng.randint(1, 2400)) / 100),
                "quantity_on_hand": rng.randint(0, 5000),
                "datasheet_url": f"https://datasheets.example.com/{part_number.lower()}.pdf",
                "created_at": created_at.isoformat(),
            }
        )
    return rows


def search_matches(rows: list[dict], term: str = SEARCH_TERM) -> int:
    """How many rows the search scenario matches; fails if the two stacks'
    search rules would match different rows."""
    term = term.lower()
    by_name = {r["entity_id"] for r in rows if term in r["name"].lower()}
    by_any = {
        r["entity_id"]
        for r in rows
        if term in f"{r['entity_id']}\n{r['name']}\n{r['description']}".lower()
    }
    if by_name != by_any:
        raise ValueError(f"Search term {term!r} matches different rows in the two stacks.")
    return len(by_name)
