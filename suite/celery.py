"""The suite's Celery app: background work (webhook processing, syncs, large
exports) on workers, `celery -A suite worker`.

Configured from Django's settings, the `CELERY_*` names (suite/settings.py);
the tasks are each installed app's `tasks` module. With no `CELERY_BROKER_URL`
every task runs inline. App servers import this module only when they first
enqueue a task (`apps.core.jobs`), not at start-up: importing Celery takes
50-75 ms of each process's start (docs/integrations.md).
"""

import os
from logging.config import dictConfig

from celery import Celery
from celery.schedules import crontab
from celery.signals import setup_logging
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suite.settings")

app = Celery("suite")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def log_as_the_suite(**kwargs):
    """Workers and the beat log as the app servers do, one JSON object per
    line on stderr at LOG_LEVEL (settings: LOGGING), in place of Celery's own
    text; a task's lines included, and Celery's "received", "succeeded" and
    "Sending due task". Celery configures no logging of its own once this
    is connected; its `--loglevel` no longer counts."""
    dictConfig(settings.LOGGING)


# What `celery -A suite beat` (one instance per deployment) sends the workers:
# every five minutes the deliveries no worker got (an enqueue lost while the
# broker was down); once a day, at DAILY_TASKS_AT (UTC), the purge of old
# processed deliveries and of expired admin sessions. A time of day, not an
# interval from the beat's start: a beat restarted more often than daily (each
# release) would otherwise never reach it. Here, not in the settings: a
# crontab is Celery's, which app servers do not import.
daily = crontab(hour=settings.DAILY_TASKS_HOUR, minute=settings.DAILY_TASKS_MINUTE)
app.conf.beat_schedule = {
    "process-pending-webhooks": {
        "task": "apps.core.tasks.process_pending_webhooks",
        "schedule": 5 * 60,
    },
    "purge-processed-webhooks": {
        "task": "apps.core.tasks.purge_processed_webhooks",
        "schedule": daily,
    },
    "clear-expired-sessions": {
        "task": "apps.core.tasks.clear_expired_sessions",
        "schedule": daily,
    },
}
