"""What the embed widget needs beyond the public API: one bootstrap read and story registration.

The bootstrap answers, in one round trip, everything the widget shows before the thread: the
story, the community policy in the reader's language, who the viewer is *on this story* (a
handle in youth communities, never the real name), whether a moderator doubts the viewer's
name and the moderators' notices the viewer has not acknowledged, the limits it enforces
client-side, and which optional endpoints this server offers, so the widget never probes for
missing ones.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from townhall.accounts.consent import terms_accepted
from townhall.api.accounts import ERRORS
from townhall.api.auth import optional_account, principal
from townhall.api.moderation import notice_out
from townhall.api.schemas import Input, StoryOut
from townhall.api.stories import story_out
from townhall.comments.presenters import author_name
from townhall.core import ratelimit
from townhall.core.errors import Invalid, PermissionDenied
from townhall.moderation.selectors import notices_for
from townhall.notify.selectors import unread_count
from townhall.stories import selectors, services
from townhall.stories.models import Language, Site, Story

router = Router(tags=["embed"])

# Optional endpoints other parts of Townhall may offer; the widget uses each only when present.
OPTIONAL_FEATURES = {
    "events": ("GET", "/api/v1/sites/{site}/stories/{story}/events"),
    "check": ("POST", "/api/v1/sites/{site}/stories/{story}/comments/check"),
    "guidelines": ("GET", "/api/v1/sites/{site}/guidelines"),
    "reports": ("POST", "/api/v1/comments/0/reports"),
    "sso": ("POST", "/api/v1/sso/{site}"),
}


class PolicyEmbedOut(Schema):
    language: str
    version: int
    texts: dict[str, Any]


class NoticeOut(Schema):
    id: int
    kind: str = Field(description="warn | suspend | ban")
    message: str
    guideline: str
    site: str | None = Field(description="null: every site")
    ends_at: dt.datetime | None
    created_at: dt.datetime


class ViewerOut(Schema):
    id: int
    display_name: str = Field(description="The name shown on this story (a handle in youth "
                                          "communities)")
    email_verified: bool
    name_status: str = Field(description="ok | flagged (a moderator doubts the name: confirm "
                                         "or change it, `POST /me/name/confirm` or `PATCH /me`)"
                                         " | confirmed")
    terms_accepted: bool = Field(description="Whether the viewer accepted this version of the "
                                             "policy: if so, the widget does not ask again")
    notices: list[NoticeOut] = Field(description="Warnings and sanctions for this site (or every "
                                                 "site) not acknowledged yet: `POST "
                                                 "/me/notices/{id}/seen`")
    unread_notifications: int = Field(default=0, description="The notification bell's count: "
                                                             "`GET /me/notifications`")


class LimitsOut(Schema):
    max_comment_length: int
    edit_window_seconds: int


class EmbedOut(Schema):
    story: StoryOut | None = Field(description="null: the site does not know this story yet")
    registrable: bool = Field(description="Whether the widget may register a missing story")
    policy: PolicyEmbedOut | None
    viewer: ViewerOut | None
    limits: LimitsOut | None
    features: dict[str, bool]


class RegisterIn(Input):
    url: str | None = Field(default=None, max_length=1000)
    title: str | None = Field(default=None, max_length=500)
    language: str | None = None
    signature: str | None = Field(default=None, max_length=128, description=(
        "The page's `data-signature`: HMAC-SHA256 of `<site>:<external_id>` with the site's "
        "embed secret (docs/integrate.md). Not needed with the site's API key."))


def _route_exists(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def available_features(site: Site, story: Story) -> dict[str, bool]:
    """Return which optional endpoints this server has, for the widget to use or skip."""
    return {
        name: _route_exists(path.format(site=site.name, story=story.external_id))
        for name, (_method, path) in OPTIONAL_FEATURES.items()
    }


@router.get("/sites/{site}/stories/{external_id}/embed", response={200: EmbedOut, **ERRORS})
def embed_bootstrap(request: HttpRequest, site: str, external_id: str,
                    lang: str | None = None) -> dict[str, Any]:
    """Return what the widget shows first: story, policy, the viewer on this story, features."""
    found = selectors.site_get(site)
    story = Story.objects.filter(site=found, external_id=external_id).first()
    if story is None:
        # Not a 404: a story the widget is about to register is a normal first visit.
        return {"story": None, "registrable": found.auto_register_stories, "policy": None,
                "viewer": None, "limits": None, "features": {}}
    story.site = found
    language = lang or story.language
    if language not in Language.values:
        raise Invalid("lang", "invalid_choice", _("Choose en or fr."))
    policy = selectors.policy_current(found, language)
    viewer = optional_account(request)
    return {
        "story": story_out(story),
        "registrable": False,
        "policy": {"language": language, "version": policy.version, "texts": policy.texts},
        "viewer": None if viewer is None else {
            "id": viewer.pk,
            "display_name": author_name(viewer, story),
            "email_verified": viewer.email_verified,
            "name_status": viewer.name_status,
            "terms_accepted": terms_accepted(viewer, policy),
            "notices": [notice_out(n, viewer.language) for n in notices_for(viewer)
                        if n.site_id in (None, found.pk)],
            "unread_notifications": unread_count(viewer),
        },
        "limits": {"max_comment_length": found.max_comment_length,
                   "edit_window_seconds": settings.TOWNHALL_EDIT_WINDOW_SECONDS},
        "features": available_features(found, story),
    }


def _origin_of(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return None
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}"


@router.post("/sites/{site}/stories/{external_id}/register",
             response={200: StoryOut, 201: StoryOut, **ERRORS})
def story_register(request: HttpRequest, site: str, external_id: str, payload: RegisterIn
                   ) -> tuple[int, dict[str, Any]]:
    """Register a story the widget found on a publisher's page.

    Only a site that turned on `auto_register_stories` accepts this, only to create a missing
    story (an existing story is returned unchanged), and only from a page the publisher
    vouched for: one of its origins *and* the story's signature from the embed tag, since
    anyone can send an `Origin` header. The site's API key is enough on its own.
    """
    found = selectors.site_get(site)
    by_key = principal(request).site == found
    origin = request.headers.get("Origin", "")
    if not by_key and (not origin or _origin_of(origin) not in set(found.origins)):
        raise PermissionDenied(_("Stories can only be registered from the site's own pages."),
                               code="origin_not_allowed")
    if not found.auto_register_stories:
        raise PermissionDenied(_("This site registers its stories itself."),
                               code="auto_register_off")
    if not by_key and not services.story_signature_valid(
            site=found, external_id=external_id, signature=payload.signature or ""):
        raise PermissionDenied(_("This page does not carry the story's signature."),
                               code="signature_required", field="signature")
    existing = Story.objects.filter(site=found, external_id=external_id).first()
    if existing is not None:
        existing.site = found
        return 200, story_out(existing)
    fields: dict[str, Any] = {}
    if payload.url:
        if _origin_of(payload.url) not in set(found.origins):
            raise Invalid("url", "foreign_url",
                          _("The story's address must be on one of the site's origins."))
        fields["url"] = payload.url
    if payload.title:
        fields["title"] = payload.title.strip()[:500]
    if payload.language is not None:
        if payload.language not in Language.values:
            raise Invalid("language", "invalid_choice", _("Choose en or fr."))
        fields["language"] = payload.language
    ratelimit.hit("story-register", f"{found.pk}:{ratelimit.client_address(request)}",
                  limit=30, window=3600)
    story, created = services.story_upsert(site=found, external_id=external_id, **fields)
    return (201 if created else 200), story_out(story)
