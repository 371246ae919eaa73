"""Index-backed substring search for every entity, on PostgreSQL.

Every entity stores its searched fields (`Entity.searched_fields`: its public
id, name and description unless it declares more) once more, upper-cased, in
`search_text`, a column the database computes on each write
(`SearchTextField`). `search` asks `search_text LIKE '%' || UPPER(term) || '%'`:
the test on each row is a plain, case-sensitive LIKE, several times cheaper than
upper-casing each field per row (docs/performance.md, "Lists at a million
rows"), and a pg_trgm GIN index on the column finds rare terms without reading
the table. `Entity.Meta.indexes` declares the index, so every tool gets both
through its own migrations without writing anything.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.migrations.operations.base import Operation
from django.db.models import BooleanField, Case, F, Func, Q, TextField, Value, When
from django.db.models.functions import Cast, Concat, StrIndex, Upper
from django.db.models.lookups import GreaterThan

from .ids import public_id_start
from .indexes import NOT_ON_THIS_DATABASE, ModelNamedIndex

# The fields `search` looks in, in the order they are stored, unless an
# entity declares its own `searched_fields`.
SEARCHED_FIELDS = ("public_id", "name", "description")

# The kinds of model field a search can look in: text, stored as it is shown
# (their subclasses too: `SlugField`, `EmailField`, `URLField`, a status).
SEARCHABLE_FIELD_CLASSES = (models.CharField, models.TextField)

# Stored between the fields, so a term is found within one field, not across
# two (a search box sends no line breaks).
SEPARATOR = "\n"

# ANALYZE samples this many values of the column (default 100), so the
# planner can tell a common term (read the list in order and filter: the
# first page is found early) from a rare one (read the few matches from the
# index).
STATISTICS_TARGET = 1000

# GIN keeps the trigrams of new and changed rows in a pending list, which
# every search through the index reads in full until it is merged into the
# index: by a vacuum, or by the write that finds the list over this many kB.
# PostgreSQL's default, 4 MB, holds the trigrams of some 5,000 records
# (about 0.8 kB each): after 1,500 creates a search of the benchmark's
# 10,000 rows cost PostgreSQL twice its time. 256 kB holds about 300, and
# the creates that merge them cost no more (docs/performance.md, "Search
# after writes").
PENDING_LIST_LIMIT_KB = 256


def search_text_expression(fields=SEARCHED_FIELDS):
    """What the database stores in `search_text`: the searched `fields`,
    upper-cased by the database, as the searched term is."""
    parts = []
    for name in fields:
        parts += [F(name), Value(SEPARATOR)]
    if len(parts) == 2:  # one field: Concat takes two or more
        return Upper(Cast(parts[0], TextField()))
    return Upper(Concat(*parts[:-1], output_field=TextField()))


class SearchTextField(models.GeneratedField):
    """`search_text`: the model's `searched_fields`, joined and upper-cased by
    the database on each write. Its expression is the model's, made as the
    field joins its class, as `StatusField` takes its workflow's choices;
    migration models have no `searched_fields` and keep the expression they
    were built with, which their migration holds."""

    def __init__(self, *, expression=None, output_field=None, db_persist=True, **kwargs):
        super().__init__(
            expression=expression or search_text_expression(),
            output_field=output_field or TextField(),
            db_persist=db_persist,
            **kwargs,
        )

    def contribute_to_class(self, cls, name, *args, **kwargs):
        searched = getattr(cls, "searched_fields", None)
        if searched:
            self.expression = search_text_expression(searched)
        super().contribute_to_class(cls, name, *args, **kwargs)

    def deconstruct(self):
        # A migration needs the expression alone, which Django's own class
        # holds: the tools' migrations keep naming it.
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.GeneratedField", args, kwargs


def unsearchable_field(model, name) -> str | None:
    """Why `model` cannot search its field `name`, or None when it can."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return f"{model._meta.object_name} has no field {name!r}"
    if field.is_relation:
        return f"{name!r} is a link to other rows, not text"
    if field.generated or not field.concrete:
        return f"{name!r} is not a stored field of its own"
    if not isinstance(field, SEARCHABLE_FIELD_CLASSES):
        return f"{name!r} is a {type(field).__name__}, not text"
    return None


def search_term(text: str):
    """The term as `search_text` stores text: upper-cased by the database, so
    both sides are cased by the same rules (Python's `"ß".upper()` is "SS",
    PostgreSQL's is "ß")."""
    return Upper(Value(text))


def public_id_search(term, id_prefix: str) -> tuple:
    """The conditions of a search for `term` (`search_term()`'s) on
    PostgreSQL, among records whose public ids start with `id_prefix`.

    Every row holds its prefix, so when a term holds one too (`CMP-123456`,
    in any case) the prefix's trigrams point at every row, and the index
    read all of them: 20 ms at a million rows, against 2 ms for `123456`
    (docs/performance.md). So the index is asked for what follows the term's
    last prefix, and the whole term is tested, with `STRPOS`, on the rows it
    finds. A term without a prefix is asked for whole, and the test is
    `TRUE`. Both are decided by PostgreSQL from the term as it plans the
    query, so the SQL is one for every term, and kept
    (`apps/core/prepared.py`)."""
    marker = public_id_start(id_prefix)
    after_last_prefix = Func(
        term,
        Value(f"^.*{marker}"),
        Value(""),
        function="REGEXP_REPLACE",
        output_field=TextField(),
    )
    whole_term_if_it_holds_a_prefix = Case(
        When(
            GreaterThan(StrIndex(term, Value(marker)), 0),
            then=GreaterThan(StrIndex(F("search_text"), term), 0),
        ),
        default=Value(True),
        output_field=BooleanField(),
    )
    return Q(search_text__contains=after_last_prefix), whole_term_if_it_holds_a_prefix


class TrigramIndex(ModelNamedIndex, GinIndex):
    """`GIN (field gin_trgm_ops)` on a text column, with a small pending list,
    and a raised statistics target for the column. Needs the pg_trgm
    extension, which the core's migrations install."""

    suffix = "trg"

    def __init__(self, *, gin_pending_list_limit=PENDING_LIST_LIMIT_KB, **kwargs):
        super().__init__(gin_pending_list_limit=gin_pending_list_limit, **kwargs)

    def deconstruct(self):
        # The limit is the class's, as the statistics target is: migrations
        # name it only when an index asks for another.
        path, args, kwargs = super().deconstruct()
        if kwargs.get("gin_pending_list_limit") == PENDING_LIST_LIMIT_KB:
            del kwargs["gin_pending_list_limit"]
        return path, args, kwargs

    def indexed(self, field: str) -> tuple:
        return (OpClass(F(field), name="gin_trgm_ops"),)

    def statistics_sql(self, column: str) -> str:
        return f"ALTER TABLE %(table)s ALTER COLUMN {column} SET STATISTICS {STATISTICS_TARGET}"

    def create_sql(self, model, schema_editor, using="", **kwargs):
        # The suffix names the index; the access method is GIN.
        statement = super().create_sql(model, schema_editor, using="gin", **kwargs)
        if statement == NOT_ON_THIS_DATABASE:
            return statement
        column = schema_editor.quote_name(model._meta.get_field(self.field_name).column)
        statement.template += "; " + self.statistics_sql(column)
        return statement


def trigram_indexes(model) -> list[TrigramIndex]:
    """The trigram indexes `model` declares (an entity's: its search index)."""
    return [index for index in model._meta.indexes if isinstance(index, TrigramIndex)]


class SetPendingListLimit(Operation):
    """Give a model's existing trigram indexes the pending-list limit
    `TrigramIndex` creates them with: a setting of the index, changed in
    place (no rebuild). For databases whose indexes were created before the
    limit; a migration of the tool's runs it once. On PostgreSQL only."""

    reversible = True

    def __init__(self, model_name: str):
        self.model_name = model_name

    def deconstruct(self):
        return self.__class__.__qualname__, [], {"model_name": self.model_name}

    def state_forwards(self, app_label, state):
        pass  # the index's state already holds the limit: it is the class's

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        for index in self._trigram_indexes(app_label, schema_editor, to_state):
            limit = index.gin_pending_list_limit
            schema_editor.execute(
                f"{self._alter(index, schema_editor)} SET (gin_pending_list_limit = {limit})"
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        for index in self._trigram_indexes(app_label, schema_editor, to_state):
            schema_editor.execute(
                f"{self._alter(index, schema_editor)} RESET (gin_pending_list_limit)"
            )

    def _trigram_indexes(self, app_label, schema_editor, state) -> list:
        if schema_editor.connection.vendor != "postgresql":
            return []
        return trigram_indexes(state.apps.get_model(app_label, self.model_name))

    @staticmethod
    def _alter(index, schema_editor) -> str:
        return f"ALTER INDEX {schema_editor.quote_name(index.name)}"

    def describe(self):
        return f"Set the pending-list limit of {self.model_name}'s trigram indexes"


class TrigramSearchIndex(TrigramIndex):
    """`GIN (UPPER(field::text) gin_trgm_ops)`: what `search` read before the
    search column. No model declares it any more; the tools' migrations that
    created these indexes, and those that dropped them, still name it."""

    def indexed(self, field: str) -> tuple:
        return (OpClass(Upper(Cast(F(field), TextField())), name="gin_trgm_ops"),)

    def statistics_sql(self, column: str) -> str:
        return f"ALTER INDEX %(name)s ALTER COLUMN 1 SET STATISTICS {STATISTICS_TARGET}"
