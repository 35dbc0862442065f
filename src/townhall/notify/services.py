"""Notification writes: follow, mute, preferences, unsubscribe, and telling people things."""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from townhall.accounts.models import Account
from townhall.comments.models import Comment, Status
from townhall.core import clock, ratelimit
from townhall.core.errors import Conflict, Invalid, NotFound
from townhall.core.rowsql import RowValues
from townhall.notify import signals, tasks
from townhall.notify.models import Delivery, Follow, Kind, Mute, Notification, Preference
from townhall.stories.models import Story

UNSUBSCRIBE_SALT = "townhall.notify.unsubscribe"


# Follows --------------------------------------------------------------------------------


@transaction.atomic
def follow_add(*, account: Account, story: Story, comment: Comment | None = None) -> Follow:
    """Follow a story (every new comment) or one comment (its replies); following twice is one."""
    ratelimit.hit("follow-account", str(account.pk), limit=120, window=3600)
    existing = Follow.objects.filter(account=account, story=story, comment=comment).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Follow.objects.create(account=account, story=story, comment=comment)
    except IntegrityError:
        return Follow.objects.get(account=account, story=story, comment=comment)


@transaction.atomic
def follow_remove(*, account: Account, story: Story, comment: Comment | None = None) -> None:
    """Stop following; unfollowing what was not followed changes nothing."""
    Follow.objects.filter(account=account, story=story, comment=comment).delete()


# Mutes ----------------------------------------------------------------------------------


@transaction.atomic
def mute_add(*, account: Account, muted: Account) -> Mute:
    """Collapse another account's comments for this reader; muting twice is one mute."""
    if muted.pk == account.pk:
        raise Conflict("own_account", _("You cannot mute yourself."), "id")
    ratelimit.hit("mute-account", str(account.pk), limit=60, window=3600)
    mute, _created = Mute.objects.get_or_create(account=account, muted=muted)
    return mute


@transaction.atomic
def mute_remove(*, account: Account, muted: Account) -> None:
    """Show the account's comments again."""
    Mute.objects.filter(account=account, muted=muted).delete()


# Preferences and unsubscribe -------------------------------------------------------------


def preference_of(account: Account) -> str:
    row = Preference.objects.filter(account=account).values_list("email", flat=True).first()
    return row or Delivery.IMMEDIATE


@transaction.atomic
def preference_set(*, account: Account, email: str) -> str:
    """Choose how notification emails arrive: right away, daily, or never."""
    if email not in Delivery.values:
        raise Invalid("email", "invalid_choice",
                      _("Choose one of: %(choices)s.") % {"choices": ", ".join(Delivery.values)})
    Preference.objects.update_or_create(account=account,
                                        defaults={"email": email, "updated_at": clock.now()})
    return email


def unsubscribe_token(account: Account) -> str:
    """Return the signed token of the one-click unsubscribe link (it does not expire)."""
    return signing.dumps({"a": account.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def account_for_unsubscribe(token: str) -> Account:
    """Return the account an unsubscribe token names, or raise NotFound."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise NotFound(_("This unsubscribe link is not valid."), field="token") from None
    account = Account.objects.filter(pk=data.get("a"), is_active=True).first()
    if account is None:
        raise NotFound(_("This unsubscribe link is not valid."), field="token")
    return account


@transaction.atomic
def unsubscribe(*, token: str, email: str = Delivery.OFF) -> Account:
    """Apply an unsubscribe link: stop notification emails (or switch to the daily digest)."""
    account = account_for_unsubscribe(token)
    preference_set(account=account, email=email)
    return account


# Notifications ----------------------------------------------------------------------------


def _muted_by(account_ids: set[int], author_id: int) -> set[int]:
    return set(Mute.objects.filter(account_id__in=account_ids, muted_id=author_id)
               .values_list("account_id", flat=True))


def notify_account(account: Account, kind: str, comment: Comment | None = None, *,
                   email: bool = True, **context: Any) -> Notification | None:
    """Tell an account about something concerning it (featured, decision, appeal…).

    Call it inside the write's transaction; the email goes out after commit from a task
    (right away or in the daily digest, as the reader chose). `context` holds JSON values the
    email uses: for `decision`, `new_status` and `guideline`; for `appeal`, `outcome`
    (`overturned`: the comment is restored; `upheld`: the rejection stands); an optional
    `note` is quoted. Return None when nothing is sent (an inactive account, a repeated reply
    or feature). With `email=False` the notification only counts in the widget (for callers
    that send their own email).
    """
    if kind not in Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    if not account.is_active:
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                account=account, kind=kind, comment=comment,
                story_id=comment.story_id if comment is not None else None, context=context,
                email=Notification.Email.PENDING if email else Notification.Email.SKIPPED,
            )
    except IntegrityError:
        return None
    signals.notifications_changed.send(sender=Notification, account_ids={account.pk},
                                       kind="notification.created")
    if email and preference_of(account) == Delivery.IMMEDIATE:
        tasks.enqueue("townhall.notify.emails.send_notifications",
                      notification_ids=[notification.pk], max_attempts=4, backoff_seconds=60)
    return notification


_STORY_FOLLOWERS = RowValues(Follow, "account_id", "story_id = %s AND comment_id IS NULL")


def notifications_for_published(comment: Comment) -> list[Notification]:
    """Tell the followers of a newly published comment's parent, thread and story."""
    if comment.status != Status.PUBLISHED:
        return []
    # Asked on every post, most often of a story no one follows: written once, not compiled.
    targets: dict[int, str] = dict.fromkeys(_STORY_FOLLOWERS([comment.story_id]),
                                            Kind.STORY_COMMENT)
    thread_ids = {i for i in (comment.root_id, comment.parent_id) if i and i != comment.pk}
    if thread_ids:
        for follow in Follow.objects.filter(comment_id__in=thread_ids):
            targets[follow.account_id] = Kind.THREAD_REPLY
    if comment.parent_id is not None:
        parent_author = Comment.objects.filter(pk=comment.parent_id).values_list(
            "author_id", flat=True).first()
        if parent_author is not None and Follow.objects.filter(
            account_id=parent_author, comment_id=comment.parent_id
        ).exists():
            targets[parent_author] = Kind.REPLY
    targets.pop(comment.author_id, None)
    if not targets:
        return []
    for account_id in _muted_by(set(targets), comment.author_id):
        targets.pop(account_id)
    if not targets:
        return []
    active = set(Account.objects.filter(pk__in=targets, is_active=True)
                 .values_list("pk", flat=True))
    rows = [Notification(account_id=a, kind=k, comment=comment, story_id=comment.story_id)
            for a, k in targets.items() if a in active]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    created = list(Notification.objects.filter(comment=comment, account_id__in=active,
                                               email=Notification.Email.PENDING))
    if created:
        signals.notifications_changed.send(sender=Notification,
                                           account_ids={n.account_id for n in created},
                                           kind="notification.created")
        tasks.enqueue("townhall.notify.emails.send_notifications",
                      notification_ids=[n.pk for n in created], max_attempts=4,
                      backoff_seconds=60)
    return created


@transaction.atomic
def notifications_mark_read(*, account: Account, ids: list[int] | None) -> int:
    """Mark some (or all, when `ids` is None) of the account's notifications read."""
    query = Notification.objects.filter(account=account, read_at__isnull=True)
    if ids is not None:
        query = query.filter(pk__in=ids)
    marked = query.update(read_at=clock.now())
    if marked:
        # The reader's other tabs and devices lower their count too.
        signals.notifications_changed.send(sender=Notification, account_ids={account.pk},
                                           kind="notification.read")
    return marked
