"""Generic tests of a tool's admin: the operators' view of its records lists,
finds and opens them, archives and restores a selection as audited writes,
refuses an action on more records than a bulk write takes, and never renders
a list of every record of another entity (a link is picked by searching:
apps/core/admin.py)."""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteMixin
from django.test import override_settings
from django.urls import reverse

from apps.core.models import User


class AdminTests:
    """Mixed into `EntityAPITestCase`; uses its fixtures and helpers."""

    def admin_url(self, view: str, *args) -> str:
        meta = self.model._meta
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)

    def operator(self, client):
        client.force_login(User.objects.create_superuser("operator", "ops@example.com", "pw"))
        return client

    def test_the_admin_lists_finds_and_opens_the_records(self, client):
        operator = self.operator(client)
        record = self.make()
        listed = operator.get(self.admin_url("changelist"))
        assert listed.status_code == 200
        assert record.public_id in listed.content.decode()
        found = operator.get(self.admin_url("changelist"), {"q": record.public_id})
        assert list(found.context["cl"].result_list) == [record]
        assert operator.get(self.admin_url("change", record.pk)).status_code == 200
        assert operator.get(self.admin_url("history", record.pk)).status_code == 200

    def test_each_link_to_another_record_is_picked_by_searching(self, client):
        """A `<select>` of every linked record took 85 s to render at a million."""
        form = self.operator(client).get(self.admin_url("add")).context["adminform"].form
        links = [
            field.name
            for field in self.model._meta.get_fields()
            if field.concrete
            and (field.many_to_one or field.many_to_many)
            and field.name in form.fields
            and admin.site.is_registered(field.related_model)
        ]
        listed = [
            name
            for name in links
            if not isinstance(form.fields[name].widget.widget, AutocompleteMixin)
        ]
        assert listed == []

    def act(self, client, action: str, records=(), *, everything=False, query=""):
        """Run an action of the list on `records`, or on every record the
        list shows (its "Select all"); returns the page it ends on and the
        messages shown there."""
        data = {"action": action, "index": 0, "_selected_action": [r.pk for r in records]}
        if everything:  # Django asks for one ticked box besides
            data.update(select_across=1, _selected_action=[self.model.objects.first().pk])
        response = client.post(self.admin_url("changelist") + query, data, follow=True)
        return response, [str(message) for message in response.context["messages"]]

    def test_the_admin_archives_and_restores_selected_records_as_audited_writes(self, client):
        operator = self.operator(client)
        first, second = self.make(1), self.make(2)
        archived, restore_to = self.model.workflow.archived, self.model.workflow.restore_to
        plural = self.model._meta.verbose_name_plural

        response, said = self.act(operator, "archive_selected", [first, second])
        assert response.redirect_chain == [(self.admin_url("changelist"), 302)]
        assert said == [f"Archived 2 {plural}."]
        assert {r.status for r in self.model.objects.all()} == {archived}
        entries = list(self.audit_entries(action="ARCHIVE"))
        assert sorted(e.object_id for e in entries) == sorted([first.pk, second.pk])
        assert {e.actor.username for e in entries} == {"operator"}
        assert len({e.request_id for e in entries}) == 1

        _, said = self.act(operator, "restore_selected", [first, second])
        assert said == [f"Restored 2 {plural}."]
        assert {r.status for r in self.model.objects.all()} == {restore_to}
        assert self.audit_entries(action="RESTORE").count() == 2

    @override_settings(BULK_MAX_ITEMS=2)
    def test_an_action_on_more_records_than_a_bulk_write_takes_is_refused(self, client):
        """Django hands an action every record of "Select all": at a million,
        its delete's confirmation had not answered after three minutes."""
        operator = self.operator(client)
        first, *_ = (self.make(n) for n in (1, 2, 3))
        for action in ("delete_selected", "archive_selected"):
            response, said = self.act(operator, action, everything=True)
            assert response.redirect_chain == [(self.admin_url("changelist"), 302)]
            assert said == [
                "An action takes at most 2 records at a time, and more were selected. "
                "Narrow the list with a filter or a search first."
            ]
        assert self.model.objects.count() == 3
        assert not self.audit_entries(action="ARCHIVE").exists()
        # Narrowed to two, the whole selection is confirmed for deletion.
        response, said = self.act(
            operator, "delete_selected", everything=True, query=f"?q={first.public_id}"
        )
        assert response.redirect_chain == [], said
        assert list(response.context["queryset"]) == [first]
