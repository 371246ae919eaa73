"""`manage.py makemigrations`: Django's, able to change a generated column
(`apps.core.management.autodetector`)."""

from django.core.management.commands import makemigrations

from apps.core.management.autodetector import MigrationAutodetector


class Command(makemigrations.Command):
    autodetector = MigrationAutodetector
