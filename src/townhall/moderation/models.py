"""Moderation data: guidelines, per-site settings, word lists, reports, appeals,
account actions, and the append-only decision log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from townhall.comments.models import Comment
from townhall.core import clock
from townhall.stories.models import Site


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
    # An undo names the decision it reverses; a moderator's decision keeps what it changed
    # beside the status (guideline, feature, review time, the reports it closed) to undo it.
    undoes = models.OneToOneField("self", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="undone_by")
    before = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ("created_at", "id")
        indexes = [
            models.Index(fields=["comment", "created_at"]),
            models.Index(fields=["created_at"], name="decision_created"),
        ]


class GuidelineSet(models.Model):
    """One version of a site's Submission Guidelines, in English and French.

    `items` is a list of `{"code", "title": {"en", "fr"}, "explanation": {"en", "fr"}}`;
    the newest version rules, older ones stay so that old decisions can be read in context.
    """

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="guideline_sets")
    version = models.PositiveIntegerField()
    items = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ("-version",)
        constraints = [
            models.UniqueConstraint(fields=["site", "version"], name="guideline_version_unique")
        ]


class LinkPolicy(models.TextChoices):
    ALLOW = "allow", _("Allow links")
    HOLD = "hold", _("Hold links to other sites for review")


class SiteModeration(models.Model):
    """A site's moderation settings: which phases run and their thresholds."""

    site = models.OneToOneField(Site, on_delete=models.CASCADE, related_name="moderation")
    # Phases switched off for this site (new phases are on until a site turns them off).
    disabled_phases = models.JSONField(default=list, blank=True)
    new_commenter_holds = models.PositiveSmallIntegerField(default=2)
    # Model score above which a comment is held; NULL uses the model's default.
    toxicity_hold = models.FloatField(null=True, blank=True)
    # Model score above which a comment is rejected outright; NULL never rejects.
    toxicity_reject = models.FloatField(null=True, blank=True)
    link_policy = models.CharField(max_length=8, choices=LinkPolicy.choices,
                                   default=LinkPolicy.HOLD)
    link_domains = models.JSONField(default=list, blank=True)
    report_threshold = models.PositiveSmallIntegerField(default=3)
    # Published comments without a rejection that make an account trusted.
    trusted_after = models.PositiveIntegerField(default=20)
    # Holds a trusted account skips (phase names).
    trusted_skips = models.JSONField(default=list, blank=True)
    # Comments one account may post on one story in ten minutes before they are held.
    flood_limit = models.PositiveSmallIntegerField(default=4)
    email_authors = models.BooleanField(default=True)
    # Hold a published comment for review as soon as a notice of illegal content names it.
    hold_on_notice = models.BooleanField(default=False)
    # How long after a decision its author may appeal (DSA art. 20: at least six months);
    # NULL uses the installation's TOWNHALL_APPEAL_DAYS.
    appeal_days = models.PositiveSmallIntegerField(null=True, blank=True)
    # Retention (docs/privacy.md), in days; 0 keeps forever. Decided notices go, with their
    # notifier's name and email; rejected comments lose their text; decision notes are blanked.
    retain_notices_days = models.PositiveIntegerField(default=730)
    retain_rejected_days = models.PositiveIntegerField(default=365)
    retain_notes_days = models.PositiveIntegerField(default=730)
    updated_at = models.DateTimeField(default=clock.now)


class WordAction(models.TextChoices):
    BLOCK = "block", _("Reject")
    HOLD = "hold", _("Hold for review")
    FLAG = "flag", _("Flag for moderators")


class WordRule(models.Model):
    """A word or phrase a site blocks, holds or flags, in one language or both."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="word_rules")
    # "" applies to both languages.
    language = models.CharField(max_length=2, blank=True)
    phrase = models.CharField(max_length=100)
    # The phrase as `fold` sees it, so "F*CK" and "fuck" are one rule.
    folded = models.CharField(max_length=100)
    action = models.CharField(max_length=8, choices=WordAction.choices)
    guideline = models.CharField(max_length=32)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ("folded",)
        constraints = [
            models.UniqueConstraint(fields=["site", "language", "folded"],
                                    name="word_rule_unique")
        ]


class Report(models.Model):
    """A reader's report that a comment breaks a guideline (once per account and comment)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="reports")
    reason = models.CharField(max_length=32)
    text = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    # Set when a moderator decides the comment; the report then stops counting.
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created_at", "id")
        constraints = [
            models.UniqueConstraint(fields=["comment", "account"], name="report_once")
        ]


class AppealStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a moderator")
    UPHELD = "upheld", _("Rejection upheld")
    OVERTURNED = "overturned", _("Comment restored")


class Appeal(models.Model):
    """An author's one appeal against a rejection, decided by another moderator."""

    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="appeal")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="appeals")
    message = models.TextField()
    status = models.CharField(max_length=16, choices=AppealStatus.choices,
                              default=AppealStatus.OPEN)
    # The moderator whose rejection is appealed may not decide the appeal.
    rejected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=clock.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="appeal_open")]


class ActionKind(models.TextChoices):
    NOTE = "note", _("Note")
    WARN = "warn", _("Warning")
    SUSPEND = "suspend", _("Suspension")
    BAN = "ban", _("Ban")
    ALWAYS_REVIEW = "always_review", _("Always review")
    TRUST = "trust", _("Trusted")
    PSEUDONYM = "pseudonym", _("Suspected pseudonym")


class AccountAction(models.Model):
    """Something moderators did to an account. Rows are kept; lifting one sets `lifted_at`."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="moderation_actions")
    # NULL means every site.
    site = models.ForeignKey(Site, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+")
    kind = models.CharField(max_length=16, choices=ActionKind.choices)
    guideline = models.CharField(max_length=32, blank=True)
    message = models.TextField(blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+")
    created_at = models.DateTimeField(default=clock.now)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")
    # For warnings: when the author saw the message.
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["account", "kind"], name="account_action_kind")]


class TrustedFlagger(models.Model):
    """An organisation awarded trusted-flagger status (DSA art. 22), registered by an admin.

    It files notices with its key (only the key's digest is kept); they are marked and go to
    the top of the queue.
    """

    name = models.CharField(max_length=200)
    contact = models.EmailField()
    expertise = models.CharField(max_length=300, blank=True)
    key_digest = models.CharField(max_length=64, unique=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ("name",)


class NoticeGround(models.TextChoices):
    """The kinds of illegality a notifier may invoke (DSA art. 16)."""

    DEFAMATION = "defamation", _("Defamation")
    HATE = "hate", _("Illegal hate speech or incitement to violence")
    THREAT = "threat", _("Threats or criminal harassment")
    PRIVACY = "privacy", _("Violation of privacy or personal data")
    CHILD_ABUSE = "child_abuse", _("Child sexual abuse material")
    TERRORISM = "terrorism", _("Terrorist content")
    FRAUD = "fraud", _("Fraud or scam")
    INTELLECTUAL_PROPERTY = "intellectual_property", _("Copyright or trademark infringement")
    COURT_ORDER = "court_order", _("Breach of a court order or publication ban")
    OTHER = "other", _("Other illegal content")


class NoticeStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_REVIEW = "in_review", _("In review")
    DECIDED = "decided", _("Decided")
    VOID = "void", _("Void")


class NoticeOutcome(models.TextChoices):
    NONE = "", _("Not decided")
    RESTRICTED = "restricted", _("Comment removed")
    NO_ACTION = "no_action", _("No action")


class Notice(models.Model):
    """A notice that a comment is illegal (DSA art. 16), from anyone, signed in or not."""

    reference = models.CharField(max_length=16, unique=True)
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="notices")
    # Kept when the comment goes (erasure): the notice and its outcome stay on record.
    comment = models.ForeignKey(Comment, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="notices")
    ground = models.CharField(max_length=24, choices=NoticeGround.choices)
    # The law or provision concerned, in the notifier's words.
    law = models.CharField(max_length=300, blank=True)
    explanation = models.TextField()
    comment_url = models.URLField(max_length=500, blank=True)
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    language = models.CharField(max_length=2, default="en")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="notices_filed")
    trusted_flagger = models.ForeignKey(TrustedFlagger, on_delete=models.SET_NULL, null=True,
                                        blank=True, related_name="notices")
    status = models.CharField(max_length=16, choices=NoticeStatus.choices,
                              default=NoticeStatus.RECEIVED)
    outcome = models.CharField(max_length=16, choices=NoticeOutcome.choices, blank=True,
                               default=NoticeOutcome.NONE)
    # Whether the site held the comment while the notice was reviewed.
    held = models.BooleanField(default=False)
    # The decision that removed the comment, which its statement of reasons is read from.
    decision = models.ForeignKey(Decision, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="notices")
    # Misuse (DSA art. 23): a removal of manifestly illegal content counts against the
    # author; a manifestly unfounded notice against the notifier.
    manifestly_illegal = models.BooleanField(default=False)
    manifestly_unfounded = models.BooleanField(default=False)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    # The reasons sent to the notifier with the outcome.
    reasons = models.TextField(blank=True)
    # The notifier's one complaint against the decision (DSA art. 20), which reopens the
    # notice for a moderator other than the one who decided it.
    complaint = models.TextField(blank=True)
    complained_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=["site", "status", "created_at"], name="notice_queue")]


class NoticeNote(models.Model):
    """A moderator's internal note on a notice (never shown to the notifier)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ("created_at", "id")
