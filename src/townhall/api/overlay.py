"""The signed-in reader's overlay on a shared thread page: own pending comments and likes.

Thread pages are the same bytes for every reader (and cacheable); what is personal comes
from this small call, so a signed-in reader never misses the shared cache.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from townhall.api.accounts import ERRORS
from townhall.api.auth import AccountToken, require_account
from townhall.api.schemas import CommentOut
from townhall.comments.models import Like
from townhall.comments.presenters import author_name, comment_public
from townhall.comments.selectors import pending_of
from townhall.stories import selectors

router = Router(tags=["stories"])


class OverlayViewerOut(Schema):
    id: int
    display_name: str


class OverlayOut(Schema):
    viewer: OverlayViewerOut
    my_pending: list[CommentOut]
    liked: list[int]


@router.get("/sites/{site}/stories/{external_id}/me", response={200: OverlayOut, **ERRORS},
            auth=AccountToken())
def overlay(request: HttpRequest, site: str, external_id: str, response: HttpResponse
            ) -> dict[str, Any]:
    """Return what is yours on this story: comments awaiting review and the ids you liked."""
    account = require_account(request)
    story = selectors.story_get(selectors.site_get(site), external_id)
    response["Cache-Control"] = "private, no-store"
    liked = Like.objects.filter(account=account, comment__story=story).values_list(
        "comment_id", flat=True)
    return {
        "viewer": {"id": account.pk, "display_name": author_name(account, story)},
        "my_pending": [comment_public(c, story, viewer=account)
                       for c in pending_of(story, account)],
        "liked": sorted(liked),
    }
