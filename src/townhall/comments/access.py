"""Resolve comment ids from requests, checking the viewer's right to them.

An id the viewer may not see answers 404, the same as an id that does not exist.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from townhall.accounts.models import Account
from townhall.comments.models import Comment, Status
from townhall.core.errors import NotFound, PermissionDenied


def access_comment_for_reading(comment_id: int, viewer: Account | None) -> Comment:
    """Return a comment the viewer may see: published, or their own."""
    comment = Comment.objects.select_related("story__site", "author").filter(pk=comment_id).first()
    if comment is None:
        raise NotFound(_("Unknown comment."), field="id")
    if comment.status == Status.PUBLISHED:
        return comment
    if viewer is not None and comment.author_id == viewer.pk and comment.status != Status.DELETED:
        return comment
    raise NotFound(_("Unknown comment."), field="id")


def access_comment_as_author(comment_id: int, viewer: Account) -> Comment:
    """Return the viewer's own comment for editing or deleting."""
    comment = access_comment_for_reading(comment_id, viewer)
    if comment.author_id != viewer.pk:
        raise PermissionDenied(_("Only the author can change this comment."), field="id")
    return comment
