"""Readers' reports: one per reader and comment; enough of them hold the comment."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from townhall.accounts.models import Account
from townhall.comments.models import Comment, Status
from townhall.core import clock, ratelimit
from townhall.core.errors import Conflict, Invalid, NotFound
from townhall.moderation import signals
from townhall.moderation.models import AccountAction, ActionKind, Report, Source
from townhall.moderation.selectors import guideline_codes, site_settings
from townhall.moderation.transitions import comment_transition

# --- Reports --------------------------------------------------------------------------


@transaction.atomic
def report_create(*, account: Account, comment: Comment, reason: str, text: str = "") -> Report:
    """Report a published comment once; enough reports in good standing hold it."""
    if comment.status != Status.PUBLISHED:
        raise NotFound(_("Unknown comment."), field="id")
    if comment.author_id == account.pk:
        raise Conflict("own_comment", _("You cannot report your own comment."), "id")
    site = comment.story.site
    text = (text or "").strip()
    if reason != "other" and reason not in guideline_codes(site):
        raise Invalid("reason", "invalid_choice",
                      _("Choose one of the site's guidelines, or other."))
    if reason == "other" and not text:
        raise Invalid("text", "required", _("Say what is wrong with this comment."))
    if len(text) > 500:
        raise Invalid("text", "too_long", _("Use at most 500 characters."))
    ratelimit.guard("report", account=account.pk, story=comment.story_id, site=site)
    try:
        with transaction.atomic():
            report = Report.objects.create(comment=comment, account=account, reason=reason,
                                           text=text)
    except IntegrityError:
        raise Conflict("already_reported", _("You have already reported this comment."),
                       "id") from None
    Comment.objects.filter(pk=comment.pk).update(report_count=F("report_count") + 1)
    comment = Comment.objects.select_for_update().select_related("story__site").get(
        pk=comment.pk)
    signals.comment_reported.send(sender=Comment, comment=comment, report=report)
    reasons = _good_standing_reasons(comment)
    threshold = site_settings(site).report_threshold
    if comment.status == Status.PUBLISHED and len(reasons) >= threshold:
        codes = [r for r in reasons if r != "other"]
        guideline = max(set(codes), key=codes.count) if codes else ""
        Comment.objects.filter(pk=comment.pk).update(guideline=guideline)
        comment.guideline = guideline
        comment_transition(comment, Status.PENDING, source=Source.RULE, rule="reader_reports",
                           guideline=guideline, note=f"{len(reasons)} reports")
    return report


def _good_standing_reasons(comment: Comment) -> list[str]:
    """Return the reasons of open reports by verified accounts without sanctions."""
    from django.db.models import Q

    now = clock.now()
    sanctioned = AccountAction.objects.filter(
        kind__in=(ActionKind.BAN, ActionKind.SUSPEND), lifted_at__isnull=True,
    ).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now)).filter(
        Q(site__isnull=True) | Q(site_id=comment.story.site_id)
    ).values("account_id")
    return list(
        Report.objects.filter(comment=comment, resolved_at__isnull=True,
                              account__is_active=True, account__email_verified_at__isnull=False)
        .exclude(account_id__in=sanctioned).values_list("reason", flat=True)
    )
