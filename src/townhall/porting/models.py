"""What imports brought in (so re-running one duplicates nothing) and pending account claims."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from townhall.core import clock
from townhall.stories.models import Site


class ImportedItem(models.Model):
    """One story, comment or author of another system, and the Townhall row it became."""

    class Kind(models.TextChoices):
        STORY = "story", _("Story")
        COMMENT = "comment", _("Comment")
        ACCOUNT = "account", _("Account")

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=16)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    source_id = models.CharField(max_length=300)
    local_id = models.BigIntegerField()
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "source", "kind", "source_id"],
                                    name="imported_once"),
        ]
        indexes = [models.Index(fields=["kind", "local_id"], name="imported_local")]


class Claim(models.Model):
    """A sign-up with the address of an imported author, applied when the email is verified.

    Until then the imported comments keep their imported name: a sign-up without the mailbox
    cannot rename them or set the password.
    """

    account = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                   related_name="+")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    password = models.CharField(max_length=256)
    language = models.CharField(max_length=5, default="en")
    created_at = models.DateTimeField(default=clock.now)
