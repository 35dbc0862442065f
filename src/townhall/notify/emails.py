"""Notification emails, written in the recipient's language. These functions run as tasks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from townhall.accounts.models import Account
from townhall.comments import markup
from townhall.comments.presenters import author_name
from townhall.core import clock
from townhall.core.mail import compose
from townhall.notify import services, tasks
from townhall.notify.models import Delivery, Kind, Notification
from townhall.stories.brand import brand_of
from townhall.stories.models import Site

EXCERPT = 280


def comment_link(notification: Notification) -> str:
    """Return where the reader sees the comment: the story page, at the comment."""
    story, comment = notification.story, notification.comment
    if story is None:
        return settings.PUBLIC_URL
    base = story.url or settings.PUBLIC_URL
    return f"{base}#comment-{comment.pk}" if comment is not None else base


def _excerpt(notification: Notification) -> str:
    if notification.comment is None:
        return ""
    text = markup.plain_text(notification.comment.source).strip()
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def describe(notification: Notification) -> tuple[str, str]:
    """Return (subject, first line) for one notification in the active language."""
    story_title = notification.story.title if notification.story else ""
    comment = notification.comment
    who = author_name(comment.author, comment.story) if comment is not None else ""
    values = {"name": who, "story": story_title or _("a story")}
    context = notification.context or {}
    kind = notification.kind
    if kind == Kind.REPLY:
        return (_("%(name)s replied to your comment") % values,
                _("%(name)s replied to your comment on “%(story)s”:") % values)
    if kind == Kind.THREAD_REPLY:
        return (_("New reply in a conversation you follow") % values,
                _("%(name)s replied in a conversation you follow on “%(story)s”:") % values)
    if kind == Kind.STORY_COMMENT:
        return (_("New comment on “%(story)s”") % values,
                _("%(name)s commented on “%(story)s”, a story you follow:") % values)
    if kind == Kind.FEATURED:
        return (_("Your comment was featured") % values,
                _("The editors featured your comment on “%(story)s”:") % values)
    if kind == Kind.APPEAL:
        restored = context.get("outcome") == "overturned"
        return (
            _("Your appeal was accepted") if restored else _("Your appeal was answered"),
            (_("We reviewed your appeal about your comment on “%(story)s” and restored it.")
             if restored else
             _("We reviewed your appeal about your comment on “%(story)s” and kept our "
               "decision.")) % values,
        )
    status = str(context.get("new_status") or (comment.status if comment else ""))
    published = status == "published"
    return (
        _("Your comment was published") if published else _("A moderator reviewed your comment"),
        (_("A moderator published your comment on “%(story)s”:") if published else
         _("A moderator removed your comment on “%(story)s” because it breaks our community "
           "guidelines:")) % values,
    )


def _message(account: Account, subject: str, template: str, context: dict[str, object],
             site: Site | None) -> EmailMessage:
    token = services.unsubscribe_token(account)
    unsubscribe = f"{settings.PUBLIC_URL}/notifications/unsubscribe/{token}/"
    brand = brand_of(site)
    body = render_to_string(template, {**context, "account": account, "brand": brand,
                                       "unsubscribe_link": unsubscribe,
                                       "my_comments": f"{settings.PUBLIC_URL}/accounts/comments/"})
    # One click on the header (RFC 8058) unsubscribes: a POST to the same address.
    return compose(subject=subject, text=body, to=[account.email], brand=brand, headers={
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated"})


def _can_email(account: Account) -> bool:
    # Imported accounts nobody has claimed yet never signed up: never write to them.
    return account.is_active and account.email_verified


def _claim(ids: Iterable[int]) -> list[Notification]:
    """Take pending notifications for sending, so two runners never send one twice."""
    moment = clock.now()
    claimed = []
    for notification in (Notification.objects.filter(pk__in=list(ids),
                                                     email=Notification.Email.PENDING)
                         .select_related("account", "story__site", "comment__author",
                                         "comment__story")):
        if Notification.objects.filter(pk=notification.pk,
                                       email=Notification.Email.PENDING).update(
                email=Notification.Email.SENT, emailed_at=moment):
            claimed.append(notification)
    return claimed


def _release(notifications: list[Notification]) -> None:
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
        email=Notification.Email.PENDING, emailed_at=None)


def _skip(notifications: list[Notification]) -> None:
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
        email=Notification.Email.SKIPPED)


def send_notifications(*, notification_ids: list[int]) -> int:
    """Email each notification to readers who want them right away; return how many went."""
    pending = list(Notification.objects.filter(pk__in=notification_ids,
                                               email=Notification.Email.PENDING)
                   .select_related("account"))
    wanted = [n.pk for n in pending if _can_email(n.account)
              and services.preference_of(n.account) == Delivery.IMMEDIATE]
    _skip([n for n in pending if not _can_email(n.account)
           or services.preference_of(n.account) == Delivery.OFF])
    sent = 0
    for notification in _claim(wanted):
        account = notification.account
        with translation.override(account.language):
            subject, headline = describe(notification)
            message = _message(account, subject, "notify/email/notification.txt", {
                "headline": headline, "excerpt": _excerpt(notification),
                "link": comment_link(notification), "note": notification.context.get("note"),
                "kind": notification.kind,
            }, notification.story.site if notification.story else None)
        try:
            message.send(fail_silently=False)
        except Exception:
            _release([notification])
            raise
        sent += 1
    return sent


def send_digests() -> int:
    """Queue one digest for every reader with daily emails and something new."""
    account_ids = set(
        Notification.objects.filter(email=Notification.Email.PENDING,
                                    account__notification_preference__email=Delivery.DAILY)
        .values_list("account_id", flat=True)
    )
    with transaction.atomic():
        for account_id in sorted(account_ids):
            tasks.enqueue("townhall.notify.emails.send_digest", account_id=account_id,
                          max_attempts=3, backoff_seconds=300)
    return len(account_ids)


def send_digest(*, account_id: int) -> int:
    """Email one reader everything pending since their last digest; return how many items."""
    account = Account.objects.filter(pk=account_id).first()
    if account is None:
        return 0
    pending = Notification.objects.filter(account=account, email=Notification.Email.PENDING)
    if not _can_email(account) or services.preference_of(account) == Delivery.OFF:
        _skip(list(pending))
        return 0
    items = _claim(pending.values_list("pk", flat=True))
    if not items:
        return 0
    items.sort(key=lambda n: n.created_at)
    by_story: dict[str, list[dict[str, str]]] = defaultdict(list)
    with translation.override(account.language):
        for notification in items:
            _subject, headline = describe(notification)
            title = notification.story.title if notification.story else ""
            by_story[title].append({"headline": headline, "excerpt": _excerpt(notification),
                                    "link": comment_link(notification)})
        sites = {n.story.site_id: n.story.site for n in items if n.story is not None}
        site = next(iter(sites.values())) if len(sites) == 1 else None
        subject = _("Your daily digest from %(site)s: %(count)d new") % {
            "site": brand_of(site).name, "count": len(items)}
        message = _message(account, subject, "notify/email/digest.txt",
                           {"stories": dict(by_story), "count": len(items)}, site)
    try:
        message.send(fail_silently=False)
    except Exception:
        _release(items)
        raise
    return len(items)
