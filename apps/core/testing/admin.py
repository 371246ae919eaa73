"""Generic tests of a tool's admin: the operators' view of its records lists,
finds and opens them, and never renders a list of every record of another
entity (a link is picked by searching: apps/core/admin.py)."""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteMixin
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
