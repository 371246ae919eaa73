from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person using the suite. `external_id` is the identity provider's
    subject (Auth0 `sub`): the only key used to find the user of a token."""

    external_id = models.CharField(max_length=255, unique=True, null=True, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email or self.username
