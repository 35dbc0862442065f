"""Misuse (DSA art. 23): warnings, then suspensions for a set time, of authors whose
comments are removed as manifestly illegal and of notifiers whose notices are manifestly
unfounded, each with a statement of reasons.

Counts are read from the notices' own decisions over the past year, so a warning or a
suspension always matches the record; authors' sanctions are ordinary account actions
(`sanctions.account_act`: the widget shows them, moderators can lift them); a notifier's
suspension is the refusal of their notices until it ends.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import formats, translation
from django.utils.translation import gettext as _

from townhall.accounts.audit import audit_record
from townhall.accounts.models import Account
from townhall.core import clock
from townhall.core.errors import PermissionDenied
from townhall.moderation.models import AccountAction, ActionKind, Notice, NoticeOutcome
from townhall.moderation.services.sanctions import account_act

YEAR = dt.timedelta(days=365)


def _days() -> int:
    return settings.TOWNHALL_MISUSE_SUSPEND_DAYS


def _unfounded(*, email: str, account_id: int | None) -> Any:
    who = Q(email=email) if email else Q()
    if account_id is not None:
        who = who | Q(account_id=account_id) if email else Q(account_id=account_id)
    return Notice.objects.filter(who, manifestly_unfounded=True,
                                 decided_at__gte=clock.now() - YEAR)


def notifier_suspended_until(*, email: str, account: Account | None) -> dt.datetime | None:
    """Return until when a notifier's notices are refused (None when they are not)."""
    if not email and account is None:
        return None
    decided = list(_unfounded(email=email.lower(), account_id=account.pk if account else None)
                   .order_by("-decided_at").values_list("decided_at", flat=True)
                   [:settings.TOWNHALL_MISUSE_SUSPEND_AFTER])
    if len(decided) < settings.TOWNHALL_MISUSE_SUSPEND_AFTER or decided[0] is None:
        return None
    until: dt.datetime = decided[0] + dt.timedelta(days=_days())
    return until if until > clock.now() else None


def notifier_check(*, email: str, account: Account | None) -> None:
    """Refuse a notice from a suspended notifier (403 `notices_suspended`)."""
    until = notifier_suspended_until(email=email, account=account)
    if until is not None:
        raise PermissionDenied(_(
            "Your notices are suspended until %(date)s: several of them were manifestly "
            "unfounded (art. 23 of the Digital Services Act).")
            % {"date": formats.date_format(until, "DATE_FORMAT")}, code="notices_suspended")


def notifier_misuse(*, notice: Notice, moderator: Account) -> dict[str, Any]:
    """Count a manifestly unfounded notice against its notifier: return what the decision
    email adds (`misuse`: "warned" or "suspended", and `suspended_until`)."""
    if not notice.manifestly_unfounded or not (notice.email or notice.account_id):
        return {}
    count = _unfounded(email=notice.email, account_id=notice.account_id).count()
    if count >= settings.TOWNHALL_MISUSE_SUSPEND_AFTER:
        until = clock.now() + dt.timedelta(days=_days())
        audit_record("misuse.suspend", actor=moderator, site=notice.site, changes={
            "reference": notice.reference, "who": "notifier", "count": count,
            "until": until.isoformat()})
        return {"misuse": "suspended", "suspended_until": until, "count": count}
    if count >= settings.TOWNHALL_MISUSE_WARN_AFTER:
        audit_record("misuse.warn", actor=moderator, site=notice.site, changes={
            "reference": notice.reference, "who": "notifier", "count": count})
        return {"misuse": "warned", "count": count}
    return {}


def _author_statement(kind: str, *, count: int, until: dt.datetime | None,
                      language: str) -> str:
    with translation.override(language if language in ("en", "fr") else "en"):
        facts = _("%(count)d of your comments were removed in the past year as manifestly "
                  "illegal content, after notices that a moderator reviewed (art. 23 of the "
                  "Digital Services Act).") % {"count": count}
        if kind == ActionKind.WARN:
            then = _("If it happens again, your account will be suspended for %(days)d days.") \
                % {"days": _days()}
        else:
            then = _("Your account is suspended on this site until %(date)s: you cannot post "
                     "or react until then.") % {
                "date": formats.date_format(until, "DATE_FORMAT") if until else ""}
        redress = _("This decision was taken by a person. You may contest it by replying to "
                    "the email, before a certified out-of-court dispute settlement body, or "
                    "in the courts.")
        return f"{facts} {then} {redress}"


def author_misuse(*, notice: Notice, moderator: Account) -> AccountAction | None:
    """Count a removal of manifestly illegal content against its author: warn, then
    suspend for TOWNHALL_MISUSE_SUSPEND_DAYS, with the statement as the action's message."""
    comment = notice.comment
    if (not notice.manifestly_illegal or comment is None
            or comment.author_id == moderator.pk):
        return None
    author = comment.author
    count = Notice.objects.filter(comment__author=author, outcome=NoticeOutcome.RESTRICTED,
                                  manifestly_illegal=True,
                                  decided_at__gte=clock.now() - YEAR).count()
    if count >= settings.TOWNHALL_MISUSE_SUSPEND_AFTER:
        kind: str = ActionKind.SUSPEND
    elif count >= settings.TOWNHALL_MISUSE_WARN_AFTER:
        kind = ActionKind.WARN
    else:
        return None
    until = clock.now() + dt.timedelta(days=_days()) if kind == ActionKind.SUSPEND else None
    message = _author_statement(kind, count=count, until=until, language=author.language)
    action = account_act(moderator=moderator, account=author, kind=kind, site=notice.site,
                         message=message, guideline=comment.guideline or "unlawful",
                         days=_days() if kind == ActionKind.SUSPEND else None)
    audit_record("misuse.suspend" if kind == ActionKind.SUSPEND else "misuse.warn",
                 actor=moderator, site=notice.site, account=author,
                 changes={"reference": notice.reference, "who": "author", "count": count})
    return action
