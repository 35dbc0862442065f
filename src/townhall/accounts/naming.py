"""The life of an account's real name: changes, approvals, doubts, confirmations, history.

The rules that say whether a name is a real name live in `accounts.names`; this module
decides *when* a name may change and keeps the record. Every event lands in `NameHistory`,
which moderators read. A doubtful name ("flagged") holds the account's next comments (see
`moderation/phases/real_names.py`) until its owner confirms or changes it.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from townhall.accounts import signals
from townhall.accounts.models import (
    Account,
    NameEvent,
    NameHistory,
    NameStatus,
    PendingName,
)
from townhall.accounts.names import NameRejected, check_name, suspicion_score
from townhall.core import clock, ratelimit
from townhall.core.errors import Conflict, ErrorItem, Invalid, NotFound, TownhallError
from townhall.stories.models import Site, Story
from townhall.stories.selectors import allowed_origins
from townhall.stories.services import stories_touch

if TYPE_CHECKING:
    from townhall.accounts.names import NameCheck

log = logging.getLogger(__name__)

# The phase (and decision rule) that holds comments of accounts whose name is in doubt.
NAME_PHASE = "real_names"
NAME_GUIDELINE = "real-names"


class NameChangeTooSoon(TownhallError):
    """A second name change inside the configured interval: 429 with Retry-After."""

    def __init__(self, next_allowed: dt.datetime) -> None:
        seconds = max(1, int((next_allowed - clock.now()).total_seconds()))
        when = formats.date_format(timezone.localtime(next_allowed), "DATE_FORMAT")
        super().__init__(
            [ErrorItem("name_changed_recently",
                       _("You changed your name recently. You can change it again on "
                         "%(date)s.") % {"date": when})],
            status=429,
            headers={"Retry-After": str(seconds)},
        )


@dataclass(frozen=True)
class NameChangeOutcome:
    account: Account
    pending: bool


def checked_name(first_name: str, last_name: str, *, publisher_names: Sequence[str] = (),
                 fields: tuple[str, str] = ("first_name", "last_name")) -> NameCheck:
    """Apply the real-name policy; raise Invalid naming the field and the rule.

    `fields` renames the two fields in the error (SSO tokens call them given and family name).
    """
    try:
        return check_name(first_name or "", last_name or "",
                          publisher_names=tuple(n for n in publisher_names if n))
    except NameRejected as error:
        field = {"first_name": fields[0], "last_name": fields[1]}.get(error.field, error.field)
        raise Invalid(field, error.code, error.message) from None


def publisher_names_for_origin(origin: str) -> tuple[str, ...]:
    """Return the names of the publisher whose pages send this Origin (none when unknown)."""
    origin = (origin or "").strip().rstrip("/")
    if not origin or origin not in allowed_origins():
        return ()
    names: list[str] = []
    for title, name, origins in Site.objects.values_list("title", "name", "origins"):
        if origin in (origins or []):
            names.extend([title, name])
    return tuple(dict.fromkeys(n for n in names if n))


def publisher_names_for_site(site: object) -> tuple[str, ...]:
    """Return a site's own names (its title and slug), which no reader may take."""
    names = [getattr(site, "title", ""), getattr(site, "name", "")]
    return tuple(dict.fromkeys(n for n in names if n))


def _letters(text: str) -> str:
    """Return the text without case, accents or spacing, to spot mere corrections."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum())


def is_correction(account: Account, first_name: str, last_name: str) -> bool:
    """Tell whether a new name only fixes case or accents of the current one."""
    return (_letters(first_name), _letters(last_name)) == (
        _letters(account.first_name), _letters(account.last_name))


def history_record(*, account: Account, event: str, actor: Account | None = None,
                   note: str = "", first_name: str | None = None,
                   last_name: str | None = None) -> NameHistory:
    """Append one event to the account's name history (the account's name unless given)."""
    return NameHistory.objects.create(
        account=account,
        first_name=account.first_name if first_name is None else first_name,
        last_name=account.last_name if last_name is None else last_name,
        event=event, actor=actor, note=note[:300],
    )


def _apply_name(account: Account, check: NameCheck, *, event: str,
                actor: Account | None = None, note: str = "") -> None:
    account.first_name, account.last_name = check.first_name, check.last_name
    account.save(update_fields=["first_name", "last_name"])
    history_record(account=account, event=event, actor=actor, note=note)
    # Cached thread pages show the author's name: renew every thread they wrote in.
    stories_touch(stories=Story.objects.filter(comments__author=account))


def next_change_allowed(account: Account) -> dt.datetime | None:
    """Return when the account may next change its own name, or None if it may now."""
    days = settings.TOWNHALL_NAME_CHANGE_DAYS
    if days <= 0:
        return None
    last = (
        NameHistory.objects.filter(account=account,
                                   event__in=(NameEvent.CHANGE, NameEvent.REQUESTED))
        .order_by("-created_at").values_list("created_at", flat=True).first()
    )
    if last is None:
        return None
    allowed = last + dt.timedelta(days=days)
    return allowed if allowed > clock.now() else None


def _has_published_comments(account: Account) -> bool:
    # Through the relation comments add to accounts: the accounts layer names no comment code.
    return account.comments.filter(status="published").exists()


@transaction.atomic
def name_change_request(*, account: Account, first_name: str, last_name: str,
                        publisher_names: Sequence[str] = ()) -> NameChangeOutcome:
    """Change the account's own name, or ask a moderator when the account has spoken in public.

    The policy applies first; then the interval between changes (waived for an account that a
    moderator asked to change its name, and for fixes of case or accents).
    """
    account = Account.objects.select_for_update().get(pk=account.pk)
    ratelimit.hit("name-change", str(account.pk), limit=20, window=3600)
    check = checked_name(first_name, last_name, publisher_names=publisher_names)
    pending = PendingName.objects.filter(account=account).first()
    if (check.first_name, check.last_name) == (account.first_name, account.last_name):
        if pending is not None:
            pending.delete()
            history_record(account=account, event=NameEvent.WITHDRAWN,
                           first_name=pending.first_name, last_name=pending.last_name)
        return NameChangeOutcome(account, pending=False)
    if pending is not None and (pending.first_name, pending.last_name) == (
            check.first_name, check.last_name):
        return NameChangeOutcome(account, pending=True)
    correction = is_correction(account, check.first_name, check.last_name)
    flagged = account.name_status == NameStatus.FLAGGED
    if not (correction or flagged) and (when := next_change_allowed(account)) is not None:
        raise NameChangeTooSoon(when)
    needs_approval = (settings.TOWNHALL_NAME_CHANGE_APPROVAL and not correction
                      and _has_published_comments(account))
    if not needs_approval:
        if pending is not None:
            pending.delete()
        _apply_name(account, check, event=NameEvent.CHANGE,
                    note=_("correction of case or accents") if correction else "")
        if flagged and not correction:
            _set_status(account, NameStatus.OK)
            signals.name_trusted.send(sender=Account, account=account)
        return NameChangeOutcome(account, pending=False)
    if pending is None:
        pending = PendingName(account=account)
    pending.first_name, pending.last_name = check.first_name, check.last_name
    pending.requested_at = clock.now()
    pending.save()
    history_record(account=account, event=NameEvent.REQUESTED,
                   first_name=check.first_name, last_name=check.last_name)
    return NameChangeOutcome(account, pending=True)


@transaction.atomic
def name_change_withdraw(*, account: Account) -> None:
    """Withdraw the account's own name change that waits for approval."""
    pending = PendingName.objects.select_for_update().filter(account=account).first()
    if pending is None:
        raise NotFound(_("No name change is waiting for approval."), code="no_pending_name")
    pending.delete()
    history_record(account=account, event=NameEvent.WITHDRAWN,
                   first_name=pending.first_name, last_name=pending.last_name)


def _pending_of(account: Account) -> PendingName:
    pending = PendingName.objects.select_for_update().filter(account=account).first()
    if pending is None:
        raise NotFound(_("No name change is waiting for approval."), code="no_pending_name")
    return pending


@transaction.atomic
def name_change_approve(*, moderator: Account, account: Account) -> Account:
    """Give the account the name it asked for (checked again: the word lists may have grown)."""
    account = Account.objects.select_for_update().get(pk=account.pk)
    pending = _pending_of(account)
    check = checked_name(pending.first_name, pending.last_name)
    pending.delete()
    _apply_name(account, check, event=NameEvent.CHANGE, actor=moderator,
                note=_("approved by a moderator"))
    if account.name_status == NameStatus.FLAGGED:
        _set_status(account, NameStatus.OK)
        signals.name_trusted.send(sender=Account, account=account)
    return account


@transaction.atomic
def name_change_decline(*, moderator: Account, account: Account, note: str = "") -> Account:
    """Refuse a requested name; the account keeps its name."""
    account = Account.objects.select_for_update().get(pk=account.pk)
    pending = _pending_of(account)
    pending.delete()
    history_record(account=account, event=NameEvent.DECLINED, actor=moderator, note=note,
                   first_name=pending.first_name, last_name=pending.last_name)
    return account


@transaction.atomic
def name_set_by_moderator(*, moderator: Account, account: Account, first_name: str,
                          last_name: str, note: str = "") -> Account:
    """Set an account's name for it (e.g. after it wrote to the newsroom); clears any doubt."""
    account = Account.objects.select_for_update().get(pk=account.pk)
    check = checked_name(first_name, last_name)
    PendingName.objects.filter(account=account).delete()
    _apply_name(account, check, event=NameEvent.MODERATOR, actor=moderator, note=note)
    if account.name_status == NameStatus.FLAGGED:
        _set_status(account, NameStatus.OK)
        signals.name_trusted.send(sender=Account, account=account)
    return account


@transaction.atomic
def name_set_by_publisher(*, account: Account, check: NameCheck, site_name: str) -> bool:
    """Take the name a publisher's sign-in vouches for; return whether it changed."""
    if (check.first_name, check.last_name) == (account.first_name, account.last_name):
        return False
    _apply_name(account, check, event=NameEvent.SSO,
                note=_("from %(site)s") % {"site": site_name})
    return True


def _set_status(account: Account, status: str) -> None:
    account.name_status = status
    account.save(update_fields=["name_status"])


@transaction.atomic
def name_flag(*, account: Account, actor: Account | None = None, note: str = "") -> Account:
    """Doubt the account's name: its next comments wait until it confirms or changes it."""
    account = Account.objects.select_for_update().get(pk=account.pk)
    if account.name_status == NameStatus.FLAGGED:
        raise Conflict("name_already_flagged", _("This name is already waiting for its owner."))
    _set_status(account, NameStatus.FLAGGED)
    history_record(account=account, event=NameEvent.FLAGGED, actor=actor, note=note)
    return account


def name_flag_if_suspicious(account: Account) -> bool:
    """Flag a new account whose name looks like a pseudonym though the policy let it pass."""
    try:
        score = float(suspicion_score(account.first_name, account.last_name))
    except Exception:  # a scoring failure must not block sign-up
        log.exception("name suspicion score failed for account %s", account.pk)
        return False
    if score < settings.TOWNHALL_NAME_SUSPICION_THRESHOLD:
        return False
    _set_status(account, NameStatus.FLAGGED)
    history_record(account=account, event=NameEvent.FLAGGED,
                   note=_("automatic: suspicion %(score).2f") % {"score": score})
    return True


@transaction.atomic
def name_confirm(*, account: Account) -> Account:
    """Let the account's owner vouch for the doubted name; held comments are looked at again."""
    account = Account.objects.select_for_update().get(pk=account.pk)
    if account.name_status != NameStatus.FLAGGED:
        raise Conflict("name_not_flagged", _("Your name does not need confirming."))
    _set_status(account, NameStatus.CONFIRMED)
    history_record(account=account, event=NameEvent.CONFIRMED, actor=account)
    signals.name_trusted.send(sender=Account, account=account)
    return account


@transaction.atomic
def name_flag_clear(*, moderator: Account, account: Account, note: str = "") -> Account:
    """Withdraw a moderator's doubt about a name; held comments are looked at again."""
    account = Account.objects.select_for_update().get(pk=account.pk)
    if account.name_status != NameStatus.FLAGGED:
        raise Conflict("name_not_flagged", _("This name is not flagged."))
    _set_status(account, NameStatus.OK)
    history_record(account=account, event=NameEvent.CLEARED, actor=moderator, note=note)
    signals.name_trusted.send(sender=Account, account=account)
    return account


# Reads ------------------------------------------------------------------------------------


def name_history_of(account: Account) -> list[NameHistory]:
    """Return the account's name events, oldest first, with who acted."""
    return list(NameHistory.objects.filter(account=account).select_related("actor"))


def pending_name_of(account: Account) -> dict[str, object] | None:
    """Return the account's name change that waits for approval, as shown to its owner."""
    pending = PendingName.objects.filter(account=account).first()
    if pending is None:
        return None
    return {"first_name": pending.first_name, "last_name": pending.last_name,
            "display_name": pending.display_name, "requested_at": pending.requested_at}
