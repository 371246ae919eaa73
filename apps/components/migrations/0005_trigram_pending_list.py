# The search index's pending list bounded (apps.core.models.search.PENDING_LIST_LIMIT_KB):
# indexes created before the limit get it in place; new ones are created with it.

from django.db import migrations

from apps.core.models.search import SetPendingListLimit


class Migration(migrations.Migration):
    dependencies = [
        ("components", "0004_leaner_indexes"),
    ]

    operations = [
        SetPendingListLimit("component"),
    ]
