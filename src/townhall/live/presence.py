"""Who is looking at which queue card: a moderator's claim, shown to the others live.

A claim is a short-lived mark in the cache (`CLAIM_SECONDS`), renewed by the dashboard while
the card stays current, and announced on the moderation channel so the other moderators'
queues show it at once. It locks nothing: a decision on a claimed card is still allowed, and
one made without seeing another moderator's decision is refused by the card's `seen`
(`moderation.services.comment_decide`). Claims name the moderator to moderators only.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from townhall.accounts.models import Account
from townhall.comments.models import Comment
from townhall.core.pubsub import publish_now
from townhall.live.events import MODERATION_CHANNEL

CLAIM_SECONDS = 45


def _key(comment_id: int) -> str:
    return f"th:claim:{comment_id}"


def claim(comment: Comment, moderator: Account) -> dict[str, Any]:
    """Mark the card as looked at by the moderator and tell the other moderators."""
    mark = {"moderator_id": moderator.pk, "name": moderator.display_name}
    cache.set(_key(comment.pk), mark, timeout=CLAIM_SECONDS)
    publish_now(MODERATION_CHANNEL, {
        "type": "comment.claimed", "site_id": comment.story.site_id, "comment_id": comment.pk,
        "seconds": CLAIM_SECONDS, **mark,
    })
    return mark


def claims_of(comment_ids: list[int], viewer: Account) -> dict[int, dict[str, Any]]:
    """Return who (other than the viewer) is looking at each of these cards, by comment id:
    `{"moderator_id", "name"}`."""
    if not comment_ids:
        return {}
    found = cache.get_many([_key(i) for i in comment_ids])
    marks = {i: found.get(_key(i)) for i in comment_ids}
    return {i: m for i, m in marks.items() if m and m.get("moderator_id") != viewer.pk}
