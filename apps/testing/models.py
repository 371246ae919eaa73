from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from apps.core.models import Entity
from apps.core.workflows import Status, Transition, Workflow


class TestRun(Entity):
    id_prefix = "TST"

    workflow = Workflow(
        statuses=[
            Status("PENDING", "Pending", "gray"),
            Status("RUNNING", "Running", "blue"),
            Status("PASS", "Pass", "green"),
            Status("FAIL", "Fail", "red"),
        ],
        transitions=[
            Transition("PENDING", "RUNNING"),
            Transition("RUNNING", "PASS"),
            Transition("RUNNING", "FAIL"),
        ],
    )

    measured_value = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    unit = models.CharField(max_length=32, blank=True)
    result = models.TextField(blank=True)
    component = models.ForeignKey(
        "components.Component", on_delete=models.PROTECT, related_name="+"
    )
    executed_at = models.DateTimeField(null=True, blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    instruments = models.ManyToManyField("components.Component", related_name="+", blank=True)

    def clean(self):
        """A finished run says what was measured. A rule about the record's
        state lives here, so that every write obeys it (`Entity.check_rules`)."""
        if self.status in {"PASS", "FAIL"} and self.measured_value is None:
            raise ValidationError({"measured_value": ["Required once the run has finished."]})
