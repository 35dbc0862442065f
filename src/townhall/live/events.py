"""Live events. They carry ids and public data only and are sent after the commit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from townhall.live.brokers import get_broker

if TYPE_CHECKING:
    from townhall.comments.models import Comment
    from townhall.stories.models import Story


def story_channel(story_id: int) -> str:
    return f"story:{story_id}"


def _send(channel: str, message: dict[str, Any]) -> None:
    transaction.on_commit(lambda: get_broker().publish(channel, message))


def comment_changed(comment: Comment, kind: str) -> None:
    """Tell a story's readers that a comment was published, edited, liked or removed."""
    _send(
        story_channel(comment.story_id),
        {"type": kind, "comment_id": comment.pk, "story_id": comment.story_id},
    )


def story_changed(story: Story) -> None:
    """Tell a story's readers that the story itself changed (closed, reopened)."""
    _send(
        story_channel(story.pk),
        {"type": "story.updated", "story_id": story.pk, "is_open": story.is_open()},
    )
