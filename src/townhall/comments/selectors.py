"""Thread reads: one query for a page of top-level comments, one for their replies."""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from townhall.accounts.models import Account
from townhall.comments.models import Comment, Like, Status
from townhall.core.errors import Invalid
from townhall.stories.models import Story

SORTS = ("newest", "oldest", "top", "featured")
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_DISPLAY_DEPTH = 3
_THREAD_STATUSES = (Status.PUBLISHED, Status.DELETED, Status.REJECTED)


@dataclass
class ThreadPage:
    comments: list[Comment]
    replies: dict[int, list[Comment]]
    next_cursor: str | None


def encode_cursor(sort: str, comment: Comment) -> str:
    key: Any = comment.like_count if sort == "top" else comment.created_at.isoformat()
    if sort == "featured" and comment.featured_at is not None:
        key = comment.featured_at.isoformat()
    raw = json.dumps({"s": sort, "k": key, "i": comment.pk}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[Any, int]:
    """Return the (key, id) a cursor points after, or raise Invalid naming `cursor`."""
    error = Invalid("cursor", "invalid_cursor", _("This page link is not valid; start again."))
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        if not isinstance(data, dict) or data.get("s") != sort:
            raise error
        ident = data["i"]
        if not isinstance(ident, int) or isinstance(ident, bool) or ident < 0:
            raise error
        key = data["k"]
        if sort == "top":
            if not isinstance(key, int) or isinstance(key, bool) or key < 0:
                raise error
            return key, ident
        if not isinstance(key, str):
            raise error
        moment = dt.datetime.fromisoformat(key)
        if moment.tzinfo is None:
            raise error
        return moment, ident
    except Invalid:
        raise
    except (ValueError, TypeError, KeyError, UnicodeError, json.JSONDecodeError):
        raise error from None


def thread_page(
    story: Story, *, sort: str = "newest", cursor: str | None = None, limit: int = DEFAULT_LIMIT
) -> ThreadPage:
    """Return one page of the public thread: top-level comments and all their replies."""
    if sort not in SORTS:
        raise Invalid("sort", "invalid_choice",
                      _("Choose one of: %(choices)s.") % {"choices": ", ".join(SORTS)})
    if not 1 <= limit <= MAX_LIMIT:
        raise Invalid("limit", "out_of_range",
                      _("Choose a limit from 1 to %(max)d.") % {"max": MAX_LIMIT})
    visible = Q(status=Status.PUBLISHED) | Q(status__in=(Status.DELETED, Status.REJECTED),
                                             reply_count__gt=0)
    query = (
        Comment.objects.filter(story=story, depth=0, status__in=_THREAD_STATUSES)
        .filter(visible)
        .select_related("author")
    )
    if sort == "featured":
        # Editors' picks at any depth, newest pick first, without their replies.
        query = Comment.objects.filter(
            story=story, status=Status.PUBLISHED, featured_at__isnull=False
        ).select_related("author")
    order = {
        "newest": ("-created_at", "-id"),
        "oldest": ("created_at", "id"),
        "top": ("-like_count", "-id"),
        "featured": ("-featured_at", "-id"),
    }[sort]
    if cursor:
        key, ident = decode_cursor(cursor, sort)
        if sort == "featured":
            query = query.filter(Q(featured_at__lt=key) | Q(featured_at=key, id__lt=ident))
        elif sort == "newest":
            query = query.filter(Q(created_at__lt=key) | Q(created_at=key, id__lt=ident))
        elif sort == "oldest":
            query = query.filter(Q(created_at__gt=key) | Q(created_at=key, id__gt=ident))
        else:
            query = query.filter(Q(like_count__lt=key) | Q(like_count=key, id__lt=ident))
    rows = list(query.order_by(*order)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return ThreadPage(
        comments=rows,
        replies=replies_for([c.pk for c in rows]) if sort != "featured" else {},
        next_cursor=encode_cursor(sort, rows[-1]) if more and rows else None,
    )


@dataclass
class Linked:
    """What a link to one comment finds: its thread, or why there is none to show."""

    comment_id: int
    # shown: in `page`; pending: awaiting review; removed: rejected or deleted; unknown:
    # not a comment of this story.
    state: str
    page: ThreadPage


def thread_around(story: Story, comment_id: int) -> Linked:
    """Return the conversation a permalink names: its top-level comment with every reply,
    wherever it sits in the thread (page 40 too)."""
    empty = ThreadPage(comments=[], replies={}, next_cursor=None)
    found = (Comment.objects.filter(pk=comment_id, story=story)
             .only("id", "root_id", "status").first())
    if found is None:
        return Linked(comment_id, "unknown", empty)
    if found.status == Status.PENDING:
        return Linked(comment_id, "pending", empty)
    if found.status not in _THREAD_STATUSES:
        return Linked(comment_id, "unknown", empty)
    root_id = found.root_id or found.pk
    root = Comment.objects.filter(pk=root_id).select_related("author").first()
    if root is None or not (root.status == Status.PUBLISHED or (
            root.status in _THREAD_STATUSES and root.reply_count > 0)):
        return Linked(comment_id, "removed", empty)
    replies = replies_for([root_id])
    visible = {root.pk, *(r.pk for r in replies.get(root_id, []))}
    state = "shown" if found.status == Status.PUBLISHED and found.pk in visible else "removed"
    return Linked(comment_id, state, ThreadPage(comments=[root], replies=replies,
                                                next_cursor=None))


def replies_for(root_ids: list[int]) -> dict[int, list[Comment]]:
    """Return the visible replies under each root, in reading (depth-first) order."""
    if not root_ids:
        return {}
    rows = list(
        Comment.objects.filter(root_id__in=root_ids, depth__gt=0, status__in=_THREAD_STATUSES)
        .filter(Q(status=Status.PUBLISHED) | Q(reply_count__gt=0))
        .select_related("author")
        .order_by("created_at", "id")
    )
    children: dict[int, list[Comment]] = {}
    for row in rows:
        children.setdefault(row.parent_id or 0, []).append(row)
    ordered: dict[int, list[Comment]] = {}
    for root in root_ids:
        out: list[Comment] = []
        stack = list(reversed(children.get(root, [])))
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(children.get(node.pk, [])))
        ordered[root] = out
    return ordered


def pending_of(story: Story, account: Account) -> list[Comment]:
    """Return the account's own comments on the story that wait for review."""
    return list(
        Comment.objects.filter(story=story, author=account, status=Status.PENDING)
        .select_related("author")
        .order_by("-created_at")[:MAX_LIMIT]
    )


def liked_ids(account: Account, comment_ids: list[int]) -> set[int]:
    """Return which of these comments the account likes (one query)."""
    if not comment_ids:
        return set()
    return set(
        Like.objects.filter(account=account, comment_id__in=comment_ids).values_list(
            "comment_id", flat=True
        )
    )


def comments_of(account: Account, *, limit: int = 100) -> list[Comment]:
    """Return the account's own comments, newest first, with their story."""
    return list(
        Comment.objects.filter(author=account)
        .exclude(status=Status.DELETED)
        .select_related("story__site")
        .order_by("-created_at")[:limit]
    )
