"""Notification reads: counts for the widget, mutes, follows, webhook deliveries."""

from __future__ import annotations

from django.utils.translation import gettext as _

from townhall.accounts.models import Account
from townhall.comments.models import Comment, Status
from townhall.core.errors import Invalid
from townhall.notify.models import Follow, Mute, Notification, Webhook, WebhookDelivery
from townhall.stories.models import Community, Story

MAX_LIMIT = 100


def _limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise Invalid("limit", "out_of_range",
                      _("Choose a limit from 1 to %(max)d.") % {"max": MAX_LIMIT})
    return limit


def unread_count(account: Account) -> int:
    return Notification.objects.filter(account=account, read_at__isnull=True).count()


def notifications_of(account: Account, *, limit: int = 20) -> list[Notification]:
    """Return the newest notifications with their comment, author and story in one query."""
    return list(Notification.objects.filter(account=account)
                .select_related("story", "comment__author", "comment__story")
                [: _limit(limit)])


def muted_ids(account: Account | None) -> set[int]:
    """Return the ids of the accounts this reader muted (none for anonymous readers)."""
    if account is None:
        return set()
    return set(Mute.objects.filter(account=account).values_list("muted_id", flat=True))


def follows_on(account: Account, story: Story) -> tuple[bool, list[int]]:
    """Return whether the reader follows the story, and the comments they follow on it."""
    rows = list(Follow.objects.filter(account=account, story=story)
                .values_list("comment_id", flat=True))
    return None in rows, sorted(i for i in rows if i is not None)


def muted_accounts(account: Account) -> list[tuple[int, str]]:
    """Return the accounts this reader muted, each with the name readers see on its comments.

    A name is shown only where its owner signs comments with it: an account that comments
    only in youth communities (under a nickname) is listed without one, so muting an id
    never reveals whose it is.
    """
    ids = sorted(muted_ids(account))
    if not ids:
        return []
    named = set(Comment.objects.filter(author_id__in=ids, status=Status.PUBLISHED)
                .exclude(story__community=Community.YOUTH)
                .values_list("author_id", flat=True).distinct())
    accounts = {a.pk: a for a in Account.objects.filter(pk__in=named)}
    return [(i, accounts[i].display_name if i in accounts else "") for i in ids]


def followed_stories(account: Account, *, limit: int = 100) -> list[Story]:
    """Return the stories the reader follows (every new comment), newest follow first."""
    return [f.story for f in Follow.objects.filter(account=account, comment__isnull=True)
            .select_related("story__site").order_by("-created_at", "-id")[: _limit(limit)]]


def deliveries_of(webhook: Webhook, *, limit: int = 50) -> list[WebhookDelivery]:
    return list(WebhookDelivery.objects.filter(webhook=webhook)[: _limit(limit)])
