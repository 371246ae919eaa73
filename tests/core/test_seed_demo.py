import pytest
from django.core.management import call_command

from apps.components.models import Component


@pytest.mark.django_db
def test_seed_demo_loads_a_realistic_sample_and_is_idempotent():
    call_command("seed_demo", verbosity=0)
    count = Component.objects.count()
    assert count >= 200
    assert Component.objects.values("category").distinct().count() >= 5
    assert Component.objects.filter(tags__name="preferred").exists()
    call_command("seed_demo", verbosity=0)
    assert Component.objects.count() == count
