"""`manage.py migrate`: Django's, with the autodetector `makemigrations` uses
(`apps.core.management.autodetector`), as Django's checks require."""

from django.core.management.commands import migrate

from apps.core.management.autodetector import MigrationAutodetector


class Command(migrate.Command):
    autodetector = MigrationAutodetector
