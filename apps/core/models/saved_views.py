from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, Value
from django.db.models.deletion import CASCADE, SET_NULL
from django.db.models.functions import Lower

from .base import StampField

# The longest name a saved view may have.
NAME_MAX_LENGTH = 100


def keep_shared_views(collector, field, views, using):
    """When a person is deleted: the views they shared stay for the people
    who use them, owned by no one (a former user); their private views,
    which nobody else sees, go with them."""
    SET_NULL(collector, field, views.filter(shared=True), using)
    CASCADE(collector, field, views.filter(shared=False), using)


# Django need not read a person's views to hand them over: the two filters are queries.
keep_shared_views.lazy_sub_objs = True


class SavedViewQuerySet(models.QuerySet):
    def visible_to(self, user, content_types):
        """The views `user` may see among those of `content_types` (the
        entity types of the tools they may read): their own, and the ones
        others share."""
        return self.filter(Q(owner=user) | Q(shared=True), content_type__in=content_types)

    def saved_name_like(self, name: str) -> str | None:
        """The name, as it was saved, of a view among these called `name` in
        any case; None if there is none. Compared as Python folds case, the
        same on every database (SQLite's LOWER folds ASCII letters only, so
        its unique constraint takes "über" beside "Über"), and as the
        database lowers names for the constraint (PostgreSQL's LOWER, under
        its locale, makes "İ" an "i", which Python's casefold does not).
        Reads the names of all these views: a person's of one entity."""
        folded = name.casefold()
        names = self.annotate(lowered=Lower("name"), asked=Lower(Value(name))).values_list(
            "name", "lowered", "asked"
        )
        return next(
            (
                saved
                for saved, lowered, asked in names
                if saved.casefold() == folded or lowered == asked
            ),
            None,
        )


class SavedView(models.Model):
    """A list of an entity as one person filtered, searched and sorted it,
    kept under a name: the list's query string, without paging. Its owner
    alone changes it; shared, everyone who may read its tool sees it.

    The entity is its content type, as the audit trail names it; the API
    writes it `<tool>.<model>`, as the manifest and the activity feed do.
    A person's private views go with them, the views they shared stay with
    no owner (`keep_shared_views`); a view's entity type goes with the view."""

    # No index of its own: the unique constraint leads with it. NULL: a
    # shared view of a person since deleted, which no one may change but an
    # operator in the admin.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=keep_shared_views,
        null=True,
        related_name="saved_views",
        db_index=False,
    )
    # No index of its own: a type's views are found by the constraint (with
    # their owner) or by the index of shared views.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    query = models.TextField(
        blank=True,
        help_text="The list's query string, normalised, without limit, offset or cursor.",
    )
    shared = models.BooleanField(default=False)
    created_at = StampField(auto_now_add=True)
    updated_at = StampField(auto_now=True)

    objects = SavedViewQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            # A person's names of one entity's views differ, in any case (as tags do).
            models.UniqueConstraint(
                "owner",
                "content_type",
                Lower("name"),
                name="core_savedview_owner_name_unique",
                violation_error_message="The owner has a saved view of this entity by that name.",
            ),
        ]
        indexes = [
            # The views others share, of the entity types a caller may read.
            models.Index(
                fields=["content_type"],
                condition=Q(shared=True),
                name="core_savedview_shared_idx",
            ),
        ]

    def __str__(self):
        return self.name
