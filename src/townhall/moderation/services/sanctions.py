"""Moderators' actions on accounts: notes, warnings, suspensions, bans and their notices."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from townhall.accounts.audit import audit_record
from townhall.accounts.models import Account
from townhall.comments.models import Comment, Status
from townhall.core import clock
from townhall.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from townhall.moderation.access import can_moderate_site
from townhall.moderation.guidelines import DEFAULT_GUIDELINES
from townhall.moderation.models import AccountAction, ActionKind, Source
from townhall.moderation.selectors import guideline_codes
from townhall.moderation.services.decisions import email_after_commit
from townhall.moderation.statements import account_statement
from townhall.moderation.transitions import comment_transition
from townhall.stories.models import Site

# --- Account actions ------------------------------------------------------------------

NEEDS_MESSAGE = (ActionKind.NOTE, ActionKind.WARN)
NEEDS_GUIDELINE = (ActionKind.WARN, ActionKind.SUSPEND, ActionKind.BAN)


@transaction.atomic
def account_act(*, moderator: Account, account: Account, kind: str, site: Site | None,
                message: str = "", guideline: str = "", days: int | None = None,
                reject_comments: bool = False) -> AccountAction:
    """Note, warn, suspend, ban, always-review, trust or flag an account (site-scoped)."""
    if kind not in ActionKind.values:
        raise Invalid("kind", "invalid_choice", _("Choose one of: %(choices)s.")
                      % {"choices": ", ".join(ActionKind.values)})
    if site is None and not moderator.is_admin:
        raise PermissionDenied(_("Only administrators can act on every site at once."),
                               field="site")
    if site is not None and not can_moderate_site(moderator, site.pk):
        raise NotFound(_("Unknown site."), field="site")
    if account.pk == moderator.pk:
        raise Conflict("own_account", _("You cannot act on your own account."), "id")
    message = (message or "").strip()
    if kind in NEEDS_MESSAGE and not message:
        raise Invalid("message", "required", _("Write the message."))
    if len(message) > 2000:
        raise Invalid("message", "too_long", _("Use at most 2,000 characters."))
    if kind in NEEDS_GUIDELINE or guideline:
        codes = guideline_codes(site) if site is not None else [
            g["code"] for g in DEFAULT_GUIDELINES]
        if guideline not in codes:
            raise Invalid("guideline", "unknown_guideline", _("Name the guideline broken."))
    ends_at = None
    if kind == ActionKind.SUSPEND:
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 365:
            raise Invalid("days", "out_of_range", _("Suspend for 1 to 365 days."))
        ends_at = clock.now() + dt.timedelta(days=days)
    action = AccountAction.objects.create(
        account=account, site=site, kind=kind, guideline=guideline, message=message,
        ends_at=ends_at, actor=moderator,
    )
    if not account.has_account_actions:
        Account.objects.filter(pk=account.pk).update(has_account_actions=True)
        account.has_account_actions = True
    rejected = 0
    if kind == ActionKind.BAN and reject_comments:
        rejected = _reject_all(moderator=moderator, account=account, site=site,
                               guideline=guideline)
    audit_record("sanction.add", actor=moderator, site=site, account=account, changes={
        "kind": kind, "guideline": guideline, "ends_at": ends_at.isoformat() if ends_at else None,
        "comments_rejected": rejected})
    if kind in (ActionKind.SUSPEND, ActionKind.BAN) and account.is_active:
        # DSA art. 17: the statement of reasons, by email, in the account's language.
        email_after_commit(account, "account_restricted", {
            "action": action, "statement": account_statement(action, language=account.language),
            "story": None})
    return action


def _reject_all(*, moderator: Account, account: Account, site: Site | None,
                guideline: str) -> int:
    query = Comment.objects.select_for_update().select_related("story").filter(
        author=account, status__in=(Status.PUBLISHED, Status.PENDING))
    if site is not None:
        query = query.filter(story__site=site)
    count = 0
    now = clock.now()
    for comment in query:
        Comment.objects.filter(pk=comment.pk).update(guideline=guideline, reviewed_at=now,
                                                          featured_at=None)
        comment_transition(comment, Status.REJECTED, source=Source.MODERATOR, actor=moderator,
                           rule="ban", guideline=guideline, note=_("Author banned"))
        count += 1
    return count


@transaction.atomic
def account_action_lift(*, moderator: Account, action: AccountAction) -> AccountAction:
    """Lift a ban, suspension or mark (the row stays in the history)."""
    if action.site_id is None and not moderator.is_admin:
        raise PermissionDenied(_("Only administrators can lift this."))
    if action.site_id is not None and not can_moderate_site(moderator, action.site_id):
        raise NotFound(_("Unknown action."), field="id")
    if action.lifted_at is None:
        action.lifted_at, action.lifted_by = clock.now(), moderator
        action.save(update_fields=["lifted_at", "lifted_by"])
        audit_record("sanction.lift", actor=moderator, site=action.site,
                     account=action.account, changes={"kind": action.kind})
    return action


@transaction.atomic
def notice_acknowledge(*, account: Account, notice_id: int) -> None:
    """Mark a warning or sanction message as seen by its author."""
    updated = AccountAction.objects.filter(
        pk=notice_id, account=account, seen_at__isnull=True,
        kind__in=(ActionKind.WARN, ActionKind.SUSPEND, ActionKind.BAN),
    ).update(seen_at=clock.now())
    if not updated:
        raise NotFound(_("Unknown notice."), field="id")
