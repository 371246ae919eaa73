"""The suite's Celery app: background work (webhook processing, syncs, large
exports) on workers, `celery -A suite worker`.

Configured from Django's settings, the `CELERY_*` names (suite/settings.py);
the tasks are each installed app's `tasks` module. With no `CELERY_BROKER_URL`
every task runs inline. App servers import this module only when they first
enqueue a task (`apps.core.jobs`), not at start-up: importing Celery takes
50-75 ms of each process's start (docs/integrations.md).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suite.settings")

app = Celery("suite")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
