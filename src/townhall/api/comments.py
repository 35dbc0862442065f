"""Actions on one comment: edit, delete, like."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from townhall.api.accounts import ERRORS
from townhall.api.auth import AccountToken, require_account
from townhall.api.schemas import CommentEditIn, CommentOut, LikeOut
from townhall.comments import services
from townhall.comments.access import access_comment_as_author, access_comment_for_reading
from townhall.comments.presenters import comment_public
from townhall.moderation import posting

router = Router(tags=["comments"])


@router.patch("/comments/{comment_id}", response={200: CommentOut, **ERRORS},
              auth=AccountToken())
def comment_edit(request: HttpRequest, comment_id: int, payload: CommentEditIn
                 ) -> dict[str, Any]:
    """Edit your comment within the edit window (the old text is kept)."""
    account = require_account(request)
    comment = access_comment_as_author(comment_id, account)
    comment = posting.comment_edit(account=account, comment=comment, body=payload.body)
    return comment_public(comment, comment.story, viewer=account)


@router.delete("/comments/{comment_id}", response={204: None, **ERRORS}, auth=AccountToken())
def comment_delete(request: HttpRequest, comment_id: int) -> tuple[int, None]:
    """Delete your comment (a placeholder stays if it has replies)."""
    account = require_account(request)
    posting.comment_delete(account=account,
                            comment=access_comment_as_author(comment_id, account))
    return 204, None


@router.post("/comments/{comment_id}/like", response={200: LikeOut, **ERRORS},
             auth=AccountToken())
def like(request: HttpRequest, comment_id: int) -> dict[str, Any]:
    """Like a comment (once; liking again changes nothing)."""
    account = require_account(request)
    comment = access_comment_for_reading(comment_id, account)
    return {"liked": True, "like_count": services.like_add(account=account, comment=comment)}


@router.delete("/comments/{comment_id}/like", response={200: LikeOut, **ERRORS},
               auth=AccountToken())
def unlike(request: HttpRequest, comment_id: int) -> dict[str, Any]:
    """Take your like back."""
    account = require_account(request)
    comment = access_comment_for_reading(comment_id, account)
    return {"liked": False, "like_count": services.like_remove(account=account, comment=comment)}
