"""Live events, published after the commit so readers never hear of a rolled-back write.

Events carry ids, never a comment's text or author: whoever hears one re-reads through the
API, where the visibility rules live (readers: the thread; moderators: the queues).
Moderation events go to moderators only, and may name the moderator who decided or looks.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.db import transaction

from townhall.comments.models import Comment, Status
from townhall.core.pubsub import publish_now

if TYPE_CHECKING:
    from townhall.stories.models import Story

log = logging.getLogger(__name__)

MODERATION_CHANNEL = "moderation"
STORY_KINDS = frozenset({
    "comment.published", "comment.edited", "comment.removed", "comment.liked", "story.updated",
})


def story_channel(story_id: int) -> str:
    return f"story:{story_id}"


def account_channel(account_id: int) -> str:
    """A reader's own channel: their notifications arrived or were read."""
    return f"account:{account_id}"




def _after_commit(channel: str, build: Any) -> None:
    transaction.on_commit(lambda: publish_now(channel, build()))


def comment_changed(comment: Comment, kind: str) -> None:
    """Tell a story's readers that a comment was published, edited, liked or removed.

    The event names the comment, never its text or author: a reader re-reads the thread
    through the API, where the visibility rules live (`comments.presenters`).
    """
    if kind not in STORY_KINDS:
        raise ValueError(f"unknown story event {kind!r}")
    message: dict[str, Any] = {"type": kind, "story_id": comment.story_id,
                               "comment_id": comment.pk, "parent_id": comment.parent_id}
    if kind in ("comment.published", "comment.removed"):
        # The story's public count, as this transaction left it: headers follow it live.
        message["comment_count"] = comment.story.comment_count
    _after_commit(story_channel(comment.story_id), lambda: message)


def story_changed(story: Story) -> None:
    """Tell a story's readers that the story itself changed (closed, reopened)."""
    _after_commit(story_channel(story.pk), lambda: {
        "type": "story.updated", "story_id": story.pk, "is_open": story.is_open(),
        "closes_at": story.closes_at, "comment_count": story.comment_count,
    })


def moderation_changed(comment: Comment, old_status: str, new_status: str) -> None:
    """Tell moderators that a comment joined the review queue or left it.

    The stream for each moderator filters by the sites they moderate and recounts the
    queues, so the message only names what changed.
    """
    if new_status == Status.PENDING:
        kind = "comment.held"
    elif old_status == Status.PENDING:
        kind = "queue.changed"
    else:
        return
    story = comment.story
    message = {"type": kind, "site_id": story.site_id, "story_id": story.pk,
               "comment_id": comment.pk, "status": new_status}
    _after_commit(MODERATION_CHANNEL, lambda: message)


def comment_reported(comment: Comment, *, reports: int = 1) -> None:
    """Tell moderators that readers reported a comment (the report queue grew)."""
    story = comment.story
    _after_commit(MODERATION_CHANNEL, lambda: {
        "type": "comment.reported", "site_id": story.site_id, "story_id": story.pk,
        "comment_id": comment.pk, "reports": reports,
    })


def comment_decided(comment: Comment, *, decision_id: int, rule: str, actor: Any) -> None:
    """Tell moderators that one of them decided on a comment (or undid a decision): the
    others' queues mark its card, naming who, rather than let it be decided twice."""
    story = comment.story
    message = {"type": "comment.decided", "site_id": story.site_id, "story_id": story.pk,
               "comment_id": comment.pk, "status": comment.status, "rule": rule,
               "decision_id": decision_id, "moderator_id": actor.pk if actor else None,
               "name": actor.display_name if actor else ""}
    _after_commit(MODERATION_CHANNEL, lambda: message)


def queue_changed(*, site_id: int) -> None:
    """Tell a site's moderators to recount their queues (after a bulk moderation action)."""
    _after_commit(MODERATION_CHANNEL, lambda: {"type": "queue.changed", "site_id": site_id})


def notifications_changed(account_ids: set[int], kind: str) -> None:
    """Tell each reader's open widgets and pages that their notifications changed.

    The event names nothing but its kind: the reader re-reads `GET /me/notifications`.
    """
    for account_id in account_ids:
        _after_commit(account_channel(account_id), lambda: {"type": kind})
