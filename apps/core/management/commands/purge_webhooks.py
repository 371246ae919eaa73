import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from apps.core.integrations.processing import deliveries
from apps.core.models import WebhookDelivery

# A hundred years: further back than any delivery, and than Python's dates reach.
MAX_DAYS = 36_500
# Deleted in transactions of at most this many rows: short locks on a big table.
BATCH_SIZE = 1000


class Command(BaseCommand):
    help = (
        "Delete the PROCESSED webhook deliveries received more than DAYS days ago; FAILED and "
        "RECEIVED ones are kept. Without it the table only grows (docs/integrations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            required=True,
            help="Keep what was received in the last DAYS days (1 or more). A purged delivery "
            "sent again is no longer recognised: keep them longer than any sender retries.",
        )

    def handle(self, *args, days, **options):
        if not 1 <= days <= MAX_DAYS:
            raise CommandError(f"--days takes a number of days from 1 to {MAX_DAYS:,}.")
        cutoff = timezone.now() - datetime.timedelta(days=days)
        purged = WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PROCESSED, received_at__lt=cutoff
        )
        deleted = 0
        while batch := list(purged.order_by("pk").values_list("pk", flat=True)[:BATCH_SIZE]):
            with transaction.atomic():
                deleted += WebhookDelivery.objects.filter(pk__in=batch).delete()[0]
        self.stdout.write(
            f"Deleted {deliveries(deleted)} processed and received before "
            f"{cutoff.isoformat(timespec='seconds')}."
        )
