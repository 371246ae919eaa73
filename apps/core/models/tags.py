from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Lower

from .base import TimestampedModel

# A record holds at most this many tags.
MAX_TAGS_PER_RECORD = 50


def tag_key(name: str) -> str:
    """What a tag name is matched by: stripped, lower-cased."""
    return name.strip().lower()


class TagQuerySet(models.QuerySet):
    def resolve(self, names) -> dict[str, "Tag"]:
        """The tags with these names, by `tag_key` in the names' order, created
        when missing. Names match case-insensitively as the database lowers
        them (its unique constraint decides); the spelling first used is kept."""
        wanted = {}
        for name in names:
            wanted.setdefault(tag_key(name), name.strip())
        if not wanted:
            return {}
        found = self._lowered_in(wanted)
        missing = [Tag(name=name) for key, name in wanted.items() if key not in found]
        if missing:
            self.bulk_create(missing, ignore_conflicts=True)
            found = self._lowered_in(wanted)
        for key in wanted.keys() - found.keys():
            # The database lowers this name otherwise than Python does (SQLite
            # only ASCII, PostgreSQL by its locale): ask it which tag it matches.
            found[key] = self._lowered().get(lowered=Lower(Value(wanted[key])))
        return {key: found[key] for key in wanted}

    def named(self, names):
        """The tags that have any of `names`, in any case, as the database
        lowers them: its unique constraint's comparison, whose index finds
        them."""
        asked = reduce(or_, (Q(lowered=Lower(Value(name))) for name in names), Q(pk__in=[]))
        return self._lowered().filter(asked)

    def ids_named(self, names) -> list[int]:
        """The ids of the tags `named(names)`, read now: a filter of records
        by the values (`tags__in=ids`), not by a join to the tags' names,
        lets PostgreSQL see how many records each tag has. Joined by name it
        took every tag for as common as the average, and walked the list
        order past a million records for a tag on 81 of them (1.9-3.7 s
        against 19-29 ms; docs/performance.md, "Tag filters")."""
        return list(self.named(names).order_by().values_list("pk", flat=True))

    def _lowered(self):
        """The tags with `lowered`, their name as the database lowers it."""
        return self.annotate(lowered=Lower("name"))

    def _lowered_in(self, keys) -> dict[str, "Tag"]:
        """The tags whose name the database lowers to one of `keys`, by it."""
        return {tag.lowered: tag for tag in self._lowered().filter(lowered__in=keys)}


class Tag(TimestampedModel):
    """A label shared by every tool, so one tag finds records suite-wide."""

    name = models.CharField(max_length=64)

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="core_tag_name_ci_unique"),
        ]

    def __str__(self):
        return self.name
