# `?ordering=category` read from its index, ties newest first as every order's
# (apps.core.api.filters.EntityOrderingFilter): the category index gains the list
# order. Built before the old one is dropped, so reads go on while it is built.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('components', '0006_status_index_in_list_order'),
        ('core', '0004_leaner_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='component',
            index=models.Index(fields=['category', '-created_at', '-id'], name='components__categor_6b8a69_idx'),
        ),
        migrations.RemoveIndex(
            model_name='component',
            name='components__categor_3590ea_idx',
        ),
    ]
