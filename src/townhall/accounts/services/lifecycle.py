"""An account's life after sign-up: its name, its email address, deletion and erasure."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from townhall.accounts import signals
from townhall.accounts.audit import audit_record
from townhall.accounts.models import (
    Account,
    EmailToken,
    NameHistory,
    PendingName,
    Role,
    SessionToken,
    SsoIdentity,
)
from townhall.accounts.naming import name_change_request
from townhall.accounts.services.authentication import password_confirm
from townhall.accounts.services.signup import RESET_TTL, normalize_email, send_token_email
from townhall.core import clock, ratelimit
from townhall.core.errors import (
    Conflict,
    Invalid,
)
from townhall.core.mail import compose
from townhall.stories.brand import brand_of
from townhall.stories.models import Site, SiteRole
from townhall.stories.selectors import site_get

if TYPE_CHECKING:
    from collections.abc import Sequence

    from townhall.accounts.naming import NameChangeOutcome


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
        message = compose(subject=subject, text=body, to=[account.email], brand=brand_of(None))
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


@transaction.atomic
def site_role_give(*, account: Account, site: Site, kind: str,
                   actor: Account | None = None) -> SiteRole:
    """Make an account a moderator or staff member of a site (a reader becomes a moderator)."""
    if kind not in SiteRole.Kind.values:
        raise Invalid("kind", "invalid_choice", _("Choose moderator or site staff."))
    if kind == SiteRole.Kind.MODERATOR and account.role == Role.READER:
        account.role = Role.MODERATOR
        account.save(update_fields=["role"])
    before = SiteRole.objects.filter(site=site, account=account).first()
    role, _created = SiteRole.objects.update_or_create(site=site, account=account,
                                                       defaults={"kind": kind})
    if before is None or before.kind != kind:
        audit_record("staff.give", actor=actor, site=site, account=account,
                     changes={"kind": [before.kind if before else None, kind]})
    return role


def site_role_give_by_email(*, email: str, site_name: str, kind: str,
                            actor: Account | None = None) -> SiteRole:
    """Give a site role to the active account that uses an email address."""
    account = Account.objects.filter(email=normalize_email(email or ""), is_active=True).first()
    if account is None:
        raise Invalid("email", "unknown_account",
                      _("No account uses this email address; ask the person to sign up."))
    return site_role_give(account=account, site=site_get(site_name), kind=kind, actor=actor)


@transaction.atomic
def site_role_take(*, role_id: int, actor: Account | None = None) -> None:
    """Take a site role back (the account keeps its other roles)."""
    role = SiteRole.objects.select_related("site", "account").filter(pk=role_id).first()
    if role is None:
        return
    role.delete()
    audit_record("staff.take", actor=actor, site=role.site, account=role.account,
                 changes={"kind": [role.kind, None]})
