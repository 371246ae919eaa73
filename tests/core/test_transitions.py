"""Workflows a tool declares for itself: admin-only transitions and guards,
through every path that changes a status. The generic tests cover each
tool's own workflow; here the components' workflow is swapped for one that
has both."""

import pytest

from apps.components.models import Component
from apps.core.context import acting_as
from apps.core.models import AuditEntry
from apps.core.testing.api import EntityAPITestCase
from apps.core.workflows import Move, Status, Transition, Workflow
from tests.workflows import REVIEWED

URL = "/api/v1/components/components/"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reviewed_workflow(swap_workflow):
    swap_workflow(Component, REVIEWED)


def make(status="DRAFT", **fields):
    """A record in `status`, put there directly (setup only)."""
    record = Component.objects.create(
        name="Sensor", part_number=f"S-{Component.objects.count()}", **fields
    )
    Component.objects.filter(pk=record.pk).update(status=status)
    record.refresh_from_db()
    return record


def transition(client, record, to, **extra):
    return client.post(f"{URL}{record.pk}/transition/", {"to": to, **extra}, format="json")


def test_an_admin_only_transition_without_admin_is_a_403_naming_the_permission(writer):
    record = make()
    response = transition(writer, record, "ACTIVE")
    assert response.status_code == 403
    assert response.json() == {
        "detail": (
            f"You need the 'components:admin' permission to move {record.public_id} "
            "from Draft to Active."
        ),
        "code": "permission_denied",
        "errors": {},
    }
    record.refresh_from_db()
    assert record.status == "DRAFT"


def test_an_admin_takes_an_admin_only_transition(admin):
    record = make()
    response = transition(admin, record, "ACTIVE", comment="Reviewed")
    assert response.status_code == 200
    entry = AuditEntry.objects.filter(object_id=record.pk).first()
    assert entry.changes == {"status": {"old": "DRAFT", "new": "ACTIVE"}}
    assert entry.comment == "Reviewed"


def test_a_patch_of_status_needs_admin_for_an_admin_only_transition(writer, admin):
    record = make()
    url = f"{URL}{record.pk}/"
    assert writer.patch(url, {"status": "ACTIVE"}, format="json").status_code == 403
    assert admin.patch(url, {"status": "ACTIVE"}, format="json").status_code == 200


def test_creating_a_record_in_a_status_behind_an_admin_only_transition_needs_admin(writer, admin):
    data = {"name": "Sensor", "part_number": "S-9", "status": "ACTIVE"}
    assert writer.post(URL, data, format="json").status_code == 403
    assert not Component.objects.exists()
    assert admin.post(URL, data, format="json").status_code == 201


def test_a_guard_vetoes_with_its_message_and_nothing_is_written(admin):
    record = make("ACTIVE", quantity_on_hand=3)
    entries = AuditEntry.objects.count()
    response = transition(admin, record, "ARCHIVED")
    assert response.status_code == 409
    assert response.json() == {
        "detail": f"{record.public_id} still has 3 in stock.",
        "code": "transition_vetoed",
        "errors": {},
    }
    assert AuditEntry.objects.count() == entries


def test_archive_goes_through_the_guard_too(admin):
    record = make("ACTIVE", quantity_on_hand=3)
    response = admin.delete(f"{URL}{record.pk}/")
    assert response.status_code == 409
    assert response.json()["code"] == "transition_vetoed"


def test_a_guard_sees_the_other_changes_of_the_same_patch(admin):
    record = make("ACTIVE", quantity_on_hand=3)
    url = f"{URL}{record.pk}/"
    response = admin.patch(url, {"quantity_on_hand": 0, "status": "ARCHIVED"}, format="json")
    assert response.status_code == 200
    entry = AuditEntry.objects.filter(object_id=record.pk).first()
    assert entry.action == "ARCHIVE"
    assert entry.changes == {
        "quantity_on_hand": {"old": 3, "new": 0},
        "status": {"old": "ACTIVE", "new": "ARCHIVED"},
    }


def test_an_implied_transition_to_archived_is_open_to_writers(writer):
    record = make("DRAFT", quantity_on_hand=3)
    assert transition(writer, record, "ARCHIVED").status_code == 200


def test_a_status_only_admins_may_leave_only_admins_may_archive(swap_workflow, writer, admin):
    """Archive, then restore, would take a writer out of it to `restore_to`."""
    workflow = Workflow(
        statuses=[Status("OUT", "Out"), Status("LOST", "Lost"), Status("RETURNED", "Returned")],
        transitions=[
            Transition("OUT", "LOST", admin_only=True),
            Transition("LOST", "RETURNED", admin_only=True),
        ],
    )
    swap_workflow(Component, workflow)
    lost = make("LOST")

    response = writer.delete(f"{URL}{lost.pk}/")
    assert response.status_code == 403
    assert "components:admin" in response.json()["detail"]
    response = writer.post(f"{URL}bulk/archive/", {"ids": [lost.pk]}, format="json")
    assert response.status_code == 400
    lost.refresh_from_db()
    assert lost.status == "LOST"

    assert admin.delete(f"{URL}{lost.pk}/").status_code == 204
    # Restored to itself (OUT): a writer's to archive.
    assert writer.delete(f"{URL}{make('OUT').pk}/").status_code == 204


def test_a_final_status_is_archived_by_admins_unless_the_workflow_opens_it(
    swap_workflow, writer, admin
):
    """No way out declared (RETURNED): nobody leaves it, so archive, then
    restore, would take a writer out of it to `restore_to`, as for LOST."""
    statuses = [Status("OUT", "Out"), Status("RETURNED", "Returned")]
    swap_workflow(Component, Workflow(statuses, [Transition("OUT", "RETURNED")]))
    returned = make("RETURNED")
    response = writer.delete(f"{URL}{returned.pk}/")
    assert response.status_code == 403
    assert "components:admin" in response.json()["detail"]
    assert Component.objects.get(pk=returned.pk).status == "RETURNED"
    assert admin.delete(f"{URL}{returned.pk}/").status_code == 204

    opened = [Transition("OUT", "RETURNED"), Transition("RETURNED", "ARCHIVED")]
    swap_workflow(Component, Workflow(statuses, opened))
    assert writer.delete(f"{URL}{make('RETURNED').pk}/").status_code == 204


def test_restore_goes_to_the_workflows_restore_to(writer):
    record = make("ARCHIVED")
    response = writer.post(f"{URL}{record.pk}/restore/")
    assert response.status_code == 200
    assert response.json()["status"] == "DRAFT"


def test_the_409_lists_the_targets_allowed_from_the_current_status(admin):
    record = make("ARCHIVED")
    response = transition(admin, record, "ACTIVE")
    assert response.status_code == 409
    assert response.json()["allowed"] == ["DRAFT"]


def test_a_revert_of_a_status_change_needs_what_the_move_back_needs(writer, admin):
    record = make("ACTIVE")
    assert transition(writer, record, "DRAFT").status_code == 200
    entry = AuditEntry.objects.filter(object_id=record.pk).first()
    body = {"audit_id": entry.pk}
    response = writer.post(f"{URL}{record.pk}/revert/", body, format="json")
    assert response.status_code == 403  # DRAFT -> ACTIVE is admin-only
    response = admin.post(f"{URL}{record.pk}/revert/", body, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "ACTIVE"


# --- Guards that see the move: its comment and who makes it --------------------------------


@pytest.fixture
def moves(swap_workflow):
    """The moves a guard declaring `move` is given, on every path: DRAFT ->
    ACTIVE and back, archived from ACTIVE, restored to DRAFT."""
    seen = []

    def watch(record, target, *, move):
        seen.append(move)

    swap_workflow(Component, Workflow(REVIEWED.statuses, [
        Transition("DRAFT", "ACTIVE", guard=watch),
        Transition("ACTIVE", "DRAFT", guard=watch),
        Transition("ACTIVE", "ARCHIVED", guard=watch),
        Transition("ARCHIVED", "DRAFT", guard=watch),
    ], restore_to="DRAFT"))  # fmt: skip
    return seen


def test_a_guard_declaring_move_sees_the_comment_and_who_moves_the_record(moves, writer, user):
    record = make("DRAFT")
    assert transition(writer, record, "ACTIVE", comment="Checked.").status_code == 200
    assert moves == [Move("DRAFT", "ACTIVE", "Checked.", user)]


def test_every_path_that_moves_a_record_gives_the_guard_the_same_move(moves, writer, user):
    record = make("DRAFT")
    url = f"{URL}{record.pk}/"
    assert writer.patch(url, {"status": "ACTIVE"}, format="json").status_code == 200
    assert writer.delete(url).status_code == 204
    assert writer.post(f"{url}restore/").status_code == 200
    body = [{"id": record.pk, "status": "ACTIVE"}]
    assert writer.patch(f"{URL}bulk/", body, format="json").status_code == 200
    archive = {"ids": [record.pk]}
    assert writer.post(f"{URL}bulk/archive/", archive, format="json").status_code == 200
    assert moves == [
        Move("DRAFT", "ACTIVE", "", user),
        Move("ACTIVE", "ARCHIVED", "", user),
        Move("ARCHIVED", "DRAFT", "", user),
        Move("DRAFT", "ACTIVE", "", user),
        Move("ACTIVE", "ARCHIVED", "", user),
    ]


def test_a_revert_gives_the_guard_its_comment(moves, writer, user):
    record = make("DRAFT")
    transition(writer, record, "ACTIVE")
    entry = AuditEntry.objects.filter(object_id=record.pk).first()
    moves.clear()
    response = writer.post(f"{URL}{record.pk}/revert/", {"audit_id": entry.pk}, format="json")
    assert response.status_code == 200
    assert {(m.source, m.target, m.actor) for m in moves} == {("ACTIVE", "DRAFT", user)}
    assert moves[0].comment.startswith("Reverted the change of ")


def test_trusted_code_moves_with_no_actor(moves):
    from apps.core import services

    services.transition_entity(make("DRAFT"), "ACTIVE", comment="Migrated.")
    assert moves == [Move("DRAFT", "ACTIVE", "Migrated.", None)]


def approval_rules(record, target, *, move):
    """Approving more than 100 needs a comment; nobody approves what they made."""
    if move.actor is not None and move.actor == record.created_by:
        return "Whoever made a record may not approve it."
    if record.quantity_on_hand > 100 and not move.comment:
        return {"comment": "Approving more than 100 needs a comment."}
    return None


@pytest.fixture
def approvals(swap_workflow):
    transitions = [Transition("DRAFT", "ACTIVE", guard=approval_rules)]
    swap_workflow(Component, Workflow(REVIEWED.statuses, transitions))


def test_a_veto_naming_a_field_is_under_that_field_in_the_409(approvals, writer):
    record = make("DRAFT", quantity_on_hand=500)
    response = transition(writer, record, "ACTIVE")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Approving more than 100 needs a comment.",
        "code": "transition_vetoed",
        "errors": {"comment": ["Approving more than 100 needs a comment."]},
    }
    assert Component.objects.get(pk=record.pk).status == "DRAFT"
    assert transition(writer, record, "ACTIVE", comment="Budgeted.").status_code == 200


def test_a_bulk_item_vetoed_naming_a_field_is_refused_under_that_field(approvals, writer):
    record = make("DRAFT", quantity_on_hand=500)
    body = [{"id": record.pk, "status": "ACTIVE"}]
    response = writer.patch(f"{URL}bulk/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"index": 0, "errors": {"comment": ["Approving more than 100 needs a comment."]}}
    ]
    assert Component.objects.get(pk=record.pk).status == "DRAFT"


def test_a_bulk_item_comment_meets_the_guard_and_is_kept_on_each_records_entry(approvals, writer):
    records = [make("DRAFT", quantity_on_hand=500), make("DRAFT", quantity_on_hand=300)]
    body = [{"id": record.pk, "status": "ACTIVE", "comment": "Budgeted."} for record in records]
    response = writer.patch(f"{URL}bulk/", body, format="json")
    assert response.status_code == 200
    for record in records:
        entry = AuditEntry.objects.filter(object_id=record.pk).latest("pk")
        assert entry.changes["status"] == {"old": "DRAFT", "new": "ACTIVE"}
        assert entry.comment == "Budgeted."


def test_bulk_items_with_their_own_comments_keep_each_its_own(writer):
    first, second = make("ACTIVE"), make("ACTIVE")
    body = [
        {"id": first.pk, "status": "DRAFT", "comment": "Recalled."},
        {"id": second.pk, "status": "DRAFT", "comment": "Needs review."},
    ]
    assert writer.patch(f"{URL}bulk/", body, format="json").status_code == 200
    entries = AuditEntry.objects.filter(object_id__in=[first.pk, second.pk]).order_by("pk")
    comments = {entry.object_id: entry.comment for entry in entries}  # each record's latest
    assert comments == {first.pk: "Recalled.", second.pk: "Needs review."}


def test_a_bulk_item_gives_the_guard_its_comment(moves, writer, user):
    record = make("DRAFT")
    body = [{"id": record.pk, "status": "ACTIVE", "comment": "Checked."}]
    assert writer.patch(f"{URL}bulk/", body, format="json").status_code == 200
    assert moves == [Move("DRAFT", "ACTIVE", "Checked.", user)]


def test_a_bulk_item_comment_longer_than_a_transitions_is_refused_under_comment(writer):
    record = make("ACTIVE")
    body = [{"id": record.pk, "status": "DRAFT", "comment": "x" * 2001}]
    response = writer.patch(f"{URL}bulk/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "index": 0,
            "errors": {"comment": ["Ensure this field has no more than 2000 characters."]},
        }
    ]
    assert Component.objects.get(pk=record.pk).status == "ACTIVE"


def test_a_guard_may_refuse_the_records_own_author(approvals, writer, user):
    with acting_as(user):
        record = make("DRAFT")
    response = transition(writer, record, "ACTIVE", comment="Mine.")
    assert response.status_code == 409
    assert response.json()["detail"] == "Whoever made a record may not approve it."
    other = make("DRAFT")  # made by nobody in particular
    assert transition(writer, other, "ACTIVE").status_code == 200


def test_trusted_code_skips_only_the_admin_check():
    from apps.core import services
    from apps.core.exceptions import ConflictError

    record = make("DRAFT")
    services.transition_entity(record, "ACTIVE")
    assert record.status == "ACTIVE"
    record.quantity_on_hand = 1
    with pytest.raises(ConflictError, match="in stock"):
        services.archive_entity(record)


class TestTheGenericToolTestsUnderACustomWorkflow(EntityAPITestCase):
    """The generic tests' admin-only and guard cases run (they skip for a
    workflow without them), and the rest hold under a tool's own workflow."""

    model = Component
