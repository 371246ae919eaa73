from django.db import models
from django.db.models.functions import Lower

from .base import TimestampedModel


class TagQuerySet(models.QuerySet):
    def resolve(self, names) -> list["Tag"]:
        """The tags with these names, created when missing. Names match
        case-insensitively; the spelling first used is kept."""
        wanted = {}
        for name in names:
            wanted.setdefault(name.strip().lower(), name.strip())
        if not wanted:
            return []
        found = {t.name.lower(): t for t in self.annotate(key=Lower("name")).filter(key__in=wanted)}
        missing = [Tag(name=name) for key, name in wanted.items() if key not in found]
        if missing:
            self.bulk_create(missing, ignore_conflicts=True)
            found = {
                t.name.lower(): t for t in self.annotate(key=Lower("name")).filter(key__in=wanted)
            }
        return [found[key] for key in wanted]


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
