# The list-order index holds each record's status too, so that a list walked in
# that order for a filter on another table (`?tag=`) leaves the archived records
# out from the index alone. Built before the old one is dropped, so reads go on
# while it is built.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('components', '0008_list_order_index_holds_status'),
        ('core', '0004_leaner_indexes'),
        ('testing', '0007_category_index_in_list_order'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='testrun',
            index=models.Index(fields=['-created_at', '-id', 'status'], name='testing_tes_created_a34ff2_idx'),
        ),
        migrations.RemoveIndex(
            model_name='testrun',
            name='testing_tes_created_08b480_idx',
        ),
    ]
