"""Indexes the entity base declares for every tool, on PostgreSQL.

They index expressions (`UPPER(category)`, a trigram operator class), which
Django will only create under a fixed name; these name themselves from their
model like Django's own field indexes, so the abstract base can declare them
once and any tool and model name fits the 30-character limit. On other
databases (SQLite) they are no-ops: the lookups they serve compile to
something else there.
"""

from functools import cache

from django.db import connections, models
from django.db.backends.utils import names_digest, split_identifier
from django.db.models import F
from django.db.models.functions import Upper

# What a migration runs for such an index on SQLite: a statement that does
# nothing and says why.
NOT_ON_THIS_DATABASE = "-- created on PostgreSQL only"


class ModelNamedIndex:
    """Mixed into an index class: indexes `self.indexed(field)`, named
    `<table>_<column>_<digest>_<suffix>` from its model."""

    suffix: str

    def __init__(self, *, field: str, name: str = "", **kwargs):
        self.field_name = field
        # Django insists on a name for expression indexes; the real one is
        # set by set_name_with_model() once the model is known.
        super().__init__(*self.indexed(field), name=name or "unnamed", **kwargs)
        self.name = name

    def indexed(self, field: str) -> tuple:
        raise NotImplementedError

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

    def __deepcopy__(self, memo):
        # Django deep-copies an abstract base's indexes into every model that
        # inherits them: made again from the field name (as a migration
        # makes them), five times cheaper than copying the expression trees,
        # for each index of each tool at every process start.
        return self.clone()

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return NOT_ON_THIS_DATABASE
        return super().create_sql(model, schema_editor, using=using, **kwargs)

    def remove_sql(self, model, schema_editor, **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return NOT_ON_THIS_DATABASE
        return super().remove_sql(model, schema_editor, **kwargs)


class CaseInsensitiveFilterIndex(ModelNamedIndex, models.Index):
    """`(UPPER(field), status, field)`: the capped count of a list filtered
    by `field__iexact`, with or without a status, reads this index alone
    (PostgreSQL answers from an expression index alone only if it also holds
    the column itself). Its first page comes from the list-order index when
    the value is common, from this one and a sort of the few matches when it
    is rare. Small: B-tree deduplication keeps each (value, status) once."""

    suffix = "iex"

    def indexed(self, field: str) -> tuple:
        return (Upper(F(field)), F("status"), F(field))


@cache
def plain_index_fields(model) -> tuple[tuple[str, ...], ...]:
    """The fields of each plain index of `model` (`Meta.indexes`, not the
    search's, nor one on an expression), as named there (`"-created_at"`)."""
    return tuple(
        tuple(index.fields)
        for index in model._meta.indexes
        if type(index) is models.Index and index.fields
    )


@cache
def leading_index_fields(model) -> frozenset[str]:
    """The fields a B-tree index of `model`'s table leads with, which can
    give its rows in that field's order or its values one after another:
    primary and unique keys, indexed fields, and the plain `Meta.indexes`
    (not the search's, nor one on an expression)."""
    meta = model._meta
    indexed = (f for f in meta.concrete_fields if f.primary_key or f.unique or f.db_index)
    leading = {"pk", *(f.name for f in indexed)}
    leading.update(fields[0].lstrip("-") for fields in plain_index_fields(model))
    leading.update(
        constraint.fields[0]
        for constraint in meta.constraints
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields
    )
    return frozenset(leading)


def distinct_values(queryset, column: str, limit: int | None = None) -> list:
    """The values of `column` in `queryset`'s table (all its rows, not only
    the queryset's), in order, read through an index that leads with it: one
    lookup per value, each the least above the one before (a "loose index
    scan"), where `SELECT DISTINCT` reads every row. At most `limit` values."""
    connection = connections[queryset.db]
    table, column = map(connection.ops.quote_name, (queryset.model._meta.db_table, column))
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE found (value) AS ("
            f"SELECT MIN({column}) FROM {table} "
            f"UNION ALL SELECT (SELECT MIN({column}) FROM {table} WHERE {column} > found.value) "
            f"FROM found WHERE found.value IS NOT NULL"
            f") SELECT value FROM found WHERE value IS NOT NULL"
            + ("" if limit is None else " LIMIT %s"),
            () if limit is None else (limit,),
        )
        return [value for (value,) in cursor.fetchall()]
