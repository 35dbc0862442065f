"""Account writes: sign-up, verification, sign-in and out, password reset, names, deletion."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import time
from typing import TYPE_CHECKING, Any, Never

from django.conf import settings
from django.contrib.auth import password_validation
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from townhall.accounts.models import (
    Account,
    EmailToken,
    NameEvent,
    NameHistory,
    NameStatus,
    PendingName,
    Role,
    SessionToken,
    SsoIdentity,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from townhall.accounts.names import NameCheck
    from townhall.accounts.naming import NameChangeOutcome
from townhall.accounts import naming, signals, totp
from townhall.accounts.naming import checked_name as policy_check
from townhall.accounts.naming import name_change_request
from townhall.core import clock, privacy, ratelimit, tokens
from townhall.core.errors import (
    Conflict,
    ErrorItem,
    Invalid,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)
from townhall.core.rowsql import RowSelect, datetime_param
from townhall.stories.models import SiteRole

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


def _save_new(account: Account, password: str | None) -> None:
    """Set the password (none: unusable) and insert the account, or raise email_taken."""
    if password is None:
        account.set_unusable_password()
    else:
        _validate_password(password, account)
        account.set_password(password)
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError:
        raise Conflict(
            "email_taken", _("An account with this email address already exists."), "email"
        ) from None


def checked_name(first_name: str, last_name: str, *,
                 publisher_names: Sequence[str] = ()) -> NameCheck:
    """Apply the real-name policy; raise Invalid naming the field and the rule."""
    return policy_check(first_name, last_name, publisher_names=publisher_names)


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
    password: str | None,
    first_name: str,
    last_name: str,
    language: str = "en",
    role: str = Role.READER,
    verified: bool = False,
    address: str = "",
    publisher_names: Sequence[str] = (),
    name_event: str = NameEvent.SIGNUP,
) -> Account:
    """Create an account after checking email, real name and password; send the verification.

    Without a password (publisher sign-in) the account can only be reached through its
    publisher or a password reset. A name the policy lets pass but that looks like a pseudonym
    is flagged: the person confirms it before their first comment appears.
    """
    email = normalize_email(email)
    checked = checked_name(first_name, last_name, publisher_names=publisher_names)
    account = Account(
        email=email,
        first_name=checked.first_name,
        last_name=checked.last_name,
        role=role,
        language=language if language in {"en", "fr"} else "en",
        email_verified_at=clock.now() if verified else None,
    )
    _save_new(account, password)
    naming.history_record(account=account, event=name_event)
    if role == Role.READER:
        naming.name_flag_if_suspicious(account)
    if not verified:
        send_token_email(account, EmailToken.Purpose.VERIFY)
    return account


@transaction.atomic
def account_sign_up(
    *, email: str, password: str, first_name: str, last_name: str, language: str = "en",
    address: str = "", publisher_names: Sequence[str] = (),
) -> Account:
    """Sign up from the public API without revealing whether the address has an account.

    With an address that already has one, nothing is created: its owner is emailed
    instead, and the caller gets what a real sign-up returns (an unsaved account carrying a
    freshly used id), after the same checks, the same password hashing and one email sent.
    """
    ratelimit.guard("signup", account=normalize_email(email), address=address)
    try:
        with transaction.atomic():
            return account_create(email=email, password=password, first_name=first_name,
                                  last_name=last_name, language=language, address=address,
                                  publisher_names=publisher_names)
    except Conflict as error:
        if error.items[0].code != "email_taken":
            raise
    checked = checked_name(first_name, last_name, publisher_names=publisher_names)
    # An imported author's address is claimed by verifying it; any other taken one is told.
    answers = signals.signup_email_taken.send(
        sender=Account, email=normalize_email(email), first_name=checked.first_name,
        last_name=checked.last_name, password=password, language=language)
    if not any(taken for _receiver, taken in answers):
        _send_signup_notice(normalize_email(email))
    unsaved = Account(email=normalize_email(email), first_name=checked.first_name,
                      last_name=checked.last_name, language=language)
    unsaved.pk = _spend_account_id()
    return unsaved


def _spend_account_id() -> int:
    """Insert and remove a placeholder account; return the id it used.

    Ids come from a sequence that never hands out the same value twice (PostgreSQL
    sequences, SQLite AUTOINCREMENT), so the id answered to a refused sign-up looks like any
    other new account's and no later account can get it.
    """
    placeholder = Account.objects.create(
        email=f"unused-{secrets.token_hex(12)}@invalid.townhall", first_name="", last_name="",
        is_active=False,
    )
    Account.objects.filter(pk=placeholder.pk).delete()
    return placeholder.pk


def _send_signup_notice(email: str) -> None:
    """Tell an account's owner that someone tried to sign up with their address."""
    owner = Account.objects.filter(email=email).first()
    if owner is None or not owner.is_active:
        return
    with translation.override(owner.language):
        context = {"account": owner, "sign_in_link": settings.PUBLIC_URL,
                   "reset_link": f"{settings.PUBLIC_URL}/accounts/reset-password/"}
        subject = render_to_string("accounts/email/signup_exists_subject.txt", context).strip()
        body = render_to_string("accounts/email/signup_exists.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[owner.email])
    transaction.on_commit(lambda: message.send(fail_silently=False))


def send_token_email(account: Account, purpose: str) -> None:
    """Create a single-use token and email its link once the transaction commits."""
    secret, digest = tokens.new_secret(purpose[:3])
    ttl = VERIFY_TTL if purpose == EmailToken.Purpose.VERIFY else RESET_TTL
    EmailToken.objects.create(
        account=account, purpose=purpose, digest=digest, expires_at=clock.now() + ttl
    )
    path = "verify" if purpose == EmailToken.Purpose.VERIFY else "reset-password"
    link = f"{settings.PUBLIC_URL}/accounts/{path}/?token={secret}"
    email_send_after_commit(account=account, template=purpose, context={
        "link": link, "hours": int(ttl.total_seconds() // 3600)})


def email_send_after_commit(*, account: Account, template: str,
                            context: dict[str, Any]) -> None:
    """Email `account` the message `accounts/email/<template>.txt`, in its language, once
    the transaction commits."""
    with translation.override(account.language):
        context = {"account": account, **context}
        subject = render_to_string(f"accounts/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"accounts/email/{template}.txt", context)
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
        signals.email_verified.send(sender=Account, account=account)
    return account


@transaction.atomic
def verification_resend(*, account: Account) -> None:
    """Send a fresh verification link to an unverified account."""
    ratelimit.hit("verify-resend", str(account.pk), limit=5, window=3600)
    if not account.email_verified:
        send_token_email(account, EmailToken.Purpose.VERIFY)


# Growing lockouts after failed sign-ins: per account (the email typed, whether or not it
# has an account) from the 5th failure, per address from the 20th; 30 s, doubling, up to 1 h.
SIGNIN_FREE_FAILURES_ACCOUNT = 5
SIGNIN_FREE_FAILURES_ADDRESS = 20


DEVICE_SALT = "townhall.known-device"
DEVICE_COOKIE = "townhall_device"
DEVICE_MAX_AGE = 365 * 86400


def device_token(email: str) -> str:
    """Return the token a browser keeps after signing in to `email`: it marks the device as
    one the owner signed in from, which a lockout by someone else's guesses does not stop."""
    return signing.dumps({"e": tokens.digest((email or "").strip().lower()),
                          "n": secrets.token_hex(8)}, salt=DEVICE_SALT, compress=True)


def _known_device(device: str | None, email: str) -> str:
    """Return the device's own key when `device` is a token for this email, else ""."""
    if not device:
        return ""
    try:
        data = signing.loads(device, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    except signing.BadSignature:
        return ""
    if not isinstance(data, dict) or data.get("e") != tokens.digest(email):
        return ""
    return tokens.digest(device)


def authenticate(*, email: str, password: str, address: str, totp_code: str | None = None,
                 device: str | None = None) -> Account:
    """Return the account for these credentials or raise NotAuthenticated (throttled).

    Staff who enabled two-factor sign-in (or all staff, when the installation requires it)
    also give the current TOTP code; without one the answer is 401 `totp_required`.

    Repeated failures lock the email out, growing from 30 s to an hour. A device that signed
    in to this email before (`device`, from `device_token`) is not held by that lockout: it
    has a lockout of its own, so a stranger's guesses cannot keep the owner out.
    """
    email = (email or "").strip().lower()
    address_key = privacy.address_digest(address)
    known = _known_device(device, email)
    # A known device is counted on its own, so others' attempts do not use up its allowance.
    ratelimit.guard("signin", account=f"device:{known}" if known else email, address=address)
    if known:
        ratelimit.backoff_check("signin-device", known, field="email")
    else:
        ratelimit.backoff_check("signin-account", email, field="email")
        if address_key:
            ratelimit.backoff_check("signin-address", address_key, field="email")
    account = Account.objects.filter(email=email, is_active=True).first()
    if account is None:
        # Hash anyway so the response time does not tell whether the email exists.
        Account().set_password(password)
        _signin_failed(email, address_key, known)
    elif not account.check_password(password) or (
        settings.TOWNHALL_SIGNIN_REQUIRES_VERIFIED_EMAIL and not account.email_verified
    ):
        _signin_failed(email, address_key, known)
    if _totp_required(account):
        if not account.totp_enabled:
            raise NotAuthenticated(
                _("Staff accounts sign in with a second factor. Ask an administrator to set "
                  "it up (townhall totp-enrol)."), code="totp_setup_required", field="totp")
        if not totp_code:
            raise NotAuthenticated(_("Enter the 6-digit code from your authenticator app."),
                                   code="totp_required", field="totp")
        if not _totp_use(account, totp_code):
            ratelimit.backoff_failure("signin-account", email,
                                      free=SIGNIN_FREE_FAILURES_ACCOUNT)
            raise NotAuthenticated(_("This code is wrong or was already used."),
                                   code="invalid_totp", field="totp")
    ratelimit.backoff_clear("signin-account", email)
    return account


def password_confirm(*, account: Account, password: str, field: str = "current_password",
                     message: Any = None) -> None:
    """Check the password of a signed-in account before a sensitive change, or raise.

    Wrong guesses count with the sign-in failures of the account's email and lock out the
    same way, so that a stolen session cannot try passwords faster than the sign-in form.
    """
    ratelimit.backoff_check("signin-account", account.email, field=field)
    if not account.check_password(password or ""):
        ratelimit.backoff_failure("signin-account", account.email,
                                  free=SIGNIN_FREE_FAILURES_ACCOUNT)
        raise Invalid(field, "wrong_password", message or _("The current password is wrong."))


@transaction.atomic
def password_change(*, account: Account, current_password: str, new_password: str) -> None:
    """Change the password after checking the current one (throttled like sign-in)."""
    password_confirm(account=account, password=current_password)
    password_set(account=account, password=new_password)


def _signin_failed(email: str, address_key: str, device: str = "") -> Never:
    if device:
        ratelimit.backoff_failure("signin-device", device, free=SIGNIN_FREE_FAILURES_ACCOUNT)
    else:
        ratelimit.backoff_failure("signin-account", email, free=SIGNIN_FREE_FAILURES_ACCOUNT)
    if address_key and not device:
        ratelimit.backoff_failure("signin-address", address_key,
                                  free=SIGNIN_FREE_FAILURES_ADDRESS)
    if settings.TOWNHALL_SIGNIN_REQUIRES_VERIFIED_EMAIL:
        raise NotAuthenticated(
            _("Wrong email or password. New accounts first confirm their address with the "
              "emailed link."), code="invalid_credentials")
    raise NotAuthenticated(_("Wrong email or password."), code="invalid_credentials")


def _totp_required(account: Account) -> bool:
    return account.totp_enabled or (settings.TOWNHALL_STAFF_TOTP_REQUIRED and account.is_staff)


def _totp_use(account: Account, code: str) -> bool:
    """Check a code and remember its step, so that it cannot be used a second time; or use
    up one of the recovery codes."""
    with transaction.atomic():
        fresh = Account.objects.select_for_update().get(pk=account.pk)
        given = code.strip().lower()
        recovery = tokens.digest(given) if "-" in given else ""
        if recovery and recovery in fresh.totp_recovery_digests:
            left = [d for d in fresh.totp_recovery_digests if d != recovery]
            Account.objects.filter(pk=account.pk).update(totp_recovery_digests=left)
            account.totp_recovery_digests = left
            return True
        step = totp.matching_step(fresh.totp_secret, code, time.time(),
                                  after_step=fresh.totp_last_step)
        if step is None:
            return False
        Account.objects.filter(pk=account.pk).update(totp_last_step=step)
    account.totp_last_step = step
    return True


@transaction.atomic
def totp_enrol(*, account: Account, password: str) -> tuple[str, str]:
    """Start two-factor enrolment: store a new secret; return it and its otpauth:// URI.

    The password is asked first: a stolen session alone must not lock the owner out behind
    an attacker's authenticator.
    """
    password_confirm(account=account, password=password, field="password",
                     message=_("The password is wrong."))
    if account.totp_enabled:
        raise Conflict("totp_enabled", _("Two-factor sign-in is already on."), "totp")
    account.totp_secret = totp.new_secret()
    account.save(update_fields=["totp_secret"])
    uri = totp.provisioning_uri(account.totp_secret, account_name=account.email,
                                issuer="Townhall")
    return account.totp_secret, uri


RECOVERY_CODES = 10
TOTP_UNDO_SALT = "townhall.totp-undo"
TOTP_UNDO_MAX_AGE = 14 * 86400


@transaction.atomic
def totp_confirm(*, account: Account, code: str) -> tuple[Account, list[str]]:
    """Turn two-factor sign-in on once the authenticator shows a matching code.

    Return the account and its recovery codes, shown this once. The owner is emailed that
    two-factor sign-in is on, with a link that turns it off again if it was not them.
    """
    if account.totp_enabled:
        raise Conflict("totp_enabled", _("Two-factor sign-in is already on."), "totp")
    if not account.totp_secret:
        raise Conflict("totp_not_enrolled", _("Start the set-up first."), "totp")
    step = totp.matching_step(account.totp_secret, code, time.time())
    if step is None:
        raise Invalid("code", "invalid_totp", _("This code does not match. Check the clock of "
                                                "your device and try the next code."))
    codes = [totp_recovery_code() for _ in range(RECOVERY_CODES)]
    account.totp_enabled = True
    account.totp_last_step = step
    account.totp_recovery_digests = [tokens.digest(c) for c in codes]
    account.save(update_fields=["totp_enabled", "totp_last_step", "totp_recovery_digests"])
    undo = signing.dumps({"account": account.pk, "secret": tokens.digest(account.totp_secret)},
                         salt=TOTP_UNDO_SALT)
    email_send_after_commit(account=account, template="totp_on", context={
        "link": f"{settings.PUBLIC_URL}/accounts/totp-undo/?token={undo}",
        "days": TOTP_UNDO_MAX_AGE // 86400})
    return account, codes


def totp_clear(account: Account, *, also: Sequence[str] = ()) -> None:
    """Switch two-factor sign-in off: no secret, no used step, no recovery codes left."""
    account.totp_secret, account.totp_enabled, account.totp_last_step = "", False, 0
    account.totp_recovery_digests = []
    account.save(update_fields=["totp_secret", "totp_enabled", "totp_last_step",
                                "totp_recovery_digests", *also])


def totp_recovery_code() -> str:
    """Return a new recovery code such as `k7mq-2xfd-9tbh` (60 bits)."""
    alphabet = "23456789abcdefghjkmnpqrstuvwxyz"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


@transaction.atomic
def totp_undo(*, token: str) -> Account:
    """Turn off the two-factor sign-in that the emailed link names, and sign out everywhere.

    For the owner whose session was used to enrol an attacker's authenticator: the link only
    works for that enrolment, and the owner then chooses a new password.
    """
    try:
        data = signing.loads(token or "", salt=TOTP_UNDO_SALT, max_age=TOTP_UNDO_MAX_AGE)
    except signing.BadSignature:
        raise Invalid("token", "invalid_token", _("This link is invalid or has expired.")) \
            from None
    account = Account.objects.select_for_update().filter(pk=data.get("account"),
                                                         is_active=True).first()
    if account is None or not account.totp_enabled or tokens.digest(
            account.totp_secret) != data.get("secret"):
        raise Invalid("token", "invalid_token", _("This link is invalid or has expired."))
    account.token_generation += 1
    totp_clear(account, also=["token_generation"])
    SessionToken.objects.filter(account=account).delete()
    return account


@transaction.atomic
def totp_disable(*, account: Account, password: str) -> Account:
    """Turn two-factor sign-in off (the password is asked again)."""
    password_confirm(account=account, password=password, field="password",
                     message=_("The password is wrong."))
    if settings.TOWNHALL_STAFF_TOTP_REQUIRED and account.is_staff:
        raise PermissionDenied(_("Staff accounts must keep two-factor sign-in on."),
                               code="totp_required", field="totp")
    totp_clear(account)
    return account


@transaction.atomic
def session_create(*, account: Account, address: str = "") -> str:
    """Issue a bearer token for the account and return it (only its digest is kept)."""
    secret, digest = tokens.new_secret("ths")
    SessionToken.objects.create(
        account=account,
        digest=digest,
        generation=account.token_generation,
        expires_at=clock.now() + dt.timedelta(days=settings.TOWNHALL_TOKEN_TTL_DAYS),
        address_digest=privacy.address_digest(address),
    )
    return secret


@transaction.atomic
def session_revoke(*, token: str) -> None:
    """Make a bearer token stop working."""
    SessionToken.objects.filter(digest=tokens.digest(token)).delete()


@transaction.atomic
def password_reset_request(*, email: str, address: str) -> None:
    """Email a reset link if the address has an account; answer the same either way."""
    email = (email or "").strip().lower()
    ratelimit.guard("reset", account=email, address=address)
    account = Account.objects.filter(email=email, is_active=True).first()
    if account is not None:
        send_token_email(account, EmailToken.Purpose.RESET)


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
    # A reset link still in a mailbox would let whoever reads it undo the change.
    EmailToken.objects.filter(account=account, purpose=EmailToken.Purpose.RESET,
                              used_at__isnull=True).update(used_at=clock.now())


def account_rename(*, account: Account, first_name: str, last_name: str,
                   publisher_names: Sequence[str] = ()) -> NameChangeOutcome:
    """Change the account's real name through the policy, the interval and moderator approval.

    The outcome says whether the change waits for a moderator (the old name stays meanwhile).
    """
    return name_change_request(account=account, first_name=first_name, last_name=last_name,
                               publisher_names=publisher_names)


def deletion_due_at(account: Account) -> dt.datetime | None:
    """Return when a requested deletion will be carried out (None when none is requested)."""
    if account.deletion_requested_at is None:
        return None
    return account.deletion_requested_at + dt.timedelta(
        hours=settings.TOWNHALL_DELETION_GRACE_HOURS)


@transaction.atomic
def account_deletion_request(*, account: Account) -> dt.datetime:
    """Schedule the account's erasure after the grace period; sign it out everywhere.

    The owner can sign in again and cancel until then (a stolen session cannot erase an
    account at once); an email says when the erasure happens. Return that moment.
    """
    if account.deletion_requested_at is None:
        account.deletion_requested_at = clock.now()
    account.token_generation += 1
    account.save(update_fields=["deletion_requested_at", "token_generation"])
    SessionToken.objects.filter(account=account).delete()
    due = deletion_due_at(account)
    assert due is not None
    with translation.override(account.language):
        context = {"account": account, "due": due, "link": settings.PUBLIC_URL,
                   "hours": settings.TOWNHALL_DELETION_GRACE_HOURS}
        subject = render_to_string("accounts/email/deletion_subject.txt", context).strip()
        body = render_to_string("accounts/email/deletion.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[account.email])
    transaction.on_commit(lambda: message.send(fail_silently=False))
    return due


@transaction.atomic
def account_deletion_cancel(*, account: Account) -> Account:
    """Keep the account: cancel a requested deletion."""
    if account.deletion_requested_at is None:
        raise Conflict("no_deletion", _("This account is not scheduled for deletion."))
    account.deletion_requested_at = None
    account.save(update_fields=["deletion_requested_at"])
    return account


@transaction.atomic
def account_erase(*, account: Account) -> None:
    """Erase the account's personal data now; its comments follow each site's policy.

    Sites that remove comments withdraw them and blank their text and edit history; sites
    that anonymise keep the text under "Former member". The row stays (inactive, nameless)
    so threads and the moderation log keep their structure.
    """
    signals.account_erasing.send(sender=Account, account=account)
    account.email = f"deleted-{account.pk}@invalid.townhall"
    account.first_name = ""
    account.last_name = ""
    account.is_active = False
    account.set_unusable_password()
    account.token_generation += 1
    account.totp_secret, account.totp_enabled = "", False
    account.deletion_requested_at = None
    account.save()
    SessionToken.objects.filter(account=account).delete()
    EmailToken.objects.filter(account=account).delete()
    # The publisher's reader may come back; they get a fresh account, not this erased one.
    SsoIdentity.objects.filter(account=account).delete()
    PendingName.objects.filter(account=account).delete()
    NameHistory.objects.filter(account=account).delete()


def accounts_purge(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Run what privacy promises: due erasures, address digests past retention, dead tokens.

    Each erasure commits on its own, so one failure does not hold back the others.
    """
    now = now or clock.now()
    grace = dt.timedelta(hours=settings.TOWNHALL_DELETION_GRACE_HOURS)
    due = list(Account.objects.filter(deletion_requested_at__lte=now - grace, is_active=True)
               .values_list("pk", flat=True))
    erased = 0
    for pk in due:
        with transaction.atomic():
            account = Account.objects.select_for_update().filter(
                pk=pk, deletion_requested_at__lte=now - grace).first()
            if account is not None:
                account_erase(account=account)
                erased += 1
    retention = now - dt.timedelta(days=settings.TOWNHALL_ADDRESS_RETENTION_DAYS)
    addresses = SessionToken.objects.filter(created_at__lt=retention).exclude(
        address_digest="").update(address_digest="")
    sessions, _rows = SessionToken.objects.filter(expires_at__lte=now).delete()
    email_tokens, _rows = EmailToken.objects.filter(expires_at__lte=now - RESET_TTL).delete()
    return {"erased": erased, "addresses_dropped": addresses, "sessions_deleted": sessions,
            "email_tokens_deleted": email_tokens}


@transaction.atomic
def account_change_email(*, account: Account, email: str, password: str) -> Account:
    """Move the account to a new email address after checking the password; re-verify it.

    The new address must be confirmed with the emailed link before the account can comment
    again, so an address nobody controls never stays attached to published comments.
    """
    ratelimit.hit("email-change", str(account.pk), limit=5, window=3600, field="email")
    password_confirm(account=account, password=password)
    email = normalize_email(email)
    if email == account.email:
        return account
    if Account.objects.filter(email=email).exclude(pk=account.pk).exists():
        raise Conflict("email_taken", _("An account with this email address already exists."),
                       "email")
    account.email = email
    account.email_verified_at = None
    account.save(update_fields=["email", "email_verified_at"])
    send_token_email(account, EmailToken.Purpose.VERIFY)
    return account

_TOKEN_ROW = RowSelect(
    [SessionToken, Account],
    '"accounts_sessiontoken" INNER JOIN "accounts_account" '
    'ON "accounts_account"."id" = "accounts_sessiontoken"."account_id"',
    '"accounts_sessiontoken"."digest" = %s AND "accounts_sessiontoken"."expires_at" > %s',
)


def account_for_token(token: str) -> Account | None:
    """Return the active account a bearer token belongs to, or None (every request signed
    in asks this: one hand-written join, see core/rowsql.py)."""
    found = _TOKEN_ROW.first([tokens.digest(token), datetime_param(clock.now())])
    if found is None:
        return None
    row, account = found
    assert isinstance(row, SessionToken) and isinstance(account, Account)
    if not account.is_active or row.generation != account.token_generation:
        return None
    row.account = account
    return account


def account_get(account_id: int) -> Account:
    """Return an active account by id or raise NotFound."""
    account = Account.objects.filter(pk=account_id, is_active=True).first()
    if account is None:
        raise NotFound()
    return account


def _staff_without_name(*, email: str, password: str, role: str) -> Account:
    account = Account(email=normalize_email(email), first_name="", last_name="", role=role,
                      email_verified_at=clock.now(), name_status=NameStatus.MISSING)
    _save_new(account, password)
    return account


@transaction.atomic
def staff_name_give(*, account: Account, first_name: str, last_name: str) -> Account:
    """Record the real name of a staff account created without one."""
    if account.name_status != NameStatus.MISSING:
        raise Conflict("name_given", _("This account already has a name."), "first_name")
    checked = checked_name(first_name, last_name)
    account.first_name, account.last_name = checked.first_name, checked.last_name
    account.name_status = NameStatus.OK
    account.save(update_fields=["first_name", "last_name", "name_status"])
    return account


@transaction.atomic
def staff_create(
    *, email: str, role: str, password: str, first_name: str = "", last_name: str = "",
    sites: list[Any] | None = None,
) -> tuple[Account, bool]:
    """Create a verified staff account, or promote an existing one; scope it to sites.

    Without a name the account is created name-pending: its owner gives their real name at
    first sign-in to the dashboard, and cannot comment until then.
    """
    if role not in {Role.MODERATOR, Role.ADMIN}:
        raise Invalid("role", "invalid_choice", _("Choose moderator or admin."))
    existing = Account.objects.filter(email=normalize_email(email)).first()
    if existing is None and not (first_name.strip() or last_name.strip()):
        account = _staff_without_name(email=email, password=password, role=role)
        created = True
    elif existing is None:
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
