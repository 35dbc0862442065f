"""Accounts and the tokens that prove who an account is."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from townhall.core import clock


class Role(models.TextChoices):
    READER = "reader", _("Reader")
    MODERATOR = "moderator", _("Moderator")
    ADMIN = "admin", _("Administrator")


class NameStatus(models.TextChoices):
    """Where an account's real name stands with the moderators."""

    OK = "ok", _("Accepted")
    # A moderator (or the sign-up check) doubts the name: the person must confirm or change it
    # before their next comment appears.
    FLAGGED = "flagged", _("Asked to confirm")
    CONFIRMED = "confirmed", _("Confirmed by its owner")
    # A staff account created without a name (`townhall createstaff` without --first-name):
    # the dashboard asks its owner for their real name at first sign-in.
    MISSING = "missing", _("Not given yet")


class AccountManager(BaseUserManager["Account"]):
    def get_by_natural_key(self, username: str | None) -> Account:
        return self.get(email=(username or "").strip().lower())


class Account(AbstractBaseUser):
    """A person who comments, moderates or administers. Email is the sign-in name."""

    email = models.EmailField(_("email"), unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.READER)
    language = models.CharField(max_length=5, default="en")
    email_verified_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=clock.now)
    # Bumped on password change: every session token issued before it stops working.
    token_generation = models.PositiveIntegerField(default=0)
    # "Delete my account": erased by `townhall purge-deleted` once the grace period is over.
    deletion_requested_at = models.DateTimeField(null=True, blank=True)
    # Two-factor sign-in (RFC 6238): the base32 secret, whether its enrolment was confirmed,
    # and the last time step used, so a code cannot be replayed.
    totp_secret = models.CharField(max_length=64, blank=True, default="")
    totp_enabled = models.BooleanField(default=False)
    totp_last_step = models.BigIntegerField(default=0)
    # SHA-256 digests of the one-time recovery codes shown at enrolment; each works once.
    totp_recovery_digests = models.JSONField(default=list, blank=True)
    name_status = models.CharField(
        max_length=16, choices=NameStatus.choices, default=NameStatus.OK
    )
    # Set once a moderator takes an account action (ban, suspension, always-review, trust);
    # until then posting needs no sanctions lookup.
    has_account_actions = models.BooleanField(default=False, editable=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["first_name", "last_name"]

    objects = AccountManager()

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.display_name} <{self.email}>"

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_staff(self) -> bool:
        return self.role in {Role.MODERATOR, Role.ADMIN}

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Tie cookie sessions to the token generation as well as the password, so that what
        signs the account out everywhere (a new password, a deletion request) ends the pages'
        sessions too, not only the API's bearer tokens."""
        return salted_hmac("townhall.accounts.Account.session", f"{self.password}:"
                           f"{self.token_generation}", secret=secret,
                           algorithm="sha256").hexdigest()

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return self.is_active and self.is_admin

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_active and self.is_admin


class SessionToken(models.Model):
    """A bearer token for the JSON API; only its SHA-256 digest is stored."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    generation = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField()
    # Keyed digest of the network the session was opened from (never the raw address);
    # cleared after TOWNHALL_ADDRESS_RETENTION_DAYS.
    address_digest = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["account", "expires_at"])]


class EmailToken(models.Model):
    """A single-use, expiring token sent by email (verification or password reset)."""

    class Purpose(models.TextChoices):
        VERIFY = "verify", _("Verify email")
        RESET = "reset", _("Reset password")

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="email_tokens")
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)


class NameEvent(models.TextChoices):
    SIGNUP = "signup", _("Signed up")
    CHANGE = "change", _("Changed by its owner")
    SSO = "sso", _("Set by the publisher's sign-in")
    MODERATOR = "moderator", _("Set by a moderator")
    REQUESTED = "requested", _("Change requested, awaiting approval")
    WITHDRAWN = "withdrawn", _("Requested change withdrawn")
    DECLINED = "declined", _("Requested change declined")
    FLAGGED = "flagged", _("Flagged as a possible pseudonym")
    CONFIRMED = "confirmed", _("Confirmed by its owner")
    CLEARED = "cleared", _("Flag cleared by a moderator")


# Events after which the account carries the row's name.
NAME_TAKING_EVENTS = (NameEvent.SIGNUP, NameEvent.CHANGE, NameEvent.SSO, NameEvent.MODERATOR)


class NameHistory(models.Model):
    """One event in the life of an account's real name, kept for moderators (append-only)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="name_history")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    event = models.CharField(max_length=16, choices=NameEvent.choices)
    actor = models.ForeignKey(
        Account, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=["account", "created_at"])]


class PendingName(models.Model):
    """A name change that waits for a moderator; the account keeps its old name meanwhile."""

    account = models.OneToOneField(Account, on_delete=models.CASCADE,
                                   related_name="pending_name")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    requested_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ("requested_at", "id")

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class SsoConfig(models.Model):
    """How a site signs its readers in: the key that checks its tokens and what to expect."""

    site = models.OneToOneField("stories.Site", on_delete=models.CASCADE,
                                related_name="sso_config")
    # A shared secret has to be kept as is: it is needed to check HS256 signatures.
    hs256_secret = models.CharField(max_length=512, blank=True)
    public_key_pem = models.TextField(blank=True)
    algorithms = models.JSONField(default=list)
    issuer = models.CharField(max_length=500, blank=True)
    audience = models.CharField(max_length=500, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(default=clock.now)


class SsoIdentity(models.Model):
    """One reader of a publisher (the token's `sub`) linked to one Townhall account."""

    class Origin(models.TextChoices):
        # The publisher's sign-in made the account: the publisher keeps its name up to date.
        CREATED = "created", _("Created by the publisher's sign-in")
        # The account existed and its owner agreed (signed in, or by an emailed link).
        LINKED = "linked", _("Linked by its owner")

    site = models.ForeignKey("stories.Site", on_delete=models.CASCADE,
                             related_name="sso_identities")
    subject = models.CharField(max_length=255)
    account = models.ForeignKey(Account, on_delete=models.CASCADE,
                                related_name="sso_identities")
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.CREATED)
    created_at = models.DateTimeField(default=clock.now)
    last_sign_in_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "subject"], name="sso_identity_unique"),
            models.UniqueConstraint(fields=["site", "account"], name="sso_identity_one_per_site"),
        ]


class TermsAcceptance(models.Model):
    """A reader's acceptance of one version of a site's terms in one language.

    The publisher's right to reproduce a comment rests on it: it is recorded when given (at
    sign-up or with a first comment), kept per version, and each comment also carries the
    version in force when it was posted.
    """

    account = models.ForeignKey(Account, on_delete=models.CASCADE,
                                related_name="terms_acceptances")
    site = models.ForeignKey("stories.Site", on_delete=models.CASCADE,
                             related_name="terms_acceptances")
    language = models.CharField(max_length=2)
    version = models.PositiveIntegerField()
    accepted_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ("-accepted_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=["account", "site", "language", "version"],
                                    name="terms_acceptance_unique"),
        ]


class AuditEntry(models.Model):
    """One change a person made to how the house runs, for the audit log (append-only).

    Comments' decisions are their own log (`moderation.Decision`) and names theirs
    (`NameHistory`); these rows hold the rest: site settings, word lists, guidelines, staff
    roles, sanctions and appeals. `changes` maps each changed field to [before, after], or
    names what was added or removed.
    """

    action = models.CharField(max_length=32)
    actor = models.ForeignKey(Account, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    site = models.ForeignKey("stories.Site", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")
    # The account the change concerns (a sanctioned author, a new moderator), if any.
    account = models.ForeignKey(Account, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    story = models.ForeignKey("stories.Story", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    comment = models.ForeignKey("comments.Comment", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+")
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["created_at"], name="audit_created"),
                   models.Index(fields=["site", "created_at"], name="audit_site")]
