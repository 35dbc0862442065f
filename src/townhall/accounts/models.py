"""Accounts and the tokens that prove who an account is."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from townhall.core import clock


class Role(models.TextChoices):
    READER = "reader", _("Reader")
    MODERATOR = "moderator", _("Moderator")
    ADMIN = "admin", _("Administrator")


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
