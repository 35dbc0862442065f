"""Live events, published after the commit so readers never hear of a rolled-back write.

Story events carry the public form of the comment (a placeholder when it is no longer
published, never pending or rejected text). Moderation events go to moderators only.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.db import transaction

from townhall.comments.models import Comment, Status
from townhall.comments.presenters import comment_public
from townhall.core.pubsub import publish_now

if TYPE_CHECKING:
    from townhall.comments.models import Comment
    from townhall.stories.models import Story

log = logging.getLogger(__name__)

MODERATION_CHANNEL = "moderation"
STORY_KINDS = frozenset({
    "comment.published", "comment.edited", "comment.removed", "comment.liked", "story.updated",
})


def story_channel(story_id: int) -> str:
    return f"story:{story_id}"




def _after_commit(channel: str, build: Any) -> None:
    transaction.on_commit(lambda: publish_now(channel, build()))


def public_form(comment: Comment, story: Story) -> dict[str, Any]:
    """Return what any reader may see of the comment right now."""
    item = comment_public(comment, story)
    if comment.status != Status.PUBLISHED:
        item.update(removed=True, author=None, body_html="", body="")
    return item


def comment_changed(comment: Comment, kind: str) -> None:
    """Tell a story's readers that a comment was published, edited, liked or removed."""
    if kind not in STORY_KINDS:
        raise ValueError(f"unknown story event {kind!r}")

    def build() -> dict[str, Any]:
        if kind == "comment.liked":
            # The like count was changed with an F() update; read what was committed.
            comment.like_count = (
                Comment.objects.values_list("like_count", flat=True).get(pk=comment.pk)
            )
        return {
            "type": kind, "story_id": comment.story_id, "comment_id": comment.pk,
            "parent_id": comment.parent_id, "comment": public_form(comment, comment.story),
        }

    _after_commit(story_channel(comment.story_id), build)


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

    def build() -> dict[str, Any]:
        message: dict[str, Any] = {
            "type": kind, "site_id": story.site_id, "story_id": story.pk,
            "comment_id": comment.pk, "status": new_status,
        }
        if kind == "comment.held":
            message["comment"] = {
                "id": comment.pk, "story": {"id": story.pk, "external_id": story.external_id,
                                            "title": story.title},
                "author": {"id": comment.author_id, "display_name": comment.author.display_name},
                "body_html": comment.body_html, "created_at": comment.created_at,
                "depth": comment.depth,
            }
        return message

    _after_commit(MODERATION_CHANNEL, build)


def comment_reported(comment: Comment, *, reports: int = 1) -> None:
    """Tell moderators that readers reported a comment (the report queue grew)."""
    story = comment.story
    _after_commit(MODERATION_CHANNEL, lambda: {
        "type": "comment.reported", "site_id": story.site_id, "story_id": story.pk,
        "comment_id": comment.pk, "reports": reports,
    })


def queue_changed(*, site_id: int) -> None:
    """Tell a site's moderators to recount their queues (after a bulk moderation action)."""
    _after_commit(MODERATION_CHANNEL, lambda: {"type": "queue.changed", "site_id": site_id})
