"""Moderators' decisions on comments: approve, reject, feature, one at a time or in bulk."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from townhall.accounts.models import Account
from townhall.comments.models import Comment, Status
from townhall.core import clock
from townhall.core.errors import Conflict, Invalid, PermissionDenied
from townhall.moderation.guidelines import localized
from townhall.moderation.models import Appeal, AppealStatus, Report, Source
from townhall.moderation.selectors import guideline_codes, guidelines_current, site_settings
from townhall.moderation.transitions import comment_transition
from townhall.stories.models import Site
from townhall.stories.services import story_touch

log = logging.getLogger(__name__)


# --- Decisions on comments -------------------------------------------------------------

COMMENT_ACTIONS = ("approve", "reject", "feature", "unfeature")


def email_after_commit(account: Account, template: str, context: dict[str, Any]) -> None:
    with translation.override(account.language if account.language in ("en", "fr") else "en"):
        subject = render_to_string(f"moderation/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"moderation/email/{template}.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[account.email])

    def send() -> None:
        try:
            message.send()
        except Exception:  # a mail outage must not undo or fail the moderator's decision
            log.exception("could not email %s about a moderation decision", account.pk)

    transaction.on_commit(send)


def _guideline_title(site: Site, code: str, language: str) -> str:
    for item in guidelines_current(site).items:
        if item["code"] == code:
            return localized(item, language)["title"]
    return code


def _tell_author_rejected(comment: Comment, guideline: str, note: str) -> None:

    site = comment.story.site
    if not site_settings(site).email_authors or not comment.author.is_active:
        return
    language = comment.author.language
    email_after_commit(comment.author, "rejected", {
        "comment": comment, "story": comment.story, "note": note, "guideline": guideline,
        "guideline_title": _guideline_title(site, guideline, language),
        "link": f"{settings.PUBLIC_URL}/guidelines/{site.name}/?lang={language}",
    })


def _resolve_reports(comment: Comment) -> None:
    Report.objects.filter(comment=comment, resolved_at__isnull=True).update(resolved_at=clock.now())
    Comment.objects.filter(pk=comment.pk).update(report_count=0)
    comment.report_count = 0


@transaction.atomic
def comment_moderate(*, moderator: Account, comment: Comment, action: str,
                     guideline: str = "", note: str = "") -> Comment:
    """Approve, reject (naming a guideline), feature or unfeature a comment; log it."""
    if action not in COMMENT_ACTIONS:
        raise Invalid("action", "invalid_choice", _("Choose one of: %(choices)s.")
                      % {"choices": ", ".join(COMMENT_ACTIONS)})
    note = (note or "").strip()
    if len(note) > 2000:
        raise Invalid("note", "too_long", _("Use at most 2,000 characters."))
    comment = (Comment.objects.select_for_update().select_related("story__site", "author")
               .get(pk=comment.pk))
    if comment.status == Status.DELETED:
        raise Conflict("deleted", _("The author removed this comment."), "id")
    now = clock.now()
    old = comment.status
    appeal = Appeal.objects.filter(comment=comment, status=AppealStatus.OPEN).first()
    if (appeal is not None and action in ("approve", "reject")
            and appeal.rejected_by_id == moderator.pk):
        raise PermissionDenied(_("Another moderator must decide an appeal of your decision."),
                               code="same_moderator")
    if action == "reject":
        if guideline not in guideline_codes(comment.story.site):
            raise Invalid("guideline", "unknown_guideline",
                          _("Name the guideline this comment breaks."))
        target: str = Status.REJECTED
        comment.guideline, comment.featured_at = guideline, None
    elif action == "approve":
        target = Status.PUBLISHED
    else:
        target = comment.status
        if comment.status != Status.PUBLISHED:
            raise Conflict("not_published", _("Only published comments can be featured."), "id")
        comment.featured_at = now if action == "feature" else None
        story_touch(story=comment.story)
    if action in ("approve", "reject"):
        _resolve_reports(comment)
        comment.reviewed_at = now
        Appeal.objects.filter(comment=comment, status=AppealStatus.OPEN).update(
            status=AppealStatus.OVERTURNED if action == "approve" else AppealStatus.UPHELD,
            decided_by=moderator, decided_at=now, note=note,
        )
    Comment.objects.filter(pk=comment.pk).update(
        reviewed_at=comment.reviewed_at, featured_at=comment.featured_at,
        guideline=comment.guideline,
    )
    comment_transition(comment, target, source=Source.MODERATOR, actor=moderator, rule=action,
                       guideline=guideline if action == "reject" else "", note=note)
    if action == "reject" and old != Status.REJECTED:
        _tell_author_rejected(comment, guideline, note)
    return comment


@transaction.atomic
def comments_moderate_bulk(*, moderator: Account, comments: list[Comment], action: str,
                           guideline: str = "", note: str = "") -> int:
    """Approve or reject many comments at once (all or none)."""
    if action not in ("approve", "reject"):
        raise Invalid("action", "invalid_choice", _("Choose approve or reject."))
    for comment in comments:
        comment_moderate(moderator=moderator, comment=comment, action=action,
                         guideline=guideline, note=note)
    return len(comments)
