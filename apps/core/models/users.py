from django.contrib.auth.models import AbstractUser
from django.db import models

from .base import LoadedFromRowsModel


class User(LoadedFromRowsModel, AbstractUser):
    """A person using the suite. `external_id` is the identity provider's
    subject (Auth0 `sub`): the only key used to find the user of a token."""

    external_id = models.CharField(max_length=255, unique=True, null=True, blank=True)

    # What `display_name` reads: all a list needs of the people it names.
    DISPLAY_NAME_FIELDS = ("first_name", "last_name", "email", "username")

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email or self.username


def display_names_only(relation: str) -> list[str]:
    """For `QuerySet.defer()`: every field of the user at `relation` but its
    id and what `display_name` reads. A response naming authors then reads
    neither their password hashes nor their dates from the database."""
    return [
        f"{relation}__{field.name}"
        for field in User._meta.concrete_fields
        if not field.primary_key and field.name not in User.DISPLAY_NAME_FIELDS
    ]
