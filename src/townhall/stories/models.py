"""Sites, stories and the per-site community policy."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from townhall.core import clock


class Language(models.TextChoices):
    EN = "en", _("English")
    FR = "fr", _("French")


class Community(models.TextChoices):
    GENERAL = "general", _("General")
    YOUTH = "youth", _("Children and youth")


class ModerationMode(models.TextChoices):
    POST = "post", _("Publish, then review")
    PRE = "pre", _("Review before publishing")


class ErasurePolicy(models.TextChoices):
    REMOVE = "remove", _("Remove the comments")
    ANONYMISE = "anonymise", _("Keep the comments without the name")


def config_stamp_new() -> str:
    """Return a fresh, never-reused marker for a site's posting configuration."""
    return secrets.token_hex(8)


def new_embed_secret() -> str:
    """Return a new secret a publisher signs its embed tags with (stories/services.py)."""
    return secrets.token_hex(32)


class Site(models.Model):
    """A publisher that embeds Townhall; `name` is the slug used in URLs and the embed tag."""

    name = models.SlugField(max_length=64, unique=True)
    title = models.CharField(max_length=200, blank=True)
    origins = models.JSONField(default=list, blank=True)
    default_language = models.CharField(max_length=2, choices=Language.choices, default="en")
    api_key_digest = models.CharField(max_length=64, unique=True)
    max_comment_length = models.PositiveIntegerField(default=2000)
    # Let the embed register a story it does not know yet from the page's attributes, when the
    # page carries the story's signature (`data-signature`, made with `embed_secret`).
    auto_register_stories = models.BooleanField(default=True)
    embed_secret = models.CharField(max_length=64, default=new_embed_secret, editable=False)
    # Rate-limit overrides for this site: {"post": {"account": [10, 60]}} (core/ratelimit.py).
    rate_limits = models.JSONField(default=dict, blank=True)
    # What happens to an erased account's comments: removed, or kept without the name.
    erasure_policy = models.CharField(
        max_length=16, choices=ErasurePolicy.choices, default=ErasurePolicy.REMOVE
    )
    # Changes whenever what posting reads about the site changes (moderation settings, word
    # lists, policy texts, webhooks): processes cache that configuration under this stamp.
    config_stamp = models.CharField(max_length=16, default=config_stamp_new, editable=False)
    # How the publisher's emails look (stories/brand.py): its colour and an https logo.
    brand_colour = models.CharField(max_length=7, default="#b3121b")
    logo_url = models.URLField(max_length=500, blank=True)
    # Where the brand's name links in emails (the publisher's front page).
    home_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class SiteRole(models.Model):
    """A staff member's role on one site (moderators are scoped to their sites)."""

    class Kind(models.TextChoices):
        MODERATOR = "moderator", _("Moderator")
        STAFF = "staff", _("Site staff")

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="roles")
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="site_roles"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "account"], name="site_role_unique")
        ]


class Story(models.Model):
    """A publisher's article with its thread. Open until `closes_at` passes."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="stories")
    external_id = models.CharField(max_length=200)
    url = models.URLField(max_length=1000, blank=True)
    title = models.CharField(max_length=500, blank=True)
    language = models.CharField(max_length=2, choices=Language.choices, default="en")
    community = models.CharField(
        max_length=16, choices=Community.choices, default=Community.GENERAL
    )
    moderation_mode = models.CharField(
        max_length=8, choices=ModerationMode.choices, default=ModerationMode.POST
    )
    closes_at = models.DateTimeField(null=True, blank=True)
    # Published comments, kept by the comment services so counts cost one row read.
    comment_count = models.PositiveIntegerField(default=0)
    # Bumped whenever what an anonymous reader sees changes; cache keys include it.
    version = models.PositiveBigIntegerField(default=1)
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(fields=["site", "external_id"], name="story_external_id")
        ]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return f"{self.site.name}/{self.external_id}"

    def is_open(self, at: dt.datetime | None = None) -> bool:
        return self.closes_at is None or self.closes_at > (at or clock.now())

    @property
    def is_youth(self) -> bool:
        return self.community == Community.YOUTH


class PolicyText(models.Model):
    """One version of a site's community policy in one language. The newest version rules."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="policies")
    language = models.CharField(max_length=2, choices=Language.choices)
    version = models.PositiveIntegerField()
    texts = models.JSONField()
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ("-version",)
        constraints = [
            models.UniqueConstraint(
                fields=["site", "language", "version"], name="policy_version_unique"
            )
        ]
