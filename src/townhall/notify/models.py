"""Background jobs, follows, mutes, notifications and webhooks."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from townhall.comments.models import Comment
from townhall.core import clock
from townhall.stories.models import Site, Story


class Job(models.Model):
    """One call of a task function, stored so any worker (or the in-process thread) can run it.

    Jobs are inserted inside the write's transaction, so a rolled-back write leaves no job,
    and a committed one cannot lose its side effect when the process dies.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        FAILED = "failed", _("Failed")

    func_path = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    run_after = models.DateTimeField(default=clock.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=1)
    backoff_seconds = models.PositiveIntegerField(default=60)
    # A running job whose lease has passed belonged to a worker that died; it is queued again.
    locked_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        indexes = [models.Index(fields=["state", "run_after"], name="job_due")]

    def __str__(self) -> str:
        return f"job {self.pk} {self.func_path}"


class Schedule(models.Model):
    """When a periodic job (digests, sweeps) runs next; workers claim a run by moving it."""

    name = models.CharField(max_length=64, unique=True)
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)


class Follow(models.Model):
    """A reader follows a story (every new comment) or one comment (the replies to it)."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="follows")
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "comment"], name="follow_comment_once",
                                    condition=Q(comment__isnull=False)),
            models.UniqueConstraint(fields=["account", "story"], name="follow_story_once",
                                    condition=Q(comment__isnull=True)),
        ]
        indexes = [models.Index(fields=["story", "comment"], name="follow_target")]


class Mute(models.Model):
    """A reader no longer wants to see another account's comments (they are collapsed)."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="mutes")
    muted = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "muted"], name="mute_once"),
            models.CheckConstraint(condition=~Q(account=models.F("muted")), name="mute_not_self"),
        ]


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Right away")
    DAILY = "daily", _("Once a day")
    OFF = "off", _("Never")


class Preference(models.Model):
    """How an account wants notification emails; absent means right away."""

    account = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                   related_name="notification_preference")
    email = models.CharField(max_length=12, choices=Delivery.choices, default=Delivery.IMMEDIATE)
    updated_at = models.DateTimeField(default=clock.now)


class Kind(models.TextChoices):
    REPLY = "reply", _("Reply to you")
    STORY_COMMENT = "story_comment", _("New comment on a story you follow")
    THREAD_REPLY = "thread_reply", _("New reply in a thread you follow")
    FEATURED = "featured", _("Your comment was featured")
    DECISION = "decision", _("A moderation decision about your comment")
    APPEAL = "appeal", _("An answer to your appeal")


class Notification(models.Model):
    """Something a reader should hear about; counted in the widget and emailed."""

    class Email(models.TextChoices):
        PENDING = "pending", _("Not sent yet")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Not sent")

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notifications")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="+")
    story = models.ForeignKey(Story, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="+")
    context = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email = models.CharField(max_length=8, choices=Email.choices, default=Email.PENDING)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["account", "read_at"], name="notification_unread"),
            models.Index(fields=["email", "account"], name="notification_email"),
        ]
        constraints = [
            # Replies and features are told once; decisions and appeals may happen again.
            models.UniqueConstraint(
                fields=["account", "kind", "comment"], name="notification_once",
                condition=Q(comment__isnull=False,
                            kind__in=["reply", "story_comment", "thread_reply", "featured"]),
            ),
        ]


class WebhookEvent(models.TextChoices):
    COMMENT_CREATED = "comment.created", "comment.created"
    COMMENT_PUBLISHED = "comment.published", "comment.published"
    COMMENT_REJECTED = "comment.rejected", "comment.rejected"
    COMMENT_REPORTED = "comment.reported", "comment.reported"
    STORY_CLOSED = "story.closed", "story.closed"


class Webhook(models.Model):
    """A publisher's endpoint that receives signed events of one site."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=1000)
    events = models.JSONField(default=list)
    # Kept in clear: it signs every delivery. Shown once, when the webhook is created.
    secret = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.site.name} → {self.url}"


class WebhookDelivery(models.Model):
    """One event sent to one webhook, with the latest attempt's response."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        RETRYING = "retrying", _("Retrying")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(max_length=32, choices=WebhookEvent.choices)
    payload = models.JSONField()
    # Events that could be noticed twice (a scheduled closing) are sent once per key; NULL
    # rather than "" so the partial unique constraint ignores events without one.
    dedup_key = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["webhook", "-created_at"], name="delivery_recent")]
        constraints = [
            models.UniqueConstraint(fields=["webhook", "dedup_key"], name="delivery_once",
                                    condition=Q(dedup_key__isnull=False)),
        ]
