"""Moderators' decisions on comments: approve, reject, feature, one at a time or in bulk,
and their undo."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from townhall.accounts.models import Account
from townhall.comments.models import Comment, Status
from townhall.core import clock
from townhall.core.errors import Conflict, Invalid, PermissionDenied
from townhall.core.mail import compose
from townhall.moderation.guidelines import localized
from townhall.moderation.models import Appeal, AppealStatus, Decision, Report, Source
from townhall.moderation.selectors import (
    guideline_codes,
    guidelines_current,
    is_undoable,
    latest_decision,
    site_settings,
)
from townhall.moderation.statements import statement_for_decision
from townhall.moderation.transitions import comment_transition
from townhall.stories.brand import brand_of
from townhall.stories.models import Site
from townhall.stories.services import story_touch

log = logging.getLogger(__name__)


# --- Decisions on comments -------------------------------------------------------------

COMMENT_ACTIONS = ("approve", "reject", "feature", "unfeature")


def email_after_commit(account: Account, template: str, context: dict[str, Any]) -> None:
    """Email an account from `moderation/email/{template}` in its language, after commit."""
    story = context.get("story")
    email_address_after_commit(address=account.email, language=account.language,
                               template=template, context=context,
                               site=story.site if story is not None else None)


def email_address_after_commit(*, address: str, language: str, template: str,
                               context: dict[str, Any], site: Site | None) -> None:
    """Email any address (a notifier without an account too) in `language`, after commit."""
    with translation.override(language if language in ("en", "fr") else "en"):
        context = {**context, "my_comments": f"{settings.PUBLIC_URL}/accounts/comments/"}
        subject = render_to_string(f"moderation/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"moderation/email/{template}.txt", context)
        message = compose(subject=subject, text=body, to=[address], brand=brand_of(site))

    def send() -> None:
        try:
            message.send()
        except Exception:  # a mail outage must not undo or fail the moderator's decision
            log.exception("could not send the %s email of a moderation decision", template)

    transaction.on_commit(send)


def _guideline_title(site: Site, code: str, language: str) -> str:
    for item in guidelines_current(site).items:
        if item["code"] == code:
            return localized(item, language)["title"]
    return code


def undo_window() -> dt.timedelta:
    """How long a decision can be undone from its toast (the author hears of it after)."""
    return dt.timedelta(seconds=int(getattr(settings, "TOWNHALL_UNDO_SECONDS", 10)))


def rejection_email(decision: Decision) -> None:
    """Email the author why a moderator rejected their comment (after commit), when the site
    emails authors. `notify` calls it once the decision's undo window has passed."""
    comment, site = decision.comment, decision.comment.story.site
    if not site_settings(site).email_authors or not comment.author.is_active:
        return
    language = comment.author.language
    email_after_commit(comment.author, "rejected", {
        "comment": comment, "story": comment.story, "note": decision.note,
        "guideline": decision.guideline,
        "guideline_title": _guideline_title(site, decision.guideline, language),
        "link": f"{settings.PUBLIC_URL}/guidelines/{site.name}/?lang={language}",
        "statement": statement_for_decision(decision, language=language),
    })


_ALREADY = {
    "approve": gettext_lazy("%(name)s has already approved this comment."),
    "reject": gettext_lazy("%(name)s has already rejected this comment."),
    "feature": gettext_lazy("%(name)s has already featured this comment."),
    "unfeature": gettext_lazy("%(name)s has already removed this comment's feature."),
    "undo": gettext_lazy("%(name)s has already undone a decision on this comment."),
}


def _check_seen(comment: Comment, moderator: Account, seen: int | None) -> None:
    """Refuse to overwrite, unseen, what another moderator decided since the card was shown."""
    if seen is None:
        return
    latest = latest_decision(comment)
    if (latest is None or latest.pk == seen or latest.source != Source.MODERATOR
            or latest.actor_id in (None, moderator.pk)):
        return
    assert latest.actor is not None
    message = _ALREADY.get(latest.rule,
                           gettext_lazy("%(name)s has already decided on this comment."))
    raise Conflict("already_decided", str(message) % {"name": latest.actor.display_name}, "id")


def _moment(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse_moment(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def comment_moderate(*, moderator: Account, comment: Comment, action: str,
                     guideline: str = "", note: str = "") -> Comment:
    """Approve, reject (naming a guideline), feature or unfeature a comment; log it."""
    decision = comment_decide(moderator=moderator, comment=comment, action=action,
                              guideline=guideline, note=note)
    return decision.comment


@transaction.atomic
def comment_decide(*, moderator: Account, comment: Comment, action: str,
                   guideline: str = "", note: str = "", seen: int | None = None) -> Decision:
    """Decide on a comment and return the logged decision (which `decision_undo` reverses).

    `seen` is the id of the newest decision the moderator's card showed: when another
    moderator has decided since, the answer is 409 `already_decided` naming them.
    """
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
    _check_seen(comment, moderator, seen)
    now = clock.now()
    appeal = Appeal.objects.filter(comment=comment, status=AppealStatus.OPEN).first()
    if appeal is not None and action in ("approve", "reject"):
        appeal_check_decider(appeal, moderator)
    before: dict[str, Any] = {"guideline": comment.guideline,
                              "featured_at": _moment(comment.featured_at),
                              "reviewed_at": _moment(comment.reviewed_at)}
    fields: dict[str, Any] = {}
    if action == "reject":
        if guideline not in guideline_codes(comment.story.site):
            raise Invalid("guideline", "unknown_guideline",
                          _("Name the guideline this comment breaks."))
        target: str = Status.REJECTED
        fields.update(guideline=guideline, featured_at=None)
    elif action == "approve":
        target = Status.PUBLISHED
    else:
        target = comment.status
        if comment.status != Status.PUBLISHED:
            raise Conflict("not_published", _("Only published comments can be featured."), "id")
        fields["featured_at"] = now if action == "feature" else None
    if comment.featured_at != fields.get("featured_at", comment.featured_at):
        story_touch(story=comment.story)
    if action in ("approve", "reject"):
        reports = Report.objects.filter(comment=comment, resolved_at__isnull=True)
        before.update(reports=list(reports.values_list("pk", flat=True)),
                      report_count=comment.report_count)
        reports.update(resolved_at=now)
        fields.update(reviewed_at=now, report_count=0)
    rule = action
    if appeal is not None and action in ("approve", "reject"):
        # Approving or rejecting an appealed comment from its card decides the appeal: it
        # is logged, told and emailed to the author as an appeal answer, as `appeal_decide`.
        before["appeal"] = appeal.pk
        rule = appeal_answer(appeal, moderator=moderator, overturned=action == "approve",
                             note=note, now=now)
    decision = comment_transition(
        comment, target, source=Source.MODERATOR, actor=moderator, rule=rule,
        guideline=guideline if action == "reject" else "", note=note, fields=fields,
        before=before)
    if appeal is not None and rule != action:
        appeal_tell_author(comment, appeal)
    return decision


def appeal_check_decider(appeal: Appeal, moderator: Account) -> None:
    """Refuse a moderator who would decide the appeal of their own rejection."""
    if appeal.rejected_by_id == moderator.pk:
        raise PermissionDenied(_("Another moderator must decide an appeal of your decision."),
                               code="same_moderator")


def appeal_answer(appeal: Appeal, *, moderator: Account, overturned: bool, note: str,
                  now: dt.datetime) -> str:
    """Close an open appeal as `moderator` decided it; return the rule that logs it."""
    appeal.status = AppealStatus.OVERTURNED if overturned else AppealStatus.UPHELD
    appeal.decided_by, appeal.decided_at, appeal.note = moderator, now, note
    appeal.save(update_fields=["status", "decided_by", "decided_at", "note"])
    return f"appeal_{appeal.status}"


def appeal_tell_author(comment: Comment, appeal: Appeal) -> None:
    """Email the author the answer to their appeal (after commit), if they still have an
    account."""
    if comment.author.is_active:
        email_after_commit(comment.author, "appeal", {"comment": comment, "appeal": appeal,
                                                       "story": comment.story})


@transaction.atomic
def decision_undo(*, moderator: Account, decision: Decision) -> Decision:
    """Reverse a moderator's decision and log the undo, itself a decision.

    Only the comment's newest decision standing can be undone (409 `superseded` when a later
    one stands; undoing that first makes this one the newest again): the status
    goes back, with the guideline, feature and review time it had, and the reports and
    appeal the decision closed are open again. An author not yet told is never told.
    """
    comment = (Comment.objects.select_for_update().select_related("story__site", "author")
               .get(pk=decision.comment_id))
    if not is_undoable(decision):
        raise Conflict("not_undoable", _("Only a moderator's decision can be undone."), "id")
    if Decision.objects.filter(undoes=decision).exists():
        raise Conflict("already_undone", _("This decision has already been undone."), "id")
    later = Decision.objects.filter(comment=comment, pk__gt=decision.pk).exclude(rule="undo")
    if later.filter(undone_by__isnull=True).exists():
        raise Conflict("superseded", _("A later decision changed this comment: undo that one "
                                       "first, or decide again."), "id")
    if comment.status == Status.DELETED:
        raise Conflict("deleted", _("The author removed this comment."), "id")
    before = decision.before
    fields: dict[str, Any] = {"guideline": before.get("guideline", ""),
                              "featured_at": _parse_moment(before.get("featured_at")),
                              "reviewed_at": _parse_moment(before.get("reviewed_at"))}
    if comment.featured_at != fields["featured_at"]:
        story_touch(story=comment.story)
    if "report_count" in before:
        Report.objects.filter(pk__in=before.get("reports", [])).update(resolved_at=None)
        fields["report_count"] = before["report_count"]
    if before.get("appeal"):
        Appeal.objects.filter(pk=before["appeal"]).update(
            status=AppealStatus.OPEN, decided_by=None, decided_at=None, note="")
    return comment_transition(
        comment, decision.old_status, source=Source.MODERATOR, actor=moderator, rule="undo",
        guideline=before.get("guideline", "") if decision.old_status == Status.REJECTED else "",
        fields=fields, undoes=decision)


@transaction.atomic
def decisions_undo(*, moderator: Account, decisions: list[Decision]) -> list[Decision]:
    """Undo several decisions at once (all or none), as a bulk decision's toast offers."""
    return [decision_undo(moderator=moderator, decision=d) for d in decisions]


@transaction.atomic
def comments_decide_bulk(*, moderator: Account, comments: list[Comment], action: str,
                         guideline: str = "", note: str = "") -> list[Decision]:
    """Approve or reject many comments at once (all or none); return the decisions."""
    if action not in ("approve", "reject"):
        raise Invalid("action", "invalid_choice", _("Choose approve or reject."))
    return [comment_decide(moderator=moderator, comment=comment, action=action,
                           guideline=guideline, note=note) for comment in comments]
