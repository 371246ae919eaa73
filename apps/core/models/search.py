"""Index-backed substring search for every entity, on PostgreSQL.

Django compiles `field__icontains=value` on PostgreSQL to
`UPPER("field"::text) LIKE UPPER('%value%')`. A pg_trgm GIN index on exactly
that expression lets the planner answer it (and `search`, the admin's search
and the automatic `__icontains` filters) from the index instead of reading
the whole table. `Entity.Meta.indexes` declares one per searched field, so
every tool gets them through its own migrations without writing anything.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db.backends.utils import names_digest, split_identifier
from django.db.models import F, TextField
from django.db.models.functions import Cast, Upper

# What a migration runs for the index on a database without pg_trgm GIN
# indexes (SQLite): a statement that does nothing and says why.
NOT_ON_THIS_DATABASE = "-- trigram search indexes are created on PostgreSQL only"

# ANALYZE samples this many values of the indexed expression (default 100),
# so the planner can tell a common term (read the list in order and filter:
# the first page is found early) from a rare one (read the few matches from
# the index).
STATISTICS_TARGET = 1000


class TrigramSearchIndex(GinIndex):
    """`GIN (UPPER(field::text) gin_trgm_ops)`, named from its model like
    Django's own field indexes (always within the 30-character limit, so any
    tool and model name fits), and a no-op on databases other than PostgreSQL.

    Needs the pg_trgm extension, which the core's migrations install.
    """

    suffix = "trg"

    def __init__(self, *, field: str, name: str = "", **kwargs):
        self.field_name = field
        expression = OpClass(Upper(Cast(F(field), TextField())), name="gin_trgm_ops")
        # Django insists on a name for expression indexes; the real one is
        # set by set_name_with_model() once the model is known.
        super().__init__(expression, name=name or "unnamed", **kwargs)
        self.name = name

    def set_name_with_model(self, model):
        _, table = split_identifier(model._meta.db_table)
        column = model._meta.get_field(self.field_name).column
        digest = names_digest(table, column, self.suffix, length=6)
        self.name = f"{table[:11]}_{column[:7]}_{digest}_{self.suffix}"
        if self.name[0] == "_" or self.name[0].isdigit():
            self.name = f"D{self.name[1:]}"

    def deconstruct(self):
        _, _, kwargs = super().deconstruct()
        path = f"{self.__class__.__module__}.{self.__class__.__name__}"
        return path, (), {**kwargs, "field": self.field_name}

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return NOT_ON_THIS_DATABASE
        # The suffix names the index; the access method is GIN.
        statement = super().create_sql(model, schema_editor, using="gin", **kwargs)
        statement.template += (
            f"; ALTER INDEX %(name)s ALTER COLUMN 1 SET STATISTICS {STATISTICS_TARGET}"
        )
        return statement

    def remove_sql(self, model, schema_editor, **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return NOT_ON_THIS_DATABASE
        return super().remove_sql(model, schema_editor, **kwargs)
