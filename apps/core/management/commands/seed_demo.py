import importlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from apps.core import services
from apps.core.tools import installed_tools


def demo_sets():
    """`(model, natural_key, rows)` from every tool that has a `demo.py`."""
    for tool in installed_tools():
        try:
            module = importlib.import_module(f"{tool.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{tool.name}.demo":
                raise
            continue
        yield from module.demo_sets()


class Command(BaseCommand):
    help = (
        "Load each tool's demo data (its demo.py). Idempotent: rows whose natural "
        "key already exists are left alone. Refused with DEBUG off (a production "
        "database) unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the demo data with DEBUG off too (a staging server's, say).",
        )

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like a production database, and the demo data "
                "is hundreds of made-up records. Nothing was loaded; add --force to load it "
                "anyway."
            )
        sets = list(demo_sets())
        total = sum(len(rows) for _, _, rows in sets)
        created = 0
        with tqdm(
            total=total, desc="Demo data", unit="row", disable=options["verbosity"] == 0
        ) as bar:
            for model, key, rows in sets:
                existing = set(model.objects.values_list(key, flat=True))
                for row in rows:
                    if row[key] not in existing:
                        with transaction.atomic():
                            services.create_entity(model, row)
                        created += 1
                    bar.update(1)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {created} created, {total - created} already there."
            )
        )
