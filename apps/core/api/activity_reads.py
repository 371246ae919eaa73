"""How the activity feed reads the audit table: a page's entries type by
type, each from an index that holds them in the feed's order
(`read_by_type`, narrowed by `each_type()` and `each_action()`), and which
of a page's records still exist (`existing_records`). Plain database reads;
what a request asks for is the view's (`apps/core/api/activity.py`)."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models.expressions import RawSQL

from apps.core.prepared import records_in_order

# The alias `read_by_type` gives the rows it reads by: an entity type, and an
# action or null.
READABLE = "readable"


def read_by_type(queryset, records, keys, size: int) -> list:
    """The first `size` entries of `queryset`, the feed narrowed to one
    entity type at a time (`content_type=each_type()`), and to one action
    at a time (`action=each_action()`) if it is narrowed by action, and
    ordered by columns (`keyset_page`'s order): for each of `keys` — an
    entity type's id and an action, or None — its first `size` entries'
    keys from an index that holds the type's entries in that order (by
    action, or by actor, if so narrowed); of those, the first `size` in the
    feed's order; then those entries, read as `records` reads them (the
    feed's select_related, no filters). One statement, the same for any
    number of keys (their columns are two arrays), planned once."""
    order = queryset.query.order_by
    page_keys = queryset.values_list(*(term.expression.name for term in order))[:size]
    of_type, params = page_keys.query.get_compiler(queryset.db).as_sql()
    quote = connection.ops.quote_name
    alias = quote("of_type")
    ordering = ", ".join(
        f"{alias}.{quote(term.expression.name)} {'DESC' if term.descending else 'ASC'}"
        for term in order
    )
    # The arrays are read through sub-selects, which PostgreSQL plans
    # before it knows their values: planned with the values in place, each
    # call's plan looked cheaper for knowing how many types it reads, so
    # every call was planned anew (0.3 ms), never on the plan kept.
    ids = RawSQL(
        f"SELECT {alias}.{quote('id')} "
        f"FROM unnest((SELECT %s::integer[]), (SELECT %s::varchar[])) "
        f"AS {quote(READABLE)} ({quote('id')}, {quote('action')}) "
        f"CROSS JOIN LATERAL ({of_type}) AS {alias} ORDER BY {ordering} LIMIT %s",
        ([type_id for type_id, _ in keys], [action for _, action in keys], *params, size),
    )
    return list(records_in_order(queryset, records, ids))


def each_type():
    """The entity type a feed read by type is narrowed to as each is read:
    the row of the caller's types `read_by_type` is at. Outside it, no
    statement can be made of a queryset narrowed so: it fails, rather than
    read every tool's entries."""
    return _of_the_row("id")


def each_action():
    """The action a feed read by type and action is narrowed to as each
    pair of a type and an action is read (as `each_type()`)."""
    return _of_the_row("action")


def _of_the_row(column: str):
    quote = connection.ops.quote_name
    return RawSQL(f"{quote(READABLE)}.{quote(column)}", ())


def existing_records(entries) -> set[tuple[int, int, str]]:
    """`(content type id, object id, public id)` of the entries' records
    that still exist, read in one statement however many entity types the
    page holds: each type's ids looked up in its own table, the lookups
    joined by `UNION ALL`. (A query per type cost 0.3 ms each: a page of a
    suite of many tools can hold dozens.) The public id tells a record from
    a later one given the same id, as a tool's tables dropped and made again
    give (public ids are never given twice)."""
    wanted: dict[int, set[int]] = {}
    for entry in entries:
        wanted.setdefault(entry.content_type_id, set()).add(entry.object_id)
    quote = connection.ops.quote_name
    lookups, params = [], []
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:  # the tool is gone, and its records with it
            continue
        pk = quote(model._meta.pk.column)
        lookups.append(
            f"SELECT CAST(%s AS integer), {pk}, {quote('public_id')} "
            f"FROM {quote(model._meta.db_table)} WHERE {pk} IN ({', '.join(['%s'] * len(ids))})"
        )
        params += [content_type_id, *ids]
    if not lookups:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(lookups), params)
        return set(cursor.fetchall())
