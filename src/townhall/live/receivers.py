"""Live streams follow the layers below: what changed is published after the commit."""

from __future__ import annotations

from typing import Any

from townhall.comments import signals as comment_signals
from townhall.comments.models import Comment, Status
from townhall.live import events
from townhall.moderation import signals as moderation_signals
from townhall.moderation.models import Decision, Report, Source
from townhall.notify import signals as notify_signals
from townhall.stories import signals as story_signals
from townhall.stories.models import Story


def _transitioned(sender: Any, *, comment: Comment, old_status: str, new_status: str,
                  decision: Decision, **kwargs: Any) -> None:
    if decision.source == Source.MODERATOR:
        events.comment_decided(comment, decision_id=decision.pk, rule=decision.rule,
                               actor=decision.actor)
    if old_status == new_status:
        return  # a decision that keeps the status (a feature shows through the story)
    if old_status == "" and new_status != Status.PENDING:
        # A new comment is judged as it arrives: for the queues it was held and let go.
        old_status = Status.PENDING
    if Status.PUBLISHED in (old_status, new_status):
        events.comment_changed(comment, "comment.published" if new_status == Status.PUBLISHED
                               else "comment.removed")
    events.moderation_changed(comment, old_status, new_status)


def _changed(sender: Any, *, comment: Comment, kind: str, **kwargs: Any) -> None:
    events.comment_changed(comment, kind)


def _reported(sender: Any, *, comment: Comment, report: Report, **kwargs: Any) -> None:
    events.comment_reported(comment, reports=comment.report_count)


def _notifications(sender: Any, *, account_ids: set[int], kind: str, **kwargs: Any) -> None:
    events.notifications_changed(account_ids, kind)


def _story_closing(sender: Any, *, story: Story, **kwargs: Any) -> None:
    events.story_changed(story)


def connect() -> None:
    moderation_signals.comment_transitioned.connect(_transitioned, dispatch_uid="live.status")
    moderation_signals.comment_reported.connect(_reported, dispatch_uid="live.reported")
    comment_signals.comment_changed.connect(_changed, dispatch_uid="live.changed")
    story_signals.story_closing_changed.connect(_story_closing, dispatch_uid="live.story")
    notify_signals.notifications_changed.connect(_notifications,
                                                 dispatch_uid="live.notifications")
