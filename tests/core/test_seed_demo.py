import pytest
from django.core.management import CommandError, call_command

from apps.components.models import Component

pytestmark = pytest.mark.django_db


def test_seed_demo_loads_a_realistic_sample_and_is_idempotent(settings):
    settings.DEBUG = True  # a developer's machine (`make run`)
    call_command("seed_demo", verbosity=0)
    count = Component.objects.count()
    assert count >= 200
    assert Component.objects.values("category").distinct().count() >= 5
    assert Component.objects.filter(tags__name="preferred").exists()
    call_command("seed_demo", verbosity=0)
    assert Component.objects.count() == count


def test_seed_demo_refuses_a_database_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match=r"DEBUG is off.*Nothing was loaded; add --force"):
        call_command("seed_demo", verbosity=0)
    assert not Component.objects.exists()


def test_seed_demo_loads_with_debug_off_when_forced(settings):
    settings.DEBUG = False
    call_command("seed_demo", "--force", verbosity=0)
    assert Component.objects.count() >= 200
