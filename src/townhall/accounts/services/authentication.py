"""Proving who one is: sign-in with its lockouts and known devices, passwords and their
reset, two-factor codes (TOTP and recovery codes), sessions and bearer tokens."""

from __future__ import annotations

import datetime as dt
import secrets
import time
from typing import TYPE_CHECKING, Any, Never

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils.translation import gettext as _

from townhall.accounts import totp
from townhall.accounts.models import (
    Account,
    EmailToken,
    SessionToken,
)
from townhall.accounts.services.signup import (
    email_send_after_commit,
    send_token_email,
    use_email_token,
    validate_password,
)
from townhall.core import clock, privacy, ratelimit, tokens
from townhall.core.errors import (
    Conflict,
    Invalid,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)
from townhall.core.rowsql import RowSelect, datetime_param

if TYPE_CHECKING:
    from collections.abc import Sequence



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


# The bearer token a widget on Townhall's own origin shares with the pages' session: signing
# out of either ends both (api/accounts.py, dashboard/account_views.py).
PAGE_TOKEN_KEY = "townhall_widget_token"
PAGE_BACKEND = "django.contrib.auth.backends.ModelBackend"


def page_session_pair(session: Any, token: str) -> None:
    """Remember in the pages' session the bearer token the widget holds."""
    session[PAGE_TOKEN_KEY] = tokens.digest(token)


def page_session_end(session: Any) -> None:
    """End the widget's bearer token paired with this pages' session, if any."""
    digest = session.get(PAGE_TOKEN_KEY)
    if digest:
        SessionToken.objects.filter(digest=digest).delete()


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
    account = use_email_token(token, EmailToken.Purpose.RESET).account
    password_set(account=account, password=password)
    # The link proved control of the mailbox.
    if account.email_verified_at is None:
        account.email_verified_at = clock.now()
        account.save(update_fields=["email_verified_at"])
    return account


@transaction.atomic
def password_set(*, account: Account, password: str) -> None:
    """Change the password and revoke every session token issued before."""
    validate_password(password, account)
    account.set_password(password)
    account.token_generation += 1
    account.save(update_fields=["password", "token_generation"])
    SessionToken.objects.filter(account=account).delete()
    # A reset link still in a mailbox would let whoever reads it undo the change.
    EmailToken.objects.filter(account=account, purpose=EmailToken.Purpose.RESET,
                              used_at__isnull=True).update(used_at=clock.now())


_TOKEN_ROW = RowSelect(
    [SessionToken, Account],
    '{SessionToken} INNER JOIN {Account} ON {Account}."id" = {SessionToken}."account_id"',
    '{SessionToken}."digest" = %s AND {SessionToken}."expires_at" > %s',
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
