"""The append-only decision log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from townhall.comments.models import Comment
from townhall.core import clock


class Source(models.TextChoices):
    AUTHOR = "author", _("Author")
    MODERATOR = "moderator", _("Moderator")
    RULE = "rule", _("Rule")
    MODEL = "model", _("Model")
    SYSTEM = "system", _("System")


class Decision(models.Model):
    """One status change of a comment: who or what decided, why, and with which scores.

    Rows are only ever inserted; the history of a comment is its decisions in order.
    """

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="decisions")
    source = models.CharField(max_length=16, choices=Source.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    rule = models.CharField(max_length=64, blank=True)
    model_version = models.CharField(max_length=64, blank=True)
    guideline = models.CharField(max_length=32, blank=True)
    old_status = models.CharField(max_length=16, blank=True)
    new_status = models.CharField(max_length=16)
    scores = models.JSONField(default=dict, blank=True)
    findings = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=["comment", "created_at"])]
