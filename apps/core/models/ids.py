import re

from django.db import connection, models

from apps.core.db import BIGINT_MAX

# What `format_public_id` writes, whatever the prefix (declared as 2-5 capitals).
PUBLIC_ID_PATTERN = re.compile(r"[A-Z]{2,5}-[0-9]+")

# The two ways an API path names a record (`EntityViewSet.object_lookup()`),
# with the type of each: its id, or its public id.
RECORD_ID_KINDS = {"pk": int, "public_id": str}

# The largest 64-bit integer (`apps.core.db`): of an id, and of what the
# databases take for OFFSET and LIMIT.
_ID_DIGITS = len(str(BIGINT_MAX))


def parse_id(text: str) -> int | None:
    """The record id `text` spells (ASCII digits, a positive 64-bit number),
    else None: no record has it."""
    if text.isascii() and text.isdigit() and len(text) <= _ID_DIGITS:
        number = int(text)
        if 0 < number <= BIGINT_MAX:
            return number
    return None


class IdCounterManager(models.Manager):
    def allocate(self, prefix: str, count: int = 1) -> range:
        """Reserve `count` consecutive numbers for `prefix` and return them.

        One upsert increments the prefix's counter row and returns the new
        value. The row stays locked until the surrounding transaction ends, so
        concurrent creators queue on it instead of racing (no max()+1); a
        rollback returns the numbers, so committed rows have no gaps; the
        counter never goes down, so numbers are never reused after a delete.
        """
        if not connection.in_atomic_block:
            raise RuntimeError("Allocate ids inside the transaction that inserts the rows.")
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (prefix, last_number) VALUES (%s, %s) "
                f"ON CONFLICT (prefix) DO UPDATE "
                f"SET last_number = {table}.last_number + EXCLUDED.last_number "
                f"RETURNING last_number",
                [prefix, count],
            )
            last = cursor.fetchone()[0]
        return range(last - count + 1, last + 1)


class IdCounter(models.Model):
    """The last number handed out for one public-id prefix."""

    prefix = models.CharField(max_length=5, primary_key=True)
    last_number = models.BigIntegerField(default=0)

    objects = IdCounterManager()

    def __str__(self):
        return f"{self.prefix}: {self.last_number}"


def public_id_start(prefix: str) -> str:
    """What every public id of `prefix` starts with: `CMP-`."""
    return f"{prefix}-"


def format_public_id(prefix: str, number: int) -> str:
    """`CMP-0001`: at least four digits, growing past 9999 (`CMP-10000`)."""
    return f"{public_id_start(prefix)}{number:04d}"
