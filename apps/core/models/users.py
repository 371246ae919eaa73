from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Cast, Coalesce, Concat, NullIf, Trim

from .base import LoadedFromRowsModel


class User(LoadedFromRowsModel, AbstractUser):
    """A person using the suite. `external_id` is the identity provider's
    subject (Auth0 `sub`): the only key used to find the user of a token."""

    external_id = models.CharField(max_length=255, unique=True, null=True, blank=True)

    # What `display_name` reads.
    DISPLAY_NAME_FIELDS = ("first_name", "last_name", "username")
    # What a person's summary reads (`UserSummary`: their name, and whether
    # they are deactivated): all a list needs of the people it names.
    SUMMARY_FIELDS = (*DISPLAY_NAME_FIELDS, "is_active")

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    @property
    def display_name(self) -> str:
        """The name everyone is shown: the full name, else the username, else
        (a username that is an email address) "User 12". Never the email:
        a person shows every reader only an id and a name."""
        if name := self.get_full_name():
            return name
        if "@" in self.username:
            return f"User {self.pk}"
        return self.username

    @staticmethod
    def display_name_expression():
        """`display_name`, as the database works it out (to sort and search by)."""
        return Coalesce(
            NullIf(Trim(Concat("first_name", Value(" "), "last_name")), Value("")),
            Case(
                When(
                    Q(username__contains="@"), then=Concat(Value("User "), Cast("id", CharField()))
                ),
                default=F("username"),
            ),
            output_field=CharField(),
        )


def summaries_only(relation: str) -> list[str]:
    """For `QuerySet.defer()`: every field of the user at `relation` but its
    id and what their summary reads (`User.SUMMARY_FIELDS`). A response
    naming authors then reads neither their password hashes nor their dates
    from the database."""
    return [
        f"{relation}__{field.name}"
        for field in User._meta.concrete_fields
        if not field.primary_key and field.name not in User.SUMMARY_FIELDS
    ]
