"""Demo data for `manage.py seed_demo`: 240 components over eight categories."""

import random
from decimal import Decimal

from apps.components.models import Component

CATALOGUE = {
    "Resistors": (
        "RES",
        ["Thick film resistor", "Thin film resistor", "Current sense resistor"],
        ["passive", "smd"],
        (Decimal("0.01"), Decimal("0.40")),
    ),
    "Capacitors": (
        "CAP",
        ["Ceramic capacitor", "Electrolytic capacitor", "Tantalum capacitor"],
        ["passive", "smd"],
        (Decimal("0.02"), Decimal("1.80")),
    ),
    "Microcontrollers": (
        "MCU",
        ["ARM Cortex-M4 MCU", "ARM Cortex-M0+ MCU", "RISC-V MCU"],
        ["active", "programmable"],
        (Decimal("1.20"), Decimal("14.00")),
    ),
    "Sensors": (
        "SNS",
        ["Temperature sensor", "IMU 6-axis", "Pressure sensor", "Hall sensor"],
        ["active", "i2c"],
        (Decimal("0.60"), Decimal("12.50")),
    ),
    "Connectors": (
        "CON",
        ["USB-C receptacle", "JST-PH header", "Board-to-board connector"],
        ["mechanical", "through-hole"],
        (Decimal("0.10"), Decimal("3.20")),
    ),
    "Power": (
        "PWR",
        ["Buck converter", "LDO regulator", "Battery charger IC"],
        ["active", "power"],
        (Decimal("0.40"), Decimal("6.90")),
    ),
    "Transducers": (
        "TRD",
        ["Ultrasonic transducer", "Piezo buzzer", "MEMS microphone"],
        ["acoustic", "active"],
        (Decimal("0.80"), Decimal("24.00")),
    ),
    "Mechanical": (
        "MEC",
        ["M3 standoff", "Heat-set insert", "Enclosure screw"],
        ["mechanical", "hardware"],
        (Decimal("0.03"), Decimal("0.90")),
    ),
}
SUPPLIERS = ["Digi-Key", "Mouser", "Farnell", "LCSC", "Arrow", "RS Components"]
PER_CATEGORY = 30


def demo_sets():
    rng = random.Random(20261126)
    rows = []
    for category, (code, kinds, tags, (low, high)) in CATALOGUE.items():
        for n in range(1, PER_CATEGORY + 1):
            kind = rng.choice(kinds)
            cents = rng.randint(int(low * 100), int(high * 100))
            part_number = f"{code}-{1000 + n}"
            rows.append(
                {
                    "name": f"{kind} {part_number}",
                    "description": f"{kind} for general use, category {category.lower()}.",
                    "category": category,
                    "status": rng.choice(["ACTIVE", "ACTIVE", "ACTIVE", "DRAFT"]),
                    "tag_names": [*tags, *(["preferred"] if n % 7 == 0 else [])],
                    "part_number": part_number,
                    "supplier": rng.choice(SUPPLIERS),
                    "unit_cost": Decimal(cents) / 100,
                    "quantity_on_hand": rng.randint(0, 5000),
                    "datasheet_url": f"https://datasheets.example.com/{part_number.lower()}.pdf",
                }
            )
    yield Component, "part_number", rows
