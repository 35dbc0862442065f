"""Comments and what readers do to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from townhall.core import clock
from townhall.stories.models import Story


class Status(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    PUBLISHED = "published", pgettext_lazy("comment status", "Published")
    REJECTED = "rejected", pgettext_lazy("comment status", "Rejected")
    DELETED = "deleted", _("Removed by its author")


class Comment(models.Model):
    """A comment or reply. `root` is the top-level comment of its thread (itself when top)."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    root = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    # What the author typed (the Markdown subset) and its sanitised HTML rendering.
    source = models.TextField()
    body_html = models.TextField()
    language = models.CharField(max_length=2, default="en")
    terms_version = models.PositiveIntegerField()
    like_count = models.PositiveIntegerField(default=0)
    # Published direct replies; a removed comment with replies stays as a placeholder.
    reply_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=clock.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    # NULL rather than "" so the partial unique constraint ignores comments without a key.
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)  # noqa: DJ001
    # Kept by moderation services for the queues: the pipeline's (or the model's) risk score,
    # the guideline of the latest hold or rejection, and the latest pipeline findings.
    risk = models.FloatField(default=0)
    # What kind of harm the risk stands for (moderation.pipeline.CATEGORIES), "" for none.
    category = models.CharField(max_length=16, blank=True, default="")
    guideline = models.CharField(max_length=32, blank=True)
    findings = models.JSONField(default=list, blank=True)
    # The text's moderation fingerprint (moderation.pipeline.fingerprint), to spot repeats.
    fingerprint = models.CharField(max_length=32, blank=True, default="")
    # Open reader reports (reset when a moderator decides the comment).
    report_count = models.PositiveIntegerField(default=0)
    # When a moderator last decided this comment (NULL: nobody has looked at it yet).
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Editor's pick: shown first in the thread's "Featured" tab.
    featured_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["story", "status", "depth", "-created_at", "-id"],
                         name="thread_newest"),
            models.Index(fields=["story", "status", "depth", "-like_count", "-id"],
                         name="thread_top"),
            models.Index(fields=["root", "created_at"], name="thread_replies"),
            models.Index(fields=["author", "-created_at"], name="author_comments"),
            # The repeat check of an author with a long history: one text, one day.
            models.Index(fields=["author", "fingerprint", "created_at"],
                         name="author_repeats"),
            models.Index(fields=["status", "created_at"], name="status_created"),
            models.Index(fields=["status", "-risk", "created_at"], name="status_risk"),
            models.Index(fields=["created_at"], name="unreviewed",
                         condition=models.Q(status="published", reviewed_at__isnull=True)),
            models.Index(fields=["created_at"], name="reported",
                         condition=models.Q(report_count__gt=0)),
            models.Index(fields=["story", "-featured_at"], name="featured",
                         condition=models.Q(featured_at__isnull=False)),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "idempotency_key"], name="comment_idempotency",
                condition=models.Q(idempotency_key__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.story_id}"


class Revision(models.Model):
    """A previous version of an edited comment (edit history)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    source = models.TextField()
    body_html = models.TextField()
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ("created_at", "id")


class Like(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="likes")
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="likes"
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "account"], name="like_once")
        ]
