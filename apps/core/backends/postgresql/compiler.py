"""Django's PostgreSQL compilers, with the text of a one-row INSERT kept.

Django writes an INSERT's text anew for every row it saves: each column's
name quoted, a placeholder made per value, the RETURNING clause added. A
record, its history row and its audit entry are three such inserts per
write, and their text is the same every time for the same table, columns
and returned columns. `SQLInsertCompiler` keeps that text per shape, so a
row costs only its values, each made by its field as Django makes it
(`pre_save()`, then `get_db_prep_save()`): 35-70 µs of CPU per insert
instead of 95-180 (docs/performance.md).

Whatever Django would write differently is left to Django: many rows (which
it sends as arrays, `UNNEST`), a conflict clause, a raw insert, a row of
defaults, a field with its own placeholder, an expression as a value.
"""

from django.db.backends.postgresql.compiler import (
    SQLAggregateCompiler,
    SQLCompiler,
    SQLDeleteCompiler,
    SQLUpdateCompiler,
)
from django.db.backends.postgresql.compiler import SQLInsertCompiler as BaseSQLInsertCompiler

__all__ = [
    "SQLAggregateCompiler",
    "SQLCompiler",
    "SQLDeleteCompiler",
    "SQLInsertCompiler",
    "SQLUpdateCompiler",
]

# Per one-row INSERT shape, (model, fields, returned fields): its text and its
# RETURNING clause's parameters, or None where Django writes every row.
_statements: dict[tuple, tuple[str, tuple] | None] = {}


class SQLInsertCompiler(BaseSQLInsertCompiler):
    def as_sql(self):
        query = self.query
        if len(query.objs) != 1 or query.on_conflict or query.raw or not query.fields:
            return super().as_sql()
        key = (query.model, tuple(query.fields), tuple(self.returning_fields or ()))
        if key not in _statements:
            _statements[key] = self._one_row_statement()
        kept = _statements[key]
        if kept is None:
            return super().as_sql()
        obj, values = query.objs[0], []
        for field in query.fields:
            value = field.pre_save(obj, add=True)
            if hasattr(value, "resolve_expression"):
                # Django compiles it. pre_save() runs again there, as for any
                # second save: auto_now takes a new time, a saved file stays saved.
                return super().as_sql()
            values.append(field.get_db_prep_save(value, connection=self.connection))
        statement, self.returning_params = kept
        return [(statement, (*values, *self.returning_params))]

    def _one_row_statement(self) -> tuple[str, tuple] | None:
        """The text Django writes for one row of plain values, with its
        RETURNING clause's parameters; None when a field makes its own
        placeholder, which may depend on the value."""
        fields = self.query.fields
        if any(hasattr(field, "get_placeholder") for field in fields):
            return None
        ops = self.connection.ops
        columns = ", ".join(ops.quote_name(field.column) for field in fields)
        placeholders = ", ".join(["%s"] * len(fields))
        table = ops.quote_name(self.query.get_meta().db_table)
        statement = f"{ops.insert_statement()} {table} ({columns}) VALUES ({placeholders})"
        returning_params = ()
        if self.returning_fields and self.connection.features.can_return_columns_from_insert:
            returning, returning_params = ops.return_insert_columns(self.returning_fields)
            if returning:
                statement = f"{statement} {returning}"
        return statement, tuple(returning_params)
