"""Notifications, follows, mutes and webhooks."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from townhall.accounts.services import account_get
from townhall.api.accounts import ERRORS
from townhall.api.auth import AccountToken, SiteKeyOrStaff, require_account
from townhall.api.schemas import Input
from townhall.api.stories import access_site_as_editor
from townhall.comments.access import access_comment_for_reading
from townhall.core.errors import NotAuthenticated
from townhall.core.tokens import bearer_token
from townhall.live import tickets
from townhall.notify import selectors, services, webhooks
from townhall.notify.access import access_webhook
from townhall.notify.emails import comment_link, describe
from townhall.notify.models import Webhook, WebhookDelivery
from townhall.stories import selectors as story_selectors

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    comment_id: int | None
    story_title: str
    link: str
    created_at: Any
    read: bool


class NotificationsOut(Schema):
    unread_count: int
    notifications: list[NotificationOut]


class ReadIn(Input):
    ids: list[int] | None = Field(default=None, max_length=500)


class ReadOut(Schema):
    marked: int
    unread_count: int


class PreferenceIn(Input):
    email: str


class PreferenceOut(Schema):
    email: str


class MutedOut(Schema):
    id: int
    display_name: str = Field(description="The name on the account's comments; empty for an "
                                          "account seen only under a youth nickname")


class MutesOut(Schema):
    muted_author_ids: list[int]
    accounts: list[MutedOut]


class FollowedStoryOut(Schema):
    site: str
    external_id: str
    title: str
    url: str


class FollowsOut(Schema):
    stories: list[FollowedStoryOut]


class TicketOut(Schema):
    ticket: str
    events_url: str


class MuteOut(Schema):
    account_id: int
    muted: bool


class FollowOut(Schema):
    following: bool


class StoryFollowsOut(Schema):
    following: bool
    comment_ids: list[int]


class WebhookIn(Input):
    url: str = Field(max_length=1000)
    events: list[str] = Field(max_length=10)


class WebhookPatchIn(Input):
    url: str | None = Field(default=None, max_length=1000)
    events: list[str] | None = Field(default=None, max_length=10)
    is_active: bool | None = None


class WebhookOut(Schema):
    id: int
    url: str
    events: list[str]
    is_active: bool
    created_at: Any


class WebhookCreatedOut(WebhookOut):
    secret: str


class DeliveryOut(Schema):
    id: str
    event: str
    state: str
    attempts: int
    response_status: int | None
    response_body: str
    error: str
    duration_ms: int | None
    created_at: Any
    last_attempt_at: Any
    next_attempt_at: Any
    payload: dict[str, Any]


# Notifications ----------------------------------------------------------------------------


@router.get("/me/notifications", response={200: NotificationsOut, **ERRORS},
            auth=AccountToken())
def notifications(request: HttpRequest, limit: int = 20) -> dict[str, Any]:
    """The unread count (for the widget's badge) and your latest notifications."""
    account = require_account(request)
    rows = selectors.notifications_of(account, limit=limit)
    return {
        "unread_count": selectors.unread_count(account),
        "notifications": [{
            "id": n.pk, "kind": n.kind, "title": describe(n)[0], "comment_id": n.comment_id,
            "story_title": n.story.title if n.story else "", "link": comment_link(n),
            "created_at": n.created_at, "read": n.read_at is not None,
        } for n in rows],
    }


@router.post("/me/events/ticket", response={201: TicketOut, **ERRORS}, auth=AccountToken())
def events_ticket(request: HttpRequest) -> tuple[int, dict[str, Any]]:
    """A ticket to your own event stream, `GET /api/v1/me/events?ticket=…` (EventSource
    sends no Authorization header). It opens that stream only, and only while this session
    lasts; the stream says `notification.created` and `notification.read`."""
    require_account(request)
    ticket = tickets.ticket_for(bearer_token(request))
    if ticket is None:
        raise NotAuthenticated()
    return 201, {"ticket": ticket,
                 "events_url": f"/api/v1/me/events?{urlencode({'ticket': ticket})}"}


@router.post("/me/notifications/read", response={200: ReadOut, **ERRORS}, auth=AccountToken())
def notifications_read(request: HttpRequest, payload: ReadIn) -> dict[str, Any]:
    """Mark notifications read: the given `ids`, or all of them when `ids` is left out."""
    account = require_account(request)
    marked = services.notifications_mark_read(account=account, ids=payload.ids)
    return {"marked": marked, "unread_count": selectors.unread_count(account)}


@router.get("/me/notification-settings", response={200: PreferenceOut, **ERRORS},
            auth=AccountToken())
def preference_get(request: HttpRequest) -> dict[str, Any]:
    """How notification emails arrive: `immediate`, `daily` (digest) or `off`."""
    return {"email": services.preference_of(require_account(request))}


@router.put("/me/notification-settings", response={200: PreferenceOut, **ERRORS},
            auth=AccountToken())
def preference_put(request: HttpRequest, payload: PreferenceIn) -> dict[str, Any]:
    """Choose how notification emails arrive: `immediate`, `daily` or `off`."""
    account = require_account(request)
    return {"email": services.preference_set(account=account, email=payload.email)}


# Mutes ------------------------------------------------------------------------------------


@router.get("/me/mutes", response={200: MutesOut, **ERRORS}, auth=AccountToken())
def mutes(request: HttpRequest) -> dict[str, Any]:
    """The accounts whose comments are collapsed for you, with the names on their comments."""
    rows = selectors.muted_accounts(require_account(request))
    return {"muted_author_ids": [i for i, _name in rows],
            "accounts": [{"id": i, "display_name": name} for i, name in rows]}


@router.post("/accounts/{account_id}/mute", response={200: MuteOut, **ERRORS},
             auth=AccountToken())
def mute(request: HttpRequest, account_id: int) -> dict[str, Any]:
    """Mute an account: its comments are collapsed for you everywhere."""
    account = require_account(request)
    services.mute_add(account=account, muted=account_get(account_id))
    return {"account_id": account_id, "muted": True}


@router.delete("/accounts/{account_id}/mute", response={200: MuteOut, **ERRORS},
               auth=AccountToken())
def unmute(request: HttpRequest, account_id: int) -> dict[str, Any]:
    """Show an account's comments again."""
    account = require_account(request)
    services.mute_remove(account=account, muted=account_get(account_id))
    return {"account_id": account_id, "muted": False}


# Follows ----------------------------------------------------------------------------------


@router.post("/comments/{comment_id}/follow", response={200: FollowOut, **ERRORS},
             auth=AccountToken())
def follow_comment(request: HttpRequest, comment_id: int) -> dict[str, Any]:
    """Follow a conversation: hear about every reply under this comment."""
    account = require_account(request)
    comment = access_comment_for_reading(comment_id, account)
    services.follow_add(account=account, story=comment.story, comment=comment)
    return {"following": True}


@router.delete("/comments/{comment_id}/follow", response={200: FollowOut, **ERRORS},
               auth=AccountToken())
def unfollow_comment(request: HttpRequest, comment_id: int) -> dict[str, Any]:
    """Stop following a conversation (your own comments included)."""
    account = require_account(request)
    comment = access_comment_for_reading(comment_id, account)
    services.follow_remove(account=account, story=comment.story, comment=comment)
    return {"following": False}


@router.get("/me/follows", response={200: FollowsOut, **ERRORS}, auth=AccountToken())
def follows(request: HttpRequest) -> dict[str, Any]:
    """The stories you follow (you hear about every new comment on them)."""
    stories = selectors.followed_stories(require_account(request))
    return {"stories": [{"site": s.site.name, "external_id": s.external_id, "title": s.title,
                         "url": s.url} for s in stories]}


@router.get("/sites/{site}/stories/{external_id}/follow",
            response={200: StoryFollowsOut, **ERRORS}, auth=AccountToken())
def story_follows(request: HttpRequest, site: str, external_id: str) -> dict[str, Any]:
    """Whether you follow the story, and which of its conversations you follow."""
    account = require_account(request)
    story = story_selectors.story_get(story_selectors.site_get(site), external_id)
    following, comment_ids = selectors.follows_on(account, story)
    return {"following": following, "comment_ids": comment_ids}


@router.post("/sites/{site}/stories/{external_id}/follow", response={200: FollowOut, **ERRORS},
             auth=AccountToken())
def follow_story(request: HttpRequest, site: str, external_id: str) -> dict[str, Any]:
    """Follow a story: hear about every new comment on it."""
    account = require_account(request)
    story = story_selectors.story_get(story_selectors.site_get(site), external_id)
    services.follow_add(account=account, story=story)
    return {"following": True}


@router.delete("/sites/{site}/stories/{external_id}/follow",
               response={200: FollowOut, **ERRORS}, auth=AccountToken())
def unfollow_story(request: HttpRequest, site: str, external_id: str) -> dict[str, Any]:
    """Stop following a story."""
    account = require_account(request)
    story = story_selectors.story_get(story_selectors.site_get(site), external_id)
    services.follow_remove(account=account, story=story)
    return {"following": False}


# Webhooks ---------------------------------------------------------------------------------


def webhook_out(webhook: Webhook, *, secret: bool = False) -> dict[str, Any]:
    out = {"id": webhook.pk, "url": webhook.url, "events": webhook.events,
           "is_active": webhook.is_active, "created_at": webhook.created_at}
    if secret:
        out["secret"] = webhook.secret
    return out


def delivery_out(delivery: WebhookDelivery) -> dict[str, Any]:
    return {
        "id": str(delivery.uid), "event": delivery.event, "state": delivery.state,
        "attempts": delivery.attempts, "response_status": delivery.response_status,
        "response_body": delivery.response_body, "error": delivery.error,
        "duration_ms": delivery.duration_ms, "created_at": delivery.created_at,
        "last_attempt_at": delivery.last_attempt_at,
        "next_attempt_at": delivery.next_attempt_at, "payload": delivery.payload,
    }


@router.post("/sites/{site}/webhooks", response={201: WebhookCreatedOut, **ERRORS},
             auth=SiteKeyOrStaff(), tags=["webhooks"])
def webhook_create(request: HttpRequest, site: str, payload: WebhookIn
                   ) -> tuple[int, dict[str, Any]]:
    """Register an endpoint for events; the answer holds its signing secret (shown once)."""
    found = access_site_as_editor(request, site)
    webhook = webhooks.webhook_create(site=found, url=payload.url, events=payload.events)
    return 201, webhook_out(webhook, secret=True)


@router.get("/sites/{site}/webhooks", response={200: list[WebhookOut], **ERRORS},
            auth=SiteKeyOrStaff(), tags=["webhooks"])
def webhook_list(request: HttpRequest, site: str) -> list[dict[str, Any]]:
    """The site's webhooks."""
    found = access_site_as_editor(request, site)
    return [webhook_out(w) for w in Webhook.objects.filter(site=found)]


@router.patch("/sites/{site}/webhooks/{webhook_id}", response={200: WebhookOut, **ERRORS},
              auth=SiteKeyOrStaff(), tags=["webhooks"])
def webhook_patch(request: HttpRequest, site: str, webhook_id: int, payload: WebhookPatchIn
                  ) -> dict[str, Any]:
    """Change a webhook's address or events, or pause it (`is_active: false`)."""
    webhook = access_webhook(access_site_as_editor(request, site), webhook_id)
    fields = payload.model_dump(exclude_unset=True)
    return webhook_out(webhooks.webhook_update(webhook=webhook, **fields))


@router.delete("/sites/{site}/webhooks/{webhook_id}", response={204: None, **ERRORS},
               auth=SiteKeyOrStaff(), tags=["webhooks"])
def webhook_delete(request: HttpRequest, site: str, webhook_id: int) -> tuple[int, None]:
    """Remove a webhook and its delivery log."""
    webhook = access_webhook(access_site_as_editor(request, site), webhook_id)
    webhooks.webhook_delete(webhook=webhook)
    return 204, None


@router.get("/sites/{site}/webhooks/{webhook_id}/deliveries",
            response={200: list[DeliveryOut], **ERRORS}, auth=SiteKeyOrStaff(),
            tags=["webhooks"])
def webhook_deliveries(request: HttpRequest, site: str, webhook_id: int, limit: int = 50
                       ) -> list[dict[str, Any]]:
    """The latest deliveries, newest first, with the receiver's answers."""
    webhook = access_webhook(access_site_as_editor(request, site), webhook_id)
    return [delivery_out(d) for d in selectors.deliveries_of(webhook, limit=limit)]
