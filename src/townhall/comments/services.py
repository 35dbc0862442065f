"""Comment writes that judge nothing: the body's validation and likes. Posting, edits and
deletions are judged and logged by `moderation.posting`."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from townhall.accounts.models import Account
from townhall.comments import markup, signals
from townhall.comments.models import Comment, Like, Status
from townhall.core import ratelimit
from townhall.core.errors import Conflict, Invalid, NotFound
from townhall.stories.models import Story
from townhall.stories.services import story_touch

VISIBLE_WHEN_REPLIED = (Status.DELETED, Status.REJECTED)


def validate_body(body: str, *, story: Story) -> str:
    """Return cleaned source text or raise Invalid naming `body`."""
    source = markup.clean_source(body)
    limit = story.site.max_comment_length
    if not source:
        raise Invalid("body", "required", _("Write something before posting."))
    if len(source) > limit:
        raise Invalid("body", "too_long",
                      _("Comments are limited to %(limit)d characters.") % {"limit": limit})
    return source


@transaction.atomic
def like_add(*, account: Account, comment: Comment) -> int:
    """Like a published comment once; liking again changes nothing. Return the like count."""
    if comment.status != Status.PUBLISHED:
        raise NotFound(_("Unknown comment."), field="id")
    if comment.author_id == account.pk:
        raise Conflict("own_comment", _("You cannot like your own comment."), "id")
    ratelimit.guard("like", account=account.pk, site=comment.story.site)
    try:
        with transaction.atomic():
            Like.objects.create(comment=comment, account=account)
    except IntegrityError:
        return Comment.objects.values_list("like_count", flat=True).get(pk=comment.pk)
    Comment.objects.filter(pk=comment.pk).update(like_count=F("like_count") + 1)
    story_touch(story=comment.story)
    signals.comment_changed.send(sender=Comment, comment=comment, kind="comment.liked")
    return Comment.objects.values_list("like_count", flat=True).get(pk=comment.pk)


@transaction.atomic
def like_remove(*, account: Account, comment: Comment) -> int:
    """Take a like back; unliking what was not liked changes nothing. Return the like count."""
    deleted, _rows = Like.objects.filter(comment=comment, account=account).delete()
    if deleted:
        Comment.objects.filter(pk=comment.pk).update(like_count=F("like_count") - 1)
        story_touch(story=comment.story)
        signals.comment_changed.send(sender=Comment, comment=comment, kind="comment.liked")
    return Comment.objects.values_list("like_count", flat=True).get(pk=comment.pk)
