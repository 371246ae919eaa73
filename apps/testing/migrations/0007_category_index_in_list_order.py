# `?ordering=category` read from its index, ties newest first as every order's
# (apps.core.api.filters.EntityOrderingFilter): the category index gains the list
# order. Built before the old one is dropped, so reads go on while it is built.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('components', '0007_category_index_in_list_order'),
        ('core', '0004_leaner_indexes'),
        ('testing', '0006_status_index_in_list_order'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='testrun',
            index=models.Index(fields=['category', '-created_at', '-id'], name='testing_tes_categor_2b536a_idx'),
        ),
        migrations.RemoveIndex(
            model_name='testrun',
            name='testing_tes_categor_f766d1_idx',
        ),
    ]
