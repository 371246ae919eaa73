"""Keyset ("cursor") pagination over a list's own ordering.

A page is found by where the previous one ended, `WHERE (ordering) after
(last row's values)`, instead of by skipping `offset` rows, so page 20,000
costs what page 1 costs. Works for any ordering of concrete fields of the
model (the primary key is appended when missing, so positions are unique).
Nulls sort as if greater than any value (PostgreSQL's default), on every
database. A link to a related record orders by its id.

A cursor is opaque to clients: base64 of the ordering it was made for, the
position (the values of the row it points at) and the direction.
"""

import base64
import binascii
import datetime
import decimal
import json
import uuid
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import F, Q

from apps.core.db import storable


class InvalidCursor(ValueError):
    """The cursor cannot be used: malformed, or made for another ordering."""


@dataclass(frozen=True)
class OrderKey:
    """One column of a keyset ordering."""

    attname: str
    descending: bool
    nullable: bool
    field: object

    @property
    def label(self) -> str:
        return f"-{self.attname}" if self.descending else self.attname

    def order_by(self, reverse: bool):
        descending = self.descending != reverse
        if not self.nullable:
            return F(self.attname).desc() if descending else F(self.attname).asc()
        # Nulls last going up, first going down: as if greater than any value.
        if descending:
            return F(self.attname).desc(nulls_first=True)
        return F(self.attname).asc(nulls_last=True)

    def beyond(self, value, reverse: bool) -> Q:
        """Rows that come after `value` in this column's direction."""
        descending = self.descending != reverse
        if value is None:
            return Q(**{f"{self.attname}__isnull": False}) if descending else Q(pk__in=[])
        if descending:
            return Q(**{f"{self.attname}__lt": value})
        later = Q(**{f"{self.attname}__gt": value})
        return later | Q(**{f"{self.attname}__isnull": True}) if self.nullable else later

    def equal(self, value) -> Q:
        if value is None:
            return Q(**{f"{self.attname}__isnull": True})
        return Q(**{self.attname: value})

    def bound(self, value, reverse: bool) -> Q | None:
        """A redundant range condition on the first column, so the database
        can start an index scan at the position instead of filtering its way
        there."""
        if self.nullable or value is None:
            return None
        lookup = "lte" if self.descending != reverse else "gte"
        return Q(**{f"{self.attname}__{lookup}": value})


def ordering_keys(queryset) -> list[OrderKey]:
    """The keyset of the queryset's ordering (its explicit `order_by()`, else
    the model's default), ending with the primary key."""
    model = queryset.model
    names = list(queryset.query.order_by) or (
        list(model._meta.ordering) if queryset.query.default_ordering else []
    )
    keys = []
    for name in names:
        if not isinstance(name, str) or "__" in name or name == "?":
            raise InvalidCursor(f"Cursor pagination cannot follow the ordering {name!r}.")
        descending = name.startswith("-")
        field_name = name.lstrip("-")
        try:
            field = model._meta.pk if field_name == "pk" else model._meta.get_field(field_name)
        except FieldDoesNotExist:
            raise InvalidCursor(f"Cursor pagination cannot follow the ordering {name!r}.") from None
        if not getattr(field, "concrete", False) or field.many_to_many:
            raise InvalidCursor(f"Cursor pagination cannot follow the ordering {name!r}.")
        keys.append(OrderKey(field.attname, descending, field.null, field))
        if field.primary_key:
            break
    if not any(key.field.primary_key for key in keys):
        pk = model._meta.pk
        keys.append(OrderKey(pk.attname, True, False, pk))
    return keys


@dataclass(frozen=True)
class Cursor:
    ordering: tuple[str, ...]
    position: tuple
    reverse: bool = False


def encode_cursor(cursor: Cursor) -> str:
    payload = {
        "o": list(cursor.ordering),
        "p": [_to_json(v) for v in cursor.position],
        "r": cursor.reverse,
    }
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str, keys: list[OrderKey]) -> Cursor:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        payload = json.loads(raw)
        ordering, values, reverse = payload["o"], payload["p"], payload["r"]
    except (binascii.Error, ValueError, TypeError, KeyError):
        raise InvalidCursor("Invalid cursor.") from None
    if ordering != [key.label for key in keys]:
        raise InvalidCursor("The cursor was made for another ordering; start again without it.")
    if not isinstance(values, list) or len(values) != len(keys) or not isinstance(reverse, bool):
        raise InvalidCursor("Invalid cursor.")
    try:
        position = tuple(
            None if value is None else key.field.to_python(value)
            for key, value in zip(keys, values, strict=True)
        )
    except (ValidationError, TypeError, ValueError):
        raise InvalidCursor("Invalid cursor.") from None
    if any(value is None and not key.nullable for key, value in zip(keys, position, strict=True)):
        raise InvalidCursor("Invalid cursor.")
    if not all(map(storable, position)):
        raise InvalidCursor("Invalid cursor.")
    return Cursor(tuple(ordering), position, reverse)


def _to_json(value):
    # Full precision: a millisecond-rounded timestamp would skip or repeat rows.
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    return value


@dataclass
class KeysetPage:
    rows: list
    next: Cursor | None
    previous: Cursor | None


def keyset_page(queryset, token: str, limit: int, read=None) -> KeysetPage:
    """One page of `queryset` in its ordering: the first when `token` is
    empty, else the page after (or before) the position the token holds.
    `read(queryset, size)`, when given, reads the first `size` rows of the
    queryset it is handed (a view's faster way: `EntityViewSet.read_rows`)."""
    keys = ordering_keys(queryset)
    cursor = decode_cursor(token, keys) if token else None
    reverse = bool(cursor and cursor.reverse)
    rows_qs = queryset.order_by(*(key.order_by(reverse) for key in keys))
    if cursor:
        rows_qs = rows_qs.filter(_after(keys, cursor.position, reverse))
    rows = read(rows_qs, limit + 1) if read else list(rows_qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    if reverse:
        rows.reverse()
    ordering = tuple(key.label for key in keys)

    def at(row, backwards):
        return Cursor(ordering, tuple(getattr(row, key.attname) for key in keys), backwards)

    if not rows:
        if cursor is None:
            return KeysetPage([], next=None, previous=None)
        # Past either end: the only way is back across the position.
        back = Cursor(ordering, cursor.position, not reverse)
        return KeysetPage([], next=back if reverse else None, previous=None if reverse else back)
    # Going back, the position itself lies ahead; going forward, behind.
    has_next = True if reverse else more
    has_previous = more if reverse else cursor is not None
    return KeysetPage(
        rows,
        next=at(rows[-1], False) if has_next else None,
        previous=at(rows[0], True) if has_previous else None,
    )


def _after(keys: list[OrderKey], position: tuple, reverse: bool) -> Q:
    """Rows after `position` in the ordering (before it when `reverse`):
    (a > x) or (a = x and b > y) or …, plus the first column's bound."""
    clauses, equal = [], Q()
    for key, value in zip(keys, position, strict=True):
        clauses.append(equal & key.beyond(value, reverse))
        equal &= key.equal(value)
    condition = reduce(or_, clauses)
    bound = keys[0].bound(position[0], reverse)
    return condition & bound if bound is not None else condition
