"""Creating accounts: sign-up (readers) and createstaff (staff), email verification."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from townhall.accounts import consent, naming, signals
from townhall.accounts.audit import audit_record
from townhall.accounts.models import (
    Account,
    EmailToken,
    NameEvent,
    NameStatus,
    Role,
)
from townhall.accounts.naming import checked_name as policy_check
from townhall.core import clock, ratelimit, tokens
from townhall.core.errors import (
    Conflict,
    ErrorItem,
    Invalid,
)
from townhall.core.mail import compose
from townhall.stories.brand import brand_of, site_of_page
from townhall.stories.models import Site, SiteRole
from townhall.stories.selectors import allowed_origins

if TYPE_CHECKING:
    from collections.abc import Sequence

    from townhall.accounts.names import NameCheck
    from townhall.stories.models import PolicyText


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
        validate_password(password, account)
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


def validate_password(password: str, account: Account | None = None) -> None:
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
    return_to: str = "",
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
        send_token_email(account, EmailToken.Purpose.VERIFY, return_to=return_to)
    return account


# The sign-up form's fields, top to bottom: errors are answered in this order.
FORM_ORDER = ("first_name", "last_name", "email", "password", "accept_terms")


def signup_errors(*, email: str, password: str, first_name: str, last_name: str,
                  publisher_names: Sequence[str] = (), terms_asked: bool = False,
                  accept_terms: bool | None = None) -> list[ErrorItem]:
    """Every reason a sign-up is refused, in the order of the form, so that a reader sees
    them all at once beside their fields rather than one after another."""
    items: list[ErrorItem] = []
    try:
        checked_name(first_name, last_name, publisher_names=publisher_names)
    except Invalid as error:
        items += error.items
    try:
        normalize_email(email)
    except Invalid as error:
        items += error.items
    probe = Account(email=(email or "").strip().lower(), first_name=first_name,
                    last_name=last_name)
    try:
        validate_password(password, probe)
    except Invalid as error:
        items += error.items
    if terms_asked and accept_terms is not True:
        items.append(ErrorItem("required", _("Accept the terms to create your account."),
                               "accept_terms"))
    rank = {name: n for n, name in enumerate(FORM_ORDER)}
    return sorted(items, key=lambda item: rank.get(item.field or "", len(rank)))


@transaction.atomic
def account_sign_up(
    *, email: str, password: str, first_name: str, last_name: str, language: str = "en",
    address: str = "", publisher_names: Sequence[str] = (), return_to: str = "",
    terms: PolicyText | None = None, accept_terms: bool | None = None,
) -> Account:
    """Sign up from the public API without revealing whether the address has an account.

    `return_to`: the story page the reader signed up on; the verification page links back
    to it when it is on a registered site's origin (any other address is not linked).

    With an address that already has one, nothing is created: its owner is emailed
    instead, and the caller gets what a real sign-up returns (an unsaved account carrying a
    freshly used id), after the same checks, the same password hashing and one email sent.

    `terms`: the site policy the form showed; its acceptance is then required and recorded.
    """
    errors = signup_errors(email=email, password=password, first_name=first_name,
                           last_name=last_name, publisher_names=publisher_names,
                           terms_asked=terms is not None, accept_terms=accept_terms)
    if errors:
        raise Invalid.many(errors)
    ratelimit.guard("signup", account=normalize_email(email), address=address)
    return_to = safe_return(return_to)
    try:
        with transaction.atomic():
            account = account_create(email=email, password=password, first_name=first_name,
                                     last_name=last_name, language=language, address=address,
                                     publisher_names=publisher_names, return_to=return_to)
            if terms is not None:
                consent.terms_accept(account, terms)
            return account
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
        message = compose(subject=subject, text=body, to=[owner.email], brand=brand_of(None))
    transaction.on_commit(lambda: message.send(fail_silently=False))


def safe_return(url: str) -> str:
    """Return `url` if a reader may be sent back there (a page on a registered site's origin,
    or Townhall's own, at most 1,000 characters), else "": the sign-up's page and links read
    back from email alike, so nothing leads a reader elsewhere."""
    url = (url or "").strip()
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    if (not url or len(url) > 1000 or parts.scheme not in ("http", "https")
            or origin not in {*allowed_origins(), settings.PUBLIC_URL}):
        return ""
    return url


def send_token_email(account: Account, purpose: str, *, return_to: str = "") -> None:
    """Create a single-use token and email its link once the transaction commits.

    A verification link carries `return_to` (checked by the caller), so the page that opens
    can send the reader back to the story."""
    secret, digest = tokens.new_secret(purpose[:3])
    ttl = VERIFY_TTL if purpose == EmailToken.Purpose.VERIFY else RESET_TTL
    EmailToken.objects.create(
        account=account, purpose=purpose, digest=digest, expires_at=clock.now() + ttl
    )
    path = "verify" if purpose == EmailToken.Purpose.VERIFY else "reset-password"
    link = f"{settings.PUBLIC_URL}/accounts/{path}/?token={secret}"
    if return_to and purpose == EmailToken.Purpose.VERIFY:
        link += "&" + urlencode({"next": return_to})
    email_send_after_commit(account=account, template=purpose, context={
        "link": link, "hours": int(ttl.total_seconds() // 3600)},
        site=site_of_page(return_to) if return_to else None)


def email_send_after_commit(*, account: Account, template: str, context: dict[str, Any],
                            site: Site | None = None) -> None:
    """Email `account` the message `accounts/email/<template>.txt`, in its language and with
    the brand of `site` (the install's when None), once the transaction commits."""
    with translation.override(account.language):
        context = {"account": account, **context}
        subject = render_to_string(f"accounts/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"accounts/email/{template}.txt", context)
        message = compose(subject=subject, text=body, to=[account.email], brand=brand_of(site))
    transaction.on_commit(lambda: message.send(fail_silently=False))


def use_email_token(secret: str, purpose: str) -> EmailToken:
    token = (
        EmailToken.objects.select_for_update()
        .select_related("account")
        .filter(digest=tokens.digest(secret or ""), purpose=purpose, used_at__isnull=True,
                expires_at__gt=clock.now())
        .first()
    )
    if token is None:
        used = (EmailToken.objects.select_related("account")
                .filter(digest=tokens.digest(secret or ""), purpose=purpose,
                        used_at__isnull=False).first())
        if (used is not None and purpose == EmailToken.Purpose.VERIFY
                and used.account.email_verified):
            raise Conflict("already_verified", _(
                "This email address is already verified: you can sign in and comment."),
                "token")
        raise Invalid("token", "invalid_token", _("This link is invalid or has expired."))
    token.used_at = clock.now()
    token.save(update_fields=["used_at"])
    return token


@transaction.atomic
def account_verify_email(*, token: str) -> Account:
    """Mark the account behind a verification token as verified (single use)."""
    account = use_email_token(token, EmailToken.Purpose.VERIFY).account
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
    sites: list[Any] | None = None, actor: Account | None = None,
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
        if account.role != role:
            audit_record("staff.role", actor=actor, account=account,
                         changes={"role": [account.role, role]})
        account.role = role
        account.save(update_fields=["role"])
    if created:
        audit_record("staff.create", actor=actor, account=account, changes={"role": role})
    for site in sites or []:
        _role, made = SiteRole.objects.update_or_create(
            site=site, account=account, defaults={"kind": SiteRole.Kind.MODERATOR})
        if made:
            audit_record("staff.give", actor=actor, site=site, account=account,
                         changes={"kind": [None, SiteRole.Kind.MODERATOR]})
    return account, created
