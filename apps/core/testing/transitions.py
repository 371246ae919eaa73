"""Generic tests of status workflows: every transition the model's own
workflow declares, and every one it lacks, through the transition endpoint,
PATCH, PUT and create."""

import pytest

from apps.core.transitions import vetoed
from apps.core.workflows import Move


class TransitionTests:
    """Mixed into `EntityAPITestCase`; uses its fixtures and helpers."""

    # --- Helpers --------------------------------------------------------------------

    @property
    def workflow(self):
        return self.model.workflow

    def in_status(self, status: str, n: int = 1):
        """A stored record in `status`, put there directly (setup only)."""
        record = self.make(n)
        self.model.objects.filter(pk=record.pk).update(status=status)
        record.refresh_from_db()
        return record

    def open_transitions(self):
        """Transitions any writer may take: not admin-only, no guard."""
        return [t for t in self.workflow.all_transitions() if not t.admin_only and t.guard is None]

    def missing_transitions(self) -> list[tuple[str, str]]:
        statuses = [s.value for s in self.workflow.statuses]
        return [
            (source, target)
            for source in statuses
            for target in statuses
            if source != target and self.workflow.transition(source, target) is None
        ]

    def veto(self, record, transition, actor):
        """What the transition's guard says of `actor` moving `record`, with no comment."""
        move = Move(transition.source, transition.target, actor=actor)
        return transition.veto(record, move)

    def allowed_from(self, source: str) -> list[str]:
        return [t.target for t in self.workflow.transitions_from(source)]

    def post_transition(self, client, record, to, **extra):
        url = self.detail_url(record.pk, "transition")
        return client.post(url, {"to": to, **extra}, format="json")

    # --- The transition endpoint -------------------------------------------------------

    def test_every_open_transition_of_the_workflow_is_allowed(self, api, user):
        for n, transition in enumerate(self.open_transitions()):
            record = self.in_status(transition.source, n)
            before = self.audit_entries(object_id=record.pk).count()
            response = self.post_transition(api, record, transition.target, comment=f"Step {n}")
            assert response.status_code == 200, (transition, response.json())
            assert response.json()["status"] == transition.target
            assert self.audit_entries(object_id=record.pk).count() == before + 1
            entry = self.latest_entry(record)
            assert entry.changes["status"] == {
                "old": transition.source,
                "new": transition.target,
            }
            assert entry.comment == f"Step {n}"
            assert entry.actor == user

    def test_every_transition_the_workflow_lacks_is_a_409_listing_the_allowed_targets(self, api):
        for n, (source, target) in enumerate(self.missing_transitions()):
            record = self.in_status(source, n)
            response = self.post_transition(api, record, target)
            assert response.status_code == 409, (source, target)
            body = response.json()
            assert body["code"] == "transition_not_allowed"
            assert body["errors"] == {}
            assert body["allowed"] == self.allowed_from(source)
            record.refresh_from_db()
            assert record.status == source

    def test_admin_only_transitions_need_the_admin_permission(self, client_with, user):
        admin_only = [t for t in self.workflow.all_transitions() if t.admin_only]
        if not admin_only:
            pytest.skip("The workflow has no admin-only transition.")
        writer = client_with(f"{self.slug}:read", f"{self.slug}:write")
        admin = client_with(f"{self.slug}:read", f"{self.slug}:write", f"{self.slug}:admin")
        for n, transition in enumerate(admin_only):
            record = self.in_status(transition.source, n)
            response = self.post_transition(writer, record, transition.target)
            assert response.status_code == 403, transition
            assert f"'{self.slug}:admin'" in response.json()["detail"]
            response = self.post_transition(admin, record, transition.target)
            if not self.veto(record, transition, user):
                assert response.status_code == 200, (transition, response.json())

    def test_guards_decide_their_transitions(self, api, user):
        guarded = [t for t in self.workflow.all_transitions() if t.guard is not None]
        if not guarded:
            pytest.skip("The workflow has no guarded transition.")
        for n, transition in enumerate(guarded):
            record = self.in_status(transition.source, n)
            veto = self.veto(record, transition, user)
            response = self.post_transition(api, record, transition.target)
            if veto:
                assert response.status_code == 409, transition
                assert response.json()["code"] == "transition_vetoed"
                assert response.json()["detail"] == vetoed(veto).message
            else:
                assert response.status_code == 200, (transition, response.json())

    def test_a_locked_status_keeps_a_records_fields_from_all_but_admins(self, client_with, api):
        locked = [s.value for s in self.workflow.statuses if s.locked]
        if not locked:
            pytest.skip("The workflow locks no status.")
        writer = client_with(f"{self.slug}:read", f"{self.slug}:write")
        for n, status in enumerate(locked):
            record = self.in_status(status, n)
            url = self.detail_url(record.pk)
            response = writer.patch(url, self.changed_data(), format="json")
            assert response.status_code == 409, status
            assert response.json()["code"] == "record_locked"
            assert api.patch(url, self.changed_data(), format="json").status_code == 200

    def test_an_unknown_target_status_is_a_400_naming_to(self, api):
        response = self.post_transition(api, self.make(1), "NO-SUCH-STATUS")
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["to"]

    def test_a_transition_body_with_unknown_fields_is_a_400(self, api):
        record = self.make(1)
        response = self.post_transition(api, record, record.status, reason="typo of comment")
        assert response.status_code == 400
        assert response.json()["errors"] == {"reason": ["Unknown field."]}

    def test_a_transition_to_the_current_status_changes_nothing(self, api):
        record = self.make(1)
        before = self.audit_entries(object_id=record.pk).count()
        response = self.post_transition(api, record, record.status)
        assert response.status_code == 200
        assert self.audit_entries(object_id=record.pk).count() == before

    def test_a_transition_needs_write_permission(self, client_with):
        reader = client_with(f"{self.slug}:read")
        record = self.make(1)
        response = self.post_transition(reader, record, self.allowed_from(record.status)[0])
        assert response.status_code == 403
        assert f"'{self.slug}:write'" in response.json()["detail"]

    # --- The same rules for PATCH, PUT and create ----------------------------------------

    def test_a_patch_of_status_obeys_the_workflow_and_writes_nothing_when_refused(self, api):
        for n, (source, target) in enumerate(self.missing_transitions()):
            record = self.in_status(source, n)
            name = record.name
            data = {"status": target, "name": "Not saved"}
            response = api.patch(self.detail_url(record.pk), data, format="json")
            assert response.status_code == 409, (source, target)
            assert response.json()["allowed"] == self.allowed_from(source)
            record.refresh_from_db()
            assert (record.status, record.name) == (source, name)
        for n, transition in enumerate(self.open_transitions(), start=100):
            record = self.in_status(transition.source, n)
            data = {"status": transition.target}
            response = api.patch(self.detail_url(record.pk), data, format="json")
            assert response.status_code == 200, (transition, response.json())
            assert self.latest_entry(record).changes["status"]["new"] == transition.target

    def test_a_put_of_status_obeys_the_workflow(self, api):
        missing = self.missing_transitions()
        if not missing:
            pytest.skip("The workflow allows every move.")
        source, target = missing[0]
        record = self.in_status(source)
        data = {**self.valid_data(2), "status": target}
        response = api.put(self.detail_url(record.pk), data, format="json")
        assert response.status_code == 409
        assert response.json()["code"] == "transition_not_allowed"

    def test_a_record_cannot_be_created_archived(self, api):
        data = {**self.valid_data(1), "status": self.workflow.archived}
        response = api.post(self.list_url, data, format="json")
        assert response.status_code == 400
        assert "status" in response.json()["errors"]
        assert not self.model.objects.exists()

    def test_a_record_starts_in_the_initial_status_or_one_step_from_it(self, api):
        initial, archived = self.workflow.initial, self.workflow.archived
        open_targets = {t.target for t in self.open_transitions() if t.source == initial} - {
            archived
        }
        for n, status in enumerate([initial, *sorted(open_targets)]):
            data = {**self.valid_data(n), "status": status}
            response = api.post(self.list_url, data, format="json")
            assert response.status_code == 201, (status, response.json())
            assert response.json()["status"] == status
        unreachable = [
            s.value
            for s in self.workflow.statuses
            if s.value not in {initial, archived}
            and self.workflow.transition(initial, s.value) is None
        ]
        for n, status in enumerate(unreachable, start=100):
            data = {**self.valid_data(n), "status": status}
            response = api.post(self.list_url, data, format="json")
            assert response.status_code == 409, status
            assert response.json()["allowed"] == self.allowed_from(initial)
