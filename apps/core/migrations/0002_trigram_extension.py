# pg_trgm, for the trigram search indexes every entity declares
# (apps.core.models.search.TrigramSearchIndex). Django skips the operation on
# databases other than PostgreSQL.

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        TrigramExtension(),
    ]
