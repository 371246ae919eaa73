from django.core.validators import MinValueValidator
from django.db import models

from apps.core.models import Entity


class Component(Entity):
    id_prefix = "CMP"
    searched_fields = ("public_id", "name", "description", "part_number", "supplier")

    part_number = models.CharField(max_length=64, unique=True)
    supplier = models.CharField(max_length=255, blank=True)
    unit_cost = models.DecimalField(
        max_digits=12, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    quantity_on_hand = models.PositiveIntegerField(default=0)
    datasheet_url = models.URLField(blank=True)

    class Meta(Entity.Meta):
        constraints = [
            *Entity.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(unit_cost__gte=0), name="components_unit_cost_not_negative"
            ),
        ]
