"""Webhooks: a site's endpoints receive signed JSON events, retried with backoff.

Each request carries `X-Townhall-Signature: t=<unix time>,v1=<hex>` where `v1` is
HMAC-SHA256(secret, f"{t}.{raw body}"); receivers recompute it and reject old timestamps.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from townhall import __version__
from townhall.comments.models import Comment
from townhall.comments.presenters import author_public
from townhall.core import clock
from townhall.core.errors import Invalid
from townhall.moderation.postconfig import post_config
from townhall.notify import tasks
from townhall.notify.models import Webhook, WebhookDelivery, WebhookEvent
from townhall.stories.models import Site, Story

ATTEMPTS = 6
BACKOFF_SECONDS = 30
TIMEOUT_SECONDS = 10
MAX_WEBHOOKS_PER_SITE = 10
RESPONSE_KEEP = 2000


class DeliveryFailed(Exception):
    """The receiver did not answer 2xx; the task layer retries."""


# Writes -----------------------------------------------------------------------------------


def validate_url(url: str) -> str:
    parts = urlsplit((url or "").strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname or len(url) > 1000:
        raise Invalid("url", "invalid_url", _("Enter a full http(s) address."))
    if parts.username or parts.password:
        raise Invalid("url", "invalid_url", _("Leave credentials out of the address."))
    return url.strip()


def validate_events(events: list[str]) -> list[str]:
    if not events:
        raise Invalid("events", "required", _("Choose at least one event."))
    unknown = [e for e in events if e not in WebhookEvent.values]
    if unknown:
        raise Invalid("events", "invalid_choice",
                      _("Choose from: %(choices)s.") % {"choices": ", ".join(WebhookEvent.values)})
    return sorted(set(events))


@transaction.atomic
def webhook_create(*, site: Site, url: str, events: list[str]) -> Webhook:
    """Register an endpoint for some of a site's events; its signing secret is generated."""
    url, events = validate_url(url), validate_events(events)
    if Webhook.objects.filter(site=site).count() >= MAX_WEBHOOKS_PER_SITE:
        raise Invalid("url", "too_many",
                      _("A site can have at most %(n)d webhooks.") % {"n": MAX_WEBHOOKS_PER_SITE})
    return Webhook.objects.create(site=site, url=url, events=events,
                                  secret="whsec_" + secrets.token_urlsafe(32))


@transaction.atomic
def webhook_update(*, webhook: Webhook, url: str | None = None, events: list[str] | None = None,
                   is_active: bool | None = None) -> Webhook:
    """Change a webhook's address, events, or pause it."""
    if url is not None:
        webhook.url = validate_url(url)
    if events is not None:
        webhook.events = validate_events(events)
    if is_active is not None:
        webhook.is_active = is_active
    webhook.save()
    return webhook


@transaction.atomic
def webhook_delete(*, webhook: Webhook) -> None:
    webhook.delete()


# Events -----------------------------------------------------------------------------------


def comment_data(comment: Comment) -> dict[str, Any]:
    story = comment.story
    return {
        "comment": {
            "id": comment.pk, "parent_id": comment.parent_id, "status": comment.status,
            "language": comment.language, "body": comment.source, "body_html": comment.body_html,
            "created_at": comment.created_at, "edited_at": comment.edited_at,
            "author": author_public(comment.author, story),
        },
        "story": story_data(story),
    }


def story_data(story: Story) -> dict[str, Any]:
    return {"external_id": story.external_id, "url": story.url, "title": story.title,
            "closes_at": story.closes_at, "is_open": story.is_open()}


def event_emit(*, site_id: int, event: str, data: dict[str, Any], dedup_key: str | None = None
               ) -> list[WebhookDelivery]:
    """Queue the event for every active webhook of the site subscribed to it (after commit)."""
    if event not in WebhookEvent.values:
        raise ValueError(f"unknown webhook event {event!r}")
    hooks = [w for w in Webhook.objects.filter(site_id=site_id, is_active=True)
             if event in w.events]
    deliveries = []
    for webhook in hooks:
        delivery = WebhookDelivery(webhook=webhook, event=event, payload={}, dedup_key=dedup_key)
        delivery.payload = json.loads(json.dumps({
            "id": str(delivery.uid), "type": event, "created_at": clock.now(),
            "site": webhook.site.name, "data": data,
        }, cls=DjangoJSONEncoder))
        try:
            with transaction.atomic():
                delivery.save()
        except IntegrityError:
            continue  # already announced under this key
        tasks.enqueue("townhall.notify.webhooks.deliver", delivery_id=delivery.pk,
                      max_attempts=ATTEMPTS, backoff_seconds=BACKOFF_SECONDS)
        deliveries.append(delivery)
    return deliveries


def site_has_webhooks(site_id: int) -> bool:
    """Read whether a site has an active webhook (kept in the posting snapshot)."""
    return Webhook.objects.filter(site_id=site_id, is_active=True).exists()


def _has_webhooks(site_id: int) -> bool:
    return bool(post_config(site_id).extras.get("has_webhooks", True))


def comment_event(comment: Comment, event: str) -> None:
    """Announce a comment event to the site's webhooks (cheap when the site has none)."""
    site_id = comment.story.site_id
    if not _has_webhooks(site_id):
        return
    event_emit(site_id=site_id, event=event, data=comment_data(comment))


def comment_reported(comment: Comment, *, reason: str = "", report_id: int | None = None
                     ) -> None:
    """Announce a reader's report of a comment (called by the reporting service)."""
    site_id = comment.story.site_id
    if not _has_webhooks(site_id):
        return
    data = comment_data(comment)
    data["report"] = {"id": report_id, "reason": reason}
    event_emit(site_id=site_id, event=WebhookEvent.COMMENT_REPORTED, data=data)


def story_closed(story: Story) -> None:
    """Announce that comments on a story are closed (once per closing time)."""
    if story.closes_at is None or story.is_open():
        return
    event_emit(site_id=story.site_id, event=WebhookEvent.STORY_CLOSED, data={
        "story": story_data(story)}, dedup_key=f"story.closed:{story.pk}:{story.closes_at:%s}")


def announce_scheduled_closings() -> int:
    """Announce stories whose scheduled closing time passed in the last day (periodic)."""
    sites = {w.site_id for w in Webhook.objects.filter(is_active=True)
             if WebhookEvent.STORY_CLOSED in w.events}
    if not sites:
        return 0
    moment = clock.now()
    count = 0
    for story in Story.objects.filter(site_id__in=sites, closes_at__lte=moment,
                                      closes_at__gt=moment - dt.timedelta(days=1)):
        with transaction.atomic():
            story_closed(story)
        count += 1
    return count


# Delivery ---------------------------------------------------------------------------------


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Return the `X-Townhall-Signature` header value for a body."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify_signature(secret: str, header: str, body: bytes, *, tolerance: int = 300,
                     now: float | None = None) -> bool:
    """Check a signature header as a receiver would (exact HMAC, recent timestamp)."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    if abs((now or time.time()) - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, fields.get("v1", ""))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _address_allowed(url: str) -> bool:
    """Refuse private, loopback and link-local receivers unless settings allow them."""
    if getattr(settings, "TOWNHALL_WEBHOOK_ALLOW_PRIVATE", False):
        return True
    host = urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return True  # the request itself will fail and be retried
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            return False
    return True


def deliver(*, delivery_id: int) -> None:
    """POST one delivery; record the answer; raise so the task layer retries on failure."""
    delivery = (WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id)
                .first())
    if delivery is None or delivery.state in {WebhookDelivery.State.DELIVERED,
                                              WebhookDelivery.State.FAILED}:
        return
    webhook = delivery.webhook
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    stamp = int(time.time())
    delivery.attempts += 1
    delivery.last_attempt_at = clock.now()
    delivery.response_status, delivery.response_body, delivery.error = None, "", ""
    started = time.monotonic()
    if not webhook.is_active:
        delivery.error = "webhook paused"
    elif not _address_allowed(webhook.url):
        delivery.error = "receiver address is private"
    else:
        # validate_url admits http(s) only.
        request = urllib.request.Request(webhook.url, data=body, method="POST", headers={  # noqa: S310
            "Content-Type": "application/json",
            "User-Agent": f"Townhall-Webhooks/{__version__}",
            "X-Townhall-Event": delivery.event,
            "X-Townhall-Delivery": str(delivery.uid),
            "X-Townhall-Signature": signature(webhook.secret, stamp, body),
        })
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
                delivery.response_status = response.status
                delivery.response_body = response.read(RESPONSE_KEEP).decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            delivery.response_status = error.code
            delivery.response_body = error.read(RESPONSE_KEEP).decode("utf-8", "replace")
        except (OSError, ValueError) as error:
            delivery.error = str(error)[:500] or type(error).__name__
    delivery.duration_ms = int((time.monotonic() - started) * 1000)
    ok = delivery.response_status is not None and 200 <= delivery.response_status < 300
    if ok:
        delivery.state, delivery.next_attempt_at = WebhookDelivery.State.DELIVERED, None
    elif delivery.attempts >= ATTEMPTS or delivery.error == "webhook paused":
        delivery.state, delivery.next_attempt_at = WebhookDelivery.State.FAILED, None
    else:
        delivery.state = WebhookDelivery.State.RETRYING
        wait = min(BACKOFF_SECONDS * 2 ** (delivery.attempts - 1),
                   int(tasks.MAX_BACKOFF.total_seconds()))
        delivery.next_attempt_at = clock.now() + dt.timedelta(seconds=wait)
    delivery.save()
    if delivery.state == WebhookDelivery.State.RETRYING:
        raise DeliveryFailed(
            f"{webhook.url} answered {delivery.response_status or delivery.error}")
