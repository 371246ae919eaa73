"""Webhook deliveries in the Django admin: read-only and never deleted (a
deleted delivery would be accepted and processed again; old ones go by
`manage.py purge_webhooks`), found by source, status, event or delivery id,
and processed again by an action (a failed one, or one the workers never
got)."""

from django.contrib import admin, messages

from apps.core.admin import BoundedActions
from apps.core.integrations.processing import deliveries, process_delivery
from apps.core.models import WebhookDelivery

Status = WebhookDelivery.Status


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(BoundedActions, admin.ModelAdmin):
    list_display = (
        "delivery_id",
        "source",
        "event",
        "status",
        "attempts",
        "received_at",
        "processed_at",
    )
    list_filter = ("source", "status", "event")
    search_fields = ("=delivery_id",)
    date_hierarchy = "received_at"
    readonly_fields = tuple(field.name for field in WebhookDelivery._meta.concrete_fields)
    actions = ["process_again"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        """None, nor Django's bulk delete: a delivery is how a replay is
        recognised (`manage.py purge_webhooks` removes old processed ones)."""
        return False

    def has_change_permission(self, request, obj=None):
        """The list's actions, but no edits: a delivery is kept as it came."""
        return obj is None and super().has_change_permission(request)

    @admin.action(description="Process again (failed or received ones)", permissions=["change"])
    def process_again(self, request, queryset):
        """Process the selected deliveries that are not processed, here and
        now, as a worker would: the result is on the page at once."""
        pending = queryset.exclude(status=Status.PROCESSED).order_by("received_at", "id")
        results = [process_delivery(pk) for pk in pending.values_list("pk", flat=True)]
        processed = sum(1 for d in results if d is not None and d.status == Status.PROCESSED)
        failed = [d for d in results if d is not None and d.status == Status.FAILED]
        self.message_user(request, f"Processed {processed} of {deliveries(len(results))}.")
        for delivery in failed:
            self.message_user(
                request,
                f"Delivery {delivery.delivery_id} of {delivery.source} failed again: "
                f"{delivery.last_error}",
                messages.ERROR,
            )
