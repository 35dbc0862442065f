"""What other apps' changes set off here: follows, notifications, webhook events, counters.

Every receiver hears a domain signal (`moderation.signals`, `stories.signals`) inside the
changing transaction, so the jobs it queues commit with the change; counters move after the
commit. Connected in `apps.py`.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from townhall.comments.models import Comment, Status
from townhall.core import metrics
from townhall.core.rowsql import RowInsert
from townhall.moderation import postconfig
from townhall.moderation import services as moderation_services
from townhall.moderation import signals as moderation_signals
from townhall.moderation.models import Decision, Report, Source
from townhall.notify import services, tasks, webhooks
from townhall.notify.models import Follow, Kind, WebhookEvent
from townhall.stories import signals as story_signals
from townhall.stories.models import Story

_FOLLOW_INSERT = RowInsert(Follow)


def comment_created(sender: Any, *, comment: Comment, **kwargs: Any) -> None:
    """The author follows the replies to their comment; webhooks hear of it; count it."""
    # The comment is new, so no one follows it yet: insert without looking first.
    _FOLLOW_INSERT.insert(Follow(account_id=comment.author_id, story_id=comment.story_id,
                                 comment=comment))
    webhooks.comment_event(comment, WebhookEvent.COMMENT_CREATED)
    counter = metrics.COMMENTS_POSTED.labels(site=comment.story.site.name, status=comment.status)
    transaction.on_commit(counter.inc)


def comment_transitioned(sender: Any, *, comment: Comment, old_status: str, new_status: str,
                         decision: Decision, **kwargs: Any) -> None:
    """Count the decision; tell followers, webhooks and the author what changed."""
    counter = metrics.DECISIONS.labels(new_status=decision.new_status, source=decision.source)
    transaction.on_commit(counter.inc)
    if old_status != new_status:
        if new_status == Status.PUBLISHED:
            services.notifications_for_published(comment)
            webhooks.comment_event(comment, WebhookEvent.COMMENT_PUBLISHED)
        elif new_status == Status.REJECTED:
            webhooks.comment_event(comment, WebhookEvent.COMMENT_REJECTED)
    if decision.source == Source.MODERATOR:
        _tell_author(decision)


def _story_closing(sender: Any, *, story: Story, **kwargs: Any) -> None:
    """Announce a story closed now (scheduled closings are swept by a periodic job)."""
    webhooks.story_closed(story)


def _reported(sender: Any, *, comment: Comment, report: Report, **kwargs: Any) -> None:
    webhooks.comment_reported(comment, reason=report.reason, report_id=report.pk)


def _told_later(decision: Decision) -> bool:
    """Whether a moderator's decision tells its author, once its undo window has passed (so
    an undone decision tells nobody): features, approvals of held comments, rejections."""
    return (decision.rule in ("feature", "reject")
            or (decision.rule == "approve" and decision.old_status == Status.PENDING))


def _tell_author(decision: Decision) -> None:
    """Tell the author what a moderator decided about their comment: appeal answers now, the
    decisions a moderator can undo from a task once the undo window has passed."""
    rule = decision.rule or ""
    if _told_later(decision):
        tasks.enqueue("townhall.notify.hooks.tell_author", delay=moderation_services.undo_window(),
                      decision_id=decision.pk)
    elif rule.startswith("appeal_"):
        outcome = "upheld" if rule == "appeal_upheld" else "overturned"
        services.notify_account(decision.comment.author, Kind.APPEAL, decision.comment,
                                email=False, outcome=outcome)


def tell_author(*, decision_id: int) -> None:
    """Tell the author of a decision that still stands (a task, run after the undo window).

    Rejections are emailed by `moderation.services.rejection_email` and count in the widget
    here; features and approvals of held comments are notified and emailed from here.
    """
    decision = (Decision.objects.select_related("comment__story__site", "comment__author")
                .filter(pk=decision_id, undone_by__isnull=True).first())
    if decision is None or decision.comment.status != decision.new_status:
        return
    comment = decision.comment
    with transaction.atomic():
        if decision.rule == "feature":
            if comment.featured_at is not None:
                services.notify_account(comment.author, Kind.FEATURED, comment)
        elif decision.rule == "approve":
            services.notify_account(comment.author, Kind.DECISION, comment,
                                    new_status=Status.PUBLISHED)
        else:
            services.notify_account(comment.author, Kind.DECISION, comment, email=False,
                                    new_status=Status.REJECTED, guideline=decision.guideline)
            if decision.old_status != Status.REJECTED:
                moderation_services.rejection_email(decision)


def connect() -> None:
    moderation_signals.comment_created.connect(comment_created, dispatch_uid="notify.created")
    moderation_signals.comment_transitioned.connect(comment_transitioned,
                                                    dispatch_uid="notify.transitioned")
    moderation_signals.comment_reported.connect(_reported, dispatch_uid="notify.reported")
    story_signals.story_closing_changed.connect(_story_closing, dispatch_uid="notify.closing")
    postconfig.extra_register("has_webhooks", webhooks.site_has_webhooks,
                              models=("notify.Webhook",))
