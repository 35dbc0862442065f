"""Account writes: sign-up, verification, sign-in and out, password reset, names, deletion."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any
import logging

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from townhall.accounts.models import Account, EmailToken, Role, SessionToken

if TYPE_CHECKING:
    from townhall.accounts.names import NameCheck
from townhall.core import clock, ratelimit, tokens
from townhall.core.errors import Conflict, ErrorItem, Invalid, NotAuthenticated, NotFound

log = logging.getLogger(__name__)

VERIFY_TTL = dt.timedelta(days=3)
RESET_TTL = dt.timedelta(hours=2)


def normalize_email(email: str) -> str:
    """Return the email trimmed and lower-cased, or raise Invalid naming the `email` field."""
    value = (email or "").strip().lower()
    try:
        validate_email(value)
    except ValidationError:
        raise Invalid("email", "invalid_email", _("Enter a valid email address.")) from None
    return value


def checked_name(first_name: str, last_name: str) -> NameCheck:
    """Apply the real-name policy; raise Invalid naming the field and the rule."""
    from townhall.accounts.names import NameRejected, check_name

    try:
        return check_name(first_name or "", last_name or "")
    except NameRejected as error:
        raise Invalid(error.field, error.code, error.message) from None


def _validate_password(password: str, account: Account | None = None) -> None:
    try:
        password_validation.validate_password(password, account)
    except ValidationError as error:
        raise Invalid.many(
            [ErrorItem("weak_password", str(message), "password") for message in error.messages]
        ) from None


@transaction.atomic
def account_create(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    language: str = "en",
    role: str = Role.READER,
    verified: bool = False,
    address: str = "",
) -> Account:
    """Create an account after checking email, real name and password; send the verification."""
    if address:
        ratelimit.hit("signup-address", address, limit=10, window=3600)
    email = normalize_email(email)
    checked = checked_name(first_name, last_name)
    account = Account(
        email=email,
        first_name=checked.first_name,
        last_name=checked.last_name,
        role=role,
        language=language if language in {"en", "fr"} else "en",
        email_verified_at=clock.now() if verified else None,
    )
    _validate_password(password, account)
    account.set_password(password)
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError:
        raise Conflict(
            "email_taken", _("An account with this email address already exists."), "email"
        ) from None
    if not verified:
        _send_token_email(account, EmailToken.Purpose.VERIFY)
    return account


def _send_token_email(account: Account, purpose: str) -> None:
    """Create a single-use token and email its link once the transaction commits."""
    secret, digest = tokens.new_secret(purpose[:3])
    ttl = VERIFY_TTL if purpose == EmailToken.Purpose.VERIFY else RESET_TTL
    EmailToken.objects.create(
        account=account, purpose=purpose, digest=digest, expires_at=clock.now() + ttl
    )
    path = "verify" if purpose == EmailToken.Purpose.VERIFY else "reset-password"
    link = f"{settings.PUBLIC_URL}/accounts/{path}/?token={secret}"
    with translation.override(account.language):
        context = {"account": account, "link": link, "hours": int(ttl.total_seconds() // 3600)}
        subject = render_to_string(f"accounts/email/{purpose}_subject.txt", context).strip()
        body = render_to_string(f"accounts/email/{purpose}.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[account.email])
    transaction.on_commit(lambda: message.send(fail_silently=False))


def _use_email_token(secret: str, purpose: str) -> EmailToken:
    token = (
        EmailToken.objects.select_for_update()
        .select_related("account")
        .filter(digest=tokens.digest(secret or ""), purpose=purpose, used_at__isnull=True,
                expires_at__gt=clock.now())
        .first()
    )
    if token is None:
        raise Invalid("token", "invalid_token", _("This link is invalid or has expired."))
    token.used_at = clock.now()
    token.save(update_fields=["used_at"])
    return token


@transaction.atomic
def account_verify_email(*, token: str) -> Account:
    """Mark the account behind a verification token as verified (single use)."""
    account = _use_email_token(token, EmailToken.Purpose.VERIFY).account
    if account.email_verified_at is None:
        account.email_verified_at = clock.now()
        account.save(update_fields=["email_verified_at"])
    return account


@transaction.atomic
def verification_resend(*, account: Account) -> None:
    """Send a fresh verification link to an unverified account."""
    ratelimit.hit("verify-resend", str(account.pk), limit=5, window=3600)
    if not account.email_verified:
        _send_token_email(account, EmailToken.Purpose.VERIFY)


def authenticate(*, email: str, password: str, address: str) -> Account:
    """Return the account for these credentials or raise NotAuthenticated (throttled)."""
    email = (email or "").strip().lower()
    ratelimit.hit("signin-address", address, limit=30, window=300)
    ratelimit.hit("signin-account", email, limit=10, window=300)
    account = Account.objects.filter(email=email, is_active=True).first()
    if account is None:
        # Hash anyway so the response time does not tell whether the email exists.
        Account().set_password(password)
        raise NotAuthenticated(_("Wrong email or password."), code="invalid_credentials")
    if not account.check_password(password):
        raise NotAuthenticated(_("Wrong email or password."), code="invalid_credentials")
    return account


@transaction.atomic
def session_create(*, account: Account) -> str:
    """Issue a bearer token for the account and return it (only its digest is kept)."""
    secret, digest = tokens.new_secret("ths")
    SessionToken.objects.create(
        account=account,
        digest=digest,
        generation=account.token_generation,
        expires_at=clock.now() + dt.timedelta(days=settings.TOWNHALL_TOKEN_TTL_DAYS),
    )
    return secret


@transaction.atomic
def session_revoke(*, token: str) -> None:
    """Make a bearer token stop working."""
    SessionToken.objects.filter(digest=tokens.digest(token)).delete()


@transaction.atomic
def password_reset_request(*, email: str, address: str) -> None:
    """Email a reset link if the address has an account; answer the same either way."""
    ratelimit.hit("reset-address", address, limit=10, window=3600)
    email = (email or "").strip().lower()
    ratelimit.hit("reset-email", email, limit=3, window=3600)
    account = Account.objects.filter(email=email, is_active=True).first()
    if account is not None:
        _send_token_email(account, EmailToken.Purpose.RESET)


@transaction.atomic
def password_reset_confirm(*, token: str, password: str) -> Account:
    """Set a new password from a reset token; every existing session is revoked."""
    account = _use_email_token(token, EmailToken.Purpose.RESET).account
    password_set(account=account, password=password)
    # The link proved control of the mailbox.
    if account.email_verified_at is None:
        account.email_verified_at = clock.now()
        account.save(update_fields=["email_verified_at"])
    return account


@transaction.atomic
def password_set(*, account: Account, password: str) -> None:
    """Change the password and revoke every session token issued before."""
    _validate_password(password, account)
    account.set_password(password)
    account.token_generation += 1
    account.save(update_fields=["password", "token_generation"])
    SessionToken.objects.filter(account=account).delete()


@transaction.atomic
def account_rename(*, account: Account, first_name: str, last_name: str) -> Account:
    """Change the account's real name after the name policy accepts it."""
    checked = checked_name(first_name, last_name)
    account.first_name, account.last_name = checked.first_name, checked.last_name
    account.save(update_fields=["first_name", "last_name"])
    return account


@transaction.atomic
def account_delete(*, account: Account) -> None:
    """Erase the account's personal data and withdraw its comments; keep thread structure."""
    from townhall.comments.services import comments_withdraw_all

    comments_withdraw_all(account=account)
    account.email = f"deleted-{account.pk}@invalid.townhall"
    account.first_name = ""
    account.last_name = ""
    account.is_active = False
    account.set_unusable_password()
    account.token_generation += 1
    account.save()
    SessionToken.objects.filter(account=account).delete()
    EmailToken.objects.filter(account=account).delete()


def account_for_token(token: str) -> Account | None:
    """Return the active account a bearer token belongs to, or None."""
    row = (
        SessionToken.objects.select_related("account")
        .filter(digest=tokens.digest(token), expires_at__gt=clock.now())
        .first()
    )
    if row is None or not row.account.is_active:
        return None
    if row.generation != row.account.token_generation:
        return None
    return row.account


def account_get(account_id: int) -> Account:
    """Return an active account by id or raise NotFound."""
    account = Account.objects.filter(pk=account_id, is_active=True).first()
    if account is None:
        raise NotFound()
    return account


@transaction.atomic
def staff_create(
    *, email: str, role: str, password: str, first_name: str, last_name: str,
    sites: list[Any] | None = None,
) -> tuple[Account, bool]:
    """Create a verified staff account, or promote an existing one; scope it to sites."""
    from townhall.stories.models import SiteRole

    if role not in {Role.MODERATOR, Role.ADMIN}:
        raise Invalid("role", "invalid_choice", _("Choose moderator or admin."))
    existing = Account.objects.filter(email=normalize_email(email)).first()
    if existing is None:
        account = account_create(email=email, password=password, first_name=first_name,
                                 last_name=last_name, role=role, verified=True)
        created = True
    else:
        account, created = existing, False
        account.role = role
        account.save(update_fields=["role"])
    for site in sites or []:
        SiteRole.objects.update_or_create(site=site, account=account,
                                          defaults={"kind": SiteRole.Kind.MODERATOR})
    return account, created
