"""Fixtures of the prepared queries' tests: two components (one tagged),
four more listed with them (one archived), and a count of Django's compiles."""

from unittest import mock

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler

from apps.components.models import Component
from apps.core.models import Tag


@pytest.fixture
def components(user):
    made = [
        Component.objects.create(
            name=name, part_number=part, unit_cost="2.50", created_by=user, updated_by=user
        )
        for name, part in (("Sensor", "P-1"), ("Relay", "P-2"))
    ]
    made[0].tags.set([Tag.objects.create(name="i2c"), Tag.objects.create(name="spi")])
    return made


@pytest.fixture
def listed(components, user):
    more = [
        Component.objects.create(
            name=f"Part {n}", part_number=f"Q-{n}", created_by=user, updated_by=user
        )
        for n in range(4)
    ]
    more[1].status = Component.workflow.archived
    more[1].save()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # as autovacuum would: its size known
            cursor.execute(f"ANALYZE {Component._meta.db_table}")
    return components + more


@pytest.fixture
def compiles():
    """`compiles()` counts Django's compiles of a select (the prepared SQL is
    not one)."""
    return lambda: mock.patch.object(
        SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql
    )
