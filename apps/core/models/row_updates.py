"""An audited set-based write on PostgreSQL in one `UPDATE`: each row's new
values, the bookkeeping of the rows that really change, and those rows read
back.

Django's `bulk_update()` writes each field as a `CASE` with a `WHEN` per row,
built and compiled in Python and tested in turn by PostgreSQL for every row;
an audited write then needed a read of the rows, a second `UPDATE` for the
version, time and author of those that changed, and a read of them again.
Here the new values travel as one array per column (`UNNEST`, as Django
sends a bulk insert), and one statement writes the values and the
bookkeeping of exactly the rows where a value differs from the stored one,
or whose tags changed, and returns them (`EntityQuerySet._audited`).

A value is compared with the stored one as the column stores it: a decimal
at its column's scale, so `1.234` into a column of two places is no change
where `1.23` is stored. Anything else — another database, an expression
as a value, a field Django would not send in an array — is written as
Django writes it (`changed_rows()` answers None).
"""

from django.db import connections
from django.db.models import DecimalField

# The alias of the arrays' table in the statement.
_VALUES = '"new"'


def changed_rows(model, using: str, fields, rows: dict, *, retagged, bookkeeping: dict):
    """Write `rows` (`{pk: (value, ...)}`, a value per field of `fields`) to
    `model`'s table with `bookkeeping` (`{attname: value}`; the version is
    counted up), but only to the rows where a value differs from the stored
    one or whose pk is in `retagged`, and archived_at kept with the status.
    Returns those rows as they are now (unordered); None, writing nothing,
    when the values cannot be sent as arrays."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not rows or not fields:
        return None
    if not all(_unnestable(field, connection) for field in fields):
        return None
    columns = [[] for _ in fields]
    for values in rows.values():
        for column, field, value in zip(columns, fields, values, strict=True):
            if hasattr(value, "prepare_database_save") and field.remote_field:
                value = value.prepare_database_save(field)
            if hasattr(value, "resolve_expression"):
                return None
            column.append(field.get_db_prep_save(value, connection))
    sql, params = _statement(model, fields, connection, bookkeeping)
    pks = list(rows)
    arrays = [pks, [pk in retagged for pk in pks], *columns]
    return list(model._base_manager.db_manager(using).raw(sql, [*params, *arrays]))


def _unnestable(field, connection) -> bool:
    """Whether Django would send the field's values as an array (its rule
    for a bulk insert), with no collation of its own to compare in."""
    target = field.target_field if field.is_relation else field
    return (
        not hasattr(field, "get_placeholder")
        and target.get_internal_type() in connection.data_types
        and not getattr(field, "db_collation", None)
    )


def _statement(model, fields, connection, bookkeeping: dict) -> tuple[str, list]:
    quote = connection.ops.quote_name
    meta = model._meta
    table = quote(meta.db_table)

    def stored(field) -> str:
        return f"{table}.{quote(field.column)}"

    def new(index: int) -> str:
        return f"{_VALUES}.{quote(f'c{index}')}"

    assignments = [f"{quote(field.column)} = {new(i)}" for i, field in enumerate(fields)]
    version = meta.get_field("version")
    assignments.append(f"{quote(version.column)} = {stored(version)} + 1")
    params = []
    for attname, value in bookkeeping.items():
        assignments.append(f"{quote(meta.get_field(attname).column)} = %s")
        params.append(value)
    status = next((i for i, field in enumerate(fields) if field.name == "status"), None)
    if status is not None:  # archived since the write's time, or not archived
        archived_at = meta.get_field("archived_at")
        assignments.append(
            f"{quote(archived_at.column)} = CASE WHEN {new(status)} = %s "
            f"THEN COALESCE({stored(archived_at)}, %s) END"
        )
        params += [model.workflow.archived, bookkeeping["updated_at"]]
    differs = [
        f"{stored(field)} IS DISTINCT FROM {_as_stored(new(i), field, connection)}"
        for i, field in enumerate(fields)
    ]
    arrays = [
        f"%s::{_array_type(meta.pk, connection)}",
        "%s::boolean[]",  # whether the row's tags changed
        *(f"%s::{_array_type(field, connection)}" for field in fields),
    ]
    names = ", ".join(['"pk"', '"retagged"', *(quote(f"c{i}") for i in range(len(fields)))])
    returned = ", ".join(stored(field) for field in meta.concrete_fields)
    sql = (
        f"UPDATE {table} SET {', '.join(assignments)} "
        f"FROM UNNEST({', '.join(arrays)}) AS {_VALUES} ({names}) "
        f'WHERE {stored(meta.pk)} = {_VALUES}."pk" '
        f'AND ({_VALUES}."retagged" OR {" OR ".join(differs)}) '
        f"RETURNING {returned}"
    )
    return sql, params


def _array_type(field, connection) -> str:
    # The type without its modifiers, as Django sends a bulk insert's arrays:
    # a value too long for its column fails as it is written, never cut.
    return field.db_type(connection).split("(")[0] + "[]"


def _as_stored(value: str, field, connection) -> str:
    """A new value as its column would store it, for the comparison: a
    decimal rounded to the column's scale."""
    if isinstance(field, DecimalField):
        return f"CAST({value} AS {field.db_type(connection)})"
    return value
