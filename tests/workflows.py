"""A workflow with an admin-only transition and a guard, for tests that swap
it in for the components' own: `swap_workflow(Component, REVIEWED)` (the
fixture in tests/conftest.py)."""

from apps.core.workflows import Status, Transition, Workflow


def no_stock_left(record, target):
    if record.quantity_on_hand:
        return f"{record.public_id} still has {record.quantity_on_hand} in stock."
    return None


REVIEWED = Workflow(
    statuses=[Status("DRAFT", "Draft"), Status("ACTIVE", "Active"), Status("ARCHIVED", "Archived")],
    transitions=[
        Transition("DRAFT", "ACTIVE", admin_only=True),
        Transition("ACTIVE", "DRAFT"),
        Transition("ACTIVE", "ARCHIVED", guard=no_stock_left),
    ],
    initial="DRAFT",
    restore_to="DRAFT",
)
