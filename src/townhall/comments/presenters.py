"""The public form of comments: what readers see through the API, the widget and live events."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from townhall.accounts.handles import youth_author_ref, youth_handle
from townhall.accounts.models import Account
from townhall.comments.models import Comment, Status
from townhall.comments.selectors import MAX_DISPLAY_DEPTH
from townhall.stories.models import Story


def author_name(account: Account, story: Story) -> str:
    """Return the name shown for an author: the real name, or a handle in youth communities."""
    if not account.is_active:
        return str(_("Former member"))
    if story.is_youth:
        return youth_handle(account.pk, story.site_id, story.language)
    return account.display_name


def author_public(account: Account, story: Story) -> dict[str, Any]:
    """Return an author as readers (and the publisher's webhooks) see them: in youth
    communities an opaque per-site reference and a handle, never the account's id or name."""
    return {"id": youth_author_ref(account.pk, story.site_id) if story.is_youth else account.pk,
            "display_name": author_name(account, story)}


def comment_public(
    comment: Comment, story: Story, *, viewer: Account | None = None, liked: bool = False
) -> dict[str, Any]:
    """Return a comment as readers see it (placeholders for removed ones)."""
    removed = comment.status in (Status.DELETED, Status.REJECTED)
    return {
        "id": comment.pk,
        "parent_id": comment.parent_id,
        "depth": comment.depth,
        "display_depth": min(comment.depth, MAX_DISPLAY_DEPTH),
        "status": comment.status,
        "removed": removed,
        "author": None if removed else author_public(comment.author, story),
        "body_html": "" if removed else comment.body_html,
        "body": "" if removed else comment.source,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "like_count": comment.like_count,
        "reply_count": comment.reply_count,
        "liked": liked,
        "mine": viewer is not None and comment.author_id == viewer.pk,
        "featured": comment.featured_at is not None and not removed,
    }
