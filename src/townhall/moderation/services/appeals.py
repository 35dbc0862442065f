"""Appeals of rejections: once per comment, in the window, decided by another moderator."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from townhall.accounts.audit import audit_record
from townhall.accounts.models import Account
from townhall.comments.models import Comment, Status
from townhall.core import clock, ratelimit
from townhall.core.errors import Conflict, Invalid, NotFound
from townhall.moderation.models import Appeal, AppealStatus, Decision, Source
from townhall.moderation.selectors import appeal_days_by_site, appeal_deadline
from townhall.moderation.services.decisions import (
    appeal_answer,
    appeal_check_decider,
    appeal_tell_author,
)
from townhall.moderation.transitions import comment_transition

# --- Appeals --------------------------------------------------------------------------


@transaction.atomic
def appeal_create(*, account: Account, comment: Comment, message: str) -> Appeal:
    """Appeal a rejection once, within the appeal window, with an optional message."""
    if comment.author_id != account.pk:
        raise NotFound(_("Unknown comment."), field="id")
    if comment.status != Status.REJECTED:
        raise Conflict("not_rejected", _("Only a rejected comment can be appealed."), "id")
    message = (message or "").strip()
    if len(message) > 2000:
        raise Invalid("message", "too_long", _("Use at most 2,000 characters."))
    last = (Decision.objects.filter(comment=comment, new_status=Status.REJECTED)
            .order_by("-created_at", "-id").first())
    days = appeal_days_by_site([comment.story.site_id])[comment.story.site_id]
    closes = appeal_deadline(last, days=days)
    if closes is not None and clock.now() > closes:
        raise Conflict("appeal_window_closed", _(
            "Decisions can be appealed for %(days)d days; this one can no longer be.")
            % {"days": days}, "id")
    ratelimit.hit("appeal-account", str(account.pk), limit=10, window=3600)
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                comment=comment, account=account, message=message,
                rejected_by=last.actor if last is not None else None,
            )
            audit_record("appeal.open", actor=account, site=comment.story.site,
                         account=account, story=comment.story, comment=comment,
                         changes={"message": message[:300]})
            return appeal
    except IntegrityError:
        raise Conflict("already_appealed", _("You can appeal a decision only once."),
                       "id") from None


APPEAL_OUTCOMES = ("uphold", "overturn")


@transaction.atomic
def appeal_decide(*, moderator: Account, appeal: Appeal, outcome: str, note: str = "") -> Appeal:
    """Decide an appeal (by a moderator other than the one who rejected); tell the author."""
    if outcome not in APPEAL_OUTCOMES:
        raise Invalid("outcome", "invalid_choice", _("Choose uphold or overturn."))
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status != AppealStatus.OPEN:
        raise Conflict("already_decided", _("This appeal has already been decided."), "id")
    appeal_check_decider(appeal, moderator)
    note = (note or "").strip()[:2000]
    comment = (Comment.objects.select_for_update().select_related("story__site", "author")
               .get(pk=appeal.comment_id))
    now = clock.now()
    target = comment.status
    if outcome == "overturn" and comment.status == Status.REJECTED:
        target = Status.PUBLISHED
        Comment.objects.filter(pk=comment.pk).update(reviewed_at=now, guideline="")
    rule = appeal_answer(appeal, moderator=moderator, overturned=outcome == "overturn",
                         note=note, now=now)
    comment_transition(comment, target, source=Source.MODERATOR, actor=moderator, rule=rule,
                       guideline=comment.guideline if outcome == "uphold" else "", note=note)
    appeal_tell_author(comment, appeal)
    return appeal
