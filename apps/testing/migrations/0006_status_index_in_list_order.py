# `?status=` read newest first from its index (apps.core.models.entity.Entity.Meta):
# the status index gains the list order. Built before the old one is dropped, so
# reads go on while it is built (CREATE INDEX blocks writes only; DROP INDEX
# blocks reads too, until the migration commits).

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('components', '0006_status_index_in_list_order'),
        ('core', '0004_leaner_indexes'),
        ('testing', '0005_trigram_pending_list'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='testrun',
            index=models.Index(fields=['status', '-created_at', '-id'], name='testing_tes_status_d9d5ac_idx'),
        ),
        migrations.RemoveIndex(
            model_name='testrun',
            name='testing_tes_status_c5265f_idx',
        ),
    ]
