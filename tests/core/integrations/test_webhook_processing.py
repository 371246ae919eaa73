"""Processing a delivery: its source's handler, once, as the source's own
user, all or nothing; a failed delivery kept with its error, and processed
again from the admin or by `manage.py process_webhooks`."""

import datetime
import logging
import uuid

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.utils import timezone
from webhook_senders import PART, stored

from apps.components.models import Component
from apps.core.integrations.processing import process_delivery
from apps.core.models import AuditEntry, User, WebhookDelivery
from tests.locks import holding

pytestmark = pytest.mark.django_db


@pytest.fixture
def processed(sender, django_capture_on_commit_callbacks):
    """Post a `parts` delivery and process it as the tests process: once the
    request's transaction commits, inline. Returns the stored delivery."""

    def post(payload=PART, delivery="d-1") -> WebhookDelivery:
        with django_capture_on_commit_callbacks(execute=True):
            response = sender.part(payload, delivery=delivery)
        assert response.status_code == 202, response.content
        return WebhookDelivery.objects.get(pk=response.json()["id"])

    return post


def test_the_handlers_writes_are_audited_as_the_source_under_the_deliverys_request_id(processed):
    delivery = processed()

    assert delivery.status == "PROCESSED"
    assert delivery.attempts == 1
    assert delivery.processed_at is not None
    assert delivery.last_error == ""
    component = Component.objects.get()
    feed = User.objects.get(username="webhooks-parts")
    assert component.created_by == feed
    [entry] = AuditEntry.objects.filter(public_id=component.public_id)
    assert (entry.action, entry.actor, entry.actor_label) == ("CREATE", feed, "Parts feed")
    assert entry.request_id == delivery.request_id
    assert component.history.get().history_user == feed


def test_the_sources_user_is_made_once_and_cannot_sign_in(processed):
    processed(delivery="d-1")
    processed({**PART, "part_number": "SNS-2002"}, delivery="d-2")

    feed = User.objects.get(username="webhooks-parts")
    assert feed.display_name == "Parts feed"
    assert not feed.has_usable_password()
    assert set(Component.objects.values_list("created_by", flat=True)) == {feed.pk}


def test_a_failing_handler_keeps_none_of_its_writes_and_its_error(processed, caplog):
    with caplog.at_level(logging.ERROR, "apps.core.integrations.processing"):
        delivery = processed({**PART, "fail": True})

    assert delivery.status == "FAILED"
    assert delivery.attempts == 1
    assert delivery.processed_at is None
    assert delivery.last_error == "RuntimeError: the feed cannot take SNS-2001"
    assert not Component.objects.exists()
    assert not AuditEntry.objects.exists()
    [record] = caplog.records
    assert "failed on attempt 1" in record.getMessage()
    assert record.exc_info[0] is RuntimeError


def test_a_processed_delivery_is_never_processed_again(processed):
    delivery = processed()

    assert process_delivery(delivery.pk) is None
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    assert Component.objects.count() == 1


def test_a_delivery_of_a_source_no_longer_registered_fails_saying_so():
    delivery = stored(source="retired")

    process_delivery(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == "FAILED"
    assert delivery.last_error == "UnknownSource: No webhook source 'retired' is registered."


@pytest.mark.postgres
def test_a_delivery_another_process_is_processing_is_left_to_it(transactional_db):
    delivery = stored(request_id=uuid.uuid4())
    release = holding(lambda: WebhookDelivery.objects.select_for_update().get(pk=delivery.pk))
    try:
        assert process_delivery(delivery.pk) is None
    finally:
        release()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("RECEIVED", 0)


def test_inline_a_delivery_is_processed_before_the_sender_is_answered(sender, transactional_db):
    """Outside the tests' transaction, as in the embedded default: the
    delivery commits, is processed, then answered."""
    response = sender.part(PART, delivery="d-1")

    assert response.status_code == 202
    assert response.json()["status"] == "PROCESSED"
    assert Component.objects.count() == 1


# --- Processed again: the admin's action, the command -------------------------------------


@pytest.fixture
def failed_then_fixed(processed):
    """A delivery that failed on a part number already taken, and the part
    since renumbered: processing it again now succeeds."""
    blocker = Component.objects.create(name="Old sensor", part_number="SNS-2001")
    delivery = processed()
    assert delivery.status == "FAILED"
    assert delivery.last_error.startswith("IntegrityError: ")
    blocker.part_number = "SNS-1999"
    blocker.save()
    return delivery


def process_again(client, *deliveries):
    return client.post(
        "/admin/core/webhookdelivery/",
        {"action": "process_again", "_selected_action": [d.pk for d in deliveries]},
        follow=True,
    )


def test_the_admin_processes_a_failed_delivery_again(admin_client, failed_then_fixed):
    response = process_again(admin_client, failed_then_fixed)

    assert response.status_code == 200
    assert "Processed 1 of 1 delivery." in response.content.decode()
    failed_then_fixed.refresh_from_db()
    assert (failed_then_fixed.status, failed_then_fixed.attempts) == ("PROCESSED", 2)
    assert Component.objects.filter(part_number="SNS-2001").exists()


def test_the_admin_says_which_deliveries_failed_again(admin_client, processed):
    delivery = processed({**PART, "fail": True})

    response = process_again(admin_client, delivery)

    page = response.content.decode()
    assert "Processed 0 of 1 delivery." in page
    assert "Delivery d-1 of parts failed again: RuntimeError: the feed cannot take SNS-2001" in page
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("FAILED", 2)


def test_the_admin_leaves_processed_deliveries_alone(admin_client, processed):
    delivery = processed()

    response = process_again(admin_client, delivery)

    assert "Processed 0 of 0 deliveries." in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.attempts == 1


def test_the_admin_shows_a_delivery_read_only_and_finds_it_by_id(admin_client, processed):
    delivery = processed()
    stored(delivery_id="d-2")

    found = admin_client.get("/admin/core/webhookdelivery/", {"q": "d-1"})
    assert [d.pk for d in found.context["cl"].result_list] == [delivery.pk]
    filtered = admin_client.get("/admin/core/webhookdelivery/", {"status__exact": "RECEIVED"})
    assert [d.delivery_id for d in filtered.context["cl"].result_list] == ["d-2"]
    page = admin_client.get(f"/admin/core/webhookdelivery/{delivery.pk}/change/")
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert admin_client.get("/admin/core/webhookdelivery/add/").status_code == 403


def test_the_admin_cannot_delete_a_delivery(admin_client, processed):
    """Deleted, the delivery could be accepted and processed again."""
    delivery = processed()

    assert admin_client.get(f"/admin/core/webhookdelivery/{delivery.pk}/delete/").status_code == 403
    assert (
        admin_client.post(f"/admin/core/webhookdelivery/{delivery.pk}/delete/").status_code == 403
    )
    listing = admin_client.get("/admin/core/webhookdelivery/")
    assert [name for name, _ in listing.context["action_form"].fields["action"].choices] == [
        "",
        "process_again",
    ]
    admin_client.post(
        "/admin/core/webhookdelivery/",
        {"action": "delete_selected", "_selected_action": [delivery.pk], "post": "yes"},
    )
    assert WebhookDelivery.objects.filter(pk=delivery.pk).exists()


def test_staff_who_may_only_view_deliveries_cannot_process_them(client, failed_then_fixed):
    viewer = User.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_webhookdelivery"))
    client.force_login(viewer)

    process_again(client, failed_then_fixed)

    failed_then_fixed.refresh_from_db()
    assert failed_then_fixed.status == "FAILED"


def received_ago(minutes: int, **fields) -> WebhookDelivery:
    delivery = stored(**fields)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        received_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )
    return delivery


def test_the_command_processes_what_is_received_or_failed(failed_then_fixed, capsys):
    never_sent = received_ago(30, delivery_id="d-2", payload={**PART, "part_number": "SNS-2002"})

    call_command("process_webhooks")

    for delivery in (failed_then_fixed, never_sent):
        delivery.refresh_from_db()
        assert delivery.status == "PROCESSED"
    assert Component.objects.filter(part_number__in=["SNS-2001", "SNS-2002"]).count() == 2
    assert "Processed 2 deliveries; 0 failed." in capsys.readouterr().out


def test_the_command_narrows_by_source_and_age(capsys):
    old_part = received_ago(30, delivery_id="d-old")
    new_part = received_ago(1, delivery_id="d-new", payload={**PART, "part_number": "SNS-2002"})
    old_tracker = received_ago(30, source="tracker", delivery_id="t-old", payload={})
    too_old = received_ago(600, delivery_id="d-ancient", payload={**PART, "part_number": "X-1"})

    call_command("process_webhooks", "--source", "parts", "--older-than", "5", "--newer-than", "60")

    statuses = {
        d.delivery_id: d.status
        for d in WebhookDelivery.objects.filter(
            pk__in=[old_part.pk, new_part.pk, old_tracker.pk, too_old.pk]
        )
    }
    assert statuses == {
        "d-old": "PROCESSED",
        "d-new": "RECEIVED",
        "t-old": "RECEIVED",
        "d-ancient": "RECEIVED",
    }
    assert "Processed 1 delivery; 0 failed." in capsys.readouterr().out


def test_the_command_reports_what_failed_again_and_exits_1(processed, capsys):
    processed({**PART, "fail": True})

    with pytest.raises(CommandError, match=r"^1 delivery failed\.$") as failed:
        call_command("process_webhooks")

    assert failed.value.returncode == 1  # for cron and monitoring
    out, err = capsys.readouterr()
    assert "Processed 0 deliveries; 1 failed." in out
    assert "Delivery d-1 of parts failed: RuntimeError: the feed cannot take SNS-2001" in err


def test_the_command_skips_deliveries_that_failed_the_most_attempts_allowed(settings, capsys):
    """On a schedule it would otherwise try the same broken deliveries, each
    logging its traceback, every few minutes for ever."""
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    exhausted = stored(delivery_id="d-1", status="FAILED", attempts=3)
    retried = stored(
        delivery_id="d-2", payload={**PART, "part_number": "SNS-2002"}, status="FAILED", attempts=2
    )

    call_command("process_webhooks")

    exhausted.refresh_from_db()
    retried.refresh_from_db()
    assert (exhausted.status, exhausted.attempts) == ("FAILED", 3)
    assert (retried.status, retried.attempts) == ("PROCESSED", 3)
    out = capsys.readouterr().out
    assert "Processed 1 delivery; 0 failed." in out
    assert "Skipped 1 delivery that failed 3 attempts (WEBHOOK_MAX_ATTEMPTS)" in out


def test_the_command_includes_exhausted_deliveries_when_asked(settings, capsys):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    exhausted = stored(delivery_id="d-1", status="FAILED", attempts=7)

    call_command("process_webhooks", "--include-exhausted")

    exhausted.refresh_from_db()
    assert (exhausted.status, exhausted.attempts) == ("PROCESSED", 8)
    assert "Skipped" not in capsys.readouterr().out


def test_the_admin_processes_an_exhausted_delivery_again(admin_client, settings):
    """A person chose it: no limit."""
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    exhausted = stored(delivery_id="d-1", status="FAILED", attempts=3)

    process_again(admin_client, exhausted)

    exhausted.refresh_from_db()
    assert (exhausted.status, exhausted.attempts) == ("PROCESSED", 4)


def test_the_command_refuses_an_unknown_source():
    with pytest.raises(CommandError, match="No webhook source 'nobody'"):
        call_command("process_webhooks", "--source", "nobody")


def test_the_purge_deletes_processed_deliveries_older_than_the_days_given(capsys):
    old = received_ago(31 * 24 * 60, delivery_id="d-old", status="PROCESSED")
    old_failed = received_ago(31 * 24 * 60, delivery_id="d-failed", status="FAILED")
    old_received = received_ago(31 * 24 * 60, delivery_id="d-received")
    recent = received_ago(29 * 24 * 60, delivery_id="d-recent", status="PROCESSED")

    call_command("purge_webhooks", "--days", "30")

    assert set(WebhookDelivery.objects.values_list("pk", flat=True)) == {
        old_failed.pk,
        old_received.pk,
        recent.pk,
    }
    assert not WebhookDelivery.objects.filter(pk=old.pk).exists()
    assert "Deleted 1 delivery processed and received before " in capsys.readouterr().out


def test_the_purge_deletes_in_batches(monkeypatch, capsys):
    monkeypatch.setattr("apps.core.management.commands.purge_webhooks.BATCH_SIZE", 2)
    for number in range(5):
        received_ago(2 * 24 * 60, delivery_id=f"d-{number}", status="PROCESSED")

    call_command("purge_webhooks", "--days", "1")

    assert not WebhookDelivery.objects.exists()
    assert "Deleted 5 deliveries processed and received before " in capsys.readouterr().out


@pytest.mark.parametrize("days", ["0", "-1", "36501", "99999999"])
def test_the_purge_takes_a_day_to_a_hundred_years(days):
    with pytest.raises(CommandError, match="from 1 to 36,500"):
        call_command("purge_webhooks", "--days", days)


@pytest.mark.parametrize(
    "args",
    [
        ["--older-than", "99999999999"],
        ["--newer-than", "52560001"],
        ["--older-than", "-1"],
        ["--newer-than", "-5"],
    ],
)
def test_the_command_takes_minutes_up_to_a_hundred_years(args):
    with pytest.raises(CommandError, match="a number of minutes from 0 to 52,560,000"):
        call_command("process_webhooks", *args)


@pytest.mark.parametrize(("older", "newer"), [("10", "5"), ("10", "10"), ("0", "0")])
def test_the_command_refuses_an_empty_window_of_ages(older, newer, capsys):
    received_ago(7)
    with pytest.raises(CommandError, match=rf"--newer-than \({newer}\) must be more than"):
        call_command("process_webhooks", "--older-than", older, "--newer-than", newer)
    assert capsys.readouterr().out == ""
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.RECEIVED
