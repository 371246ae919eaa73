# `?status=` read newest first from its index (apps.core.models.entity.Entity.Meta):
# the status index gains the list order. Built before the old one is dropped, so
# reads go on while it is built (CREATE INDEX blocks writes only; DROP INDEX
# blocks reads too, until the migration commits).

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('components', '0005_trigram_pending_list'),
        ('core', '0004_leaner_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='component',
            index=models.Index(fields=['status', '-created_at', '-id'], name='components__status_825ca7_idx'),
        ),
        migrations.RemoveIndex(
            model_name='component',
            name='components__status_44cab9_idx',
        ),
    ]
