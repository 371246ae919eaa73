import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from apps.core.integrations.processing import deliveries, process_delivery
from apps.core.integrations.sources import webhook_source
from apps.core.management.commands.purge_webhooks import MAX_DAYS
from apps.core.models import WebhookDelivery

Status = WebhookDelivery.Status
# A hundred years, as the purge's --days: further back is no date at all.
MAX_MINUTES = MAX_DAYS * 24 * 60


class Command(BaseCommand):
    help = (
        "Process the webhook deliveries still RECEIVED or FAILED, oldest first, here and now: "
        "the fallback when the workers or their broker were down (docs/integrations.md). "
        "Deliveries that failed WEBHOOK_MAX_ATTEMPTS attempts are skipped unless "
        "--include-exhausted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            action="append",
            default=[],
            help="Only this source's deliveries (repeatable).",
        )
        parser.add_argument(
            "--older-than",
            type=int,
            default=0,
            metavar="MINUTES",
            help="Only deliveries received at least this many minutes ago (leave the newest "
            "to the workers).",
        )
        parser.add_argument(
            "--newer-than",
            type=int,
            metavar="MINUTES",
            help="Only deliveries received at most this many minutes ago.",
        )
        parser.add_argument(
            "--include-exhausted",
            action="store_true",
            help="Also the FAILED deliveries that have had WEBHOOK_MAX_ATTEMPTS attempts or "
            "more (once what broke them is fixed).",
        )

    def handle(self, *args, source, older_than, newer_than, include_exhausted, **options):
        unknown = [name for name in source if webhook_source(name) is None]
        if unknown:
            raise CommandError(f"No webhook source {', '.join(map(repr, unknown))} is registered.")
        if not all(0 <= minutes <= MAX_MINUTES for minutes in (older_than, newer_than or 0)):
            raise CommandError(
                f"--older-than and --newer-than take a number of minutes from 0 to {MAX_MINUTES:,}."
            )
        if newer_than is not None and newer_than <= older_than:
            raise CommandError(
                f"--newer-than ({newer_than}) must be more than --older-than ({older_than}): "
                "no delivery was received both at least "
                f"{older_than} and at most {newer_than} minutes ago."
            )
        now = timezone.now()
        pending = WebhookDelivery.objects.filter(
            status__in=[Status.RECEIVED, Status.FAILED],
            received_at__lte=now - datetime.timedelta(minutes=older_than),
        )
        if source:
            pending = pending.filter(source__in=source)
        if newer_than is not None:
            pending = pending.filter(received_at__gte=now - datetime.timedelta(minutes=newer_than))
        # Left FAILED by the workers for good: tried again on every scheduled
        # run, each would log its traceback every few minutes for ever.
        exhausted = Q(status=Status.FAILED, attempts__gte=settings.WEBHOOK_MAX_ATTEMPTS)
        skipped = 0 if include_exhausted else pending.filter(exhausted).count()
        if not include_exhausted:
            pending = pending.exclude(exhausted)
        counts = dict.fromkeys(Status.values, 0)
        for pk in pending.order_by("received_at", "id").values_list("pk", flat=True):
            delivery = process_delivery(pk)
            if delivery is None:  # processed meanwhile, or being processed now
                continue
            counts[delivery.status] += 1
            if delivery.status == Status.FAILED:
                self.stderr.write(
                    f"Delivery {delivery.delivery_id} of {delivery.source} failed: "
                    f"{delivery.last_error}"
                )
        self.stdout.write(
            f"Processed {deliveries(counts[Status.PROCESSED])}; {counts[Status.FAILED]} failed."
        )
        if skipped:
            self.stdout.write(
                f"Skipped {deliveries(skipped)} that failed {settings.WEBHOOK_MAX_ATTEMPTS} "
                "attempts (WEBHOOK_MAX_ATTEMPTS) or more; --include-exhausted processes them too."
            )
        if counts[Status.FAILED]:
            # Exit status 1, so that cron or a job's monitoring sees it.
            raise CommandError(f"{deliveries(counts[Status.FAILED])} failed.", returncode=1)
