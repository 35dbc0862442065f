"""Stories, their threads, counts and the community policy."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from townhall.accounts import access
from townhall.accounts.models import Account
from townhall.api.accounts import ERRORS
from townhall.api.auth import (
    AccountToken,
    SiteKeyOrStaff,
    bearer_token,
    optional_account,
    principal,
    require_account,
)
from townhall.api.schemas import (
    CommentCreatedOut,
    CommentIn,
    CountsOut,
    PolicyOut,
    StoryIn,
    StoryOut,
    StoryPatchIn,
    ThreadOut,
)
from townhall.comments import selectors as comment_selectors
from townhall.comments.presenters import comment_public
from townhall.core import clock
from townhall.core.errors import Invalid
from townhall.moderation import posting
from townhall.moderation import presenters as moderation_presenters
from townhall.moderation import selectors as moderation_selectors
from townhall.moderation import services as moderation_services
from townhall.moderation import statements as moderation_statements
from townhall.moderation.guidelines import localized
from townhall.moderation.services.stories import UNCHANGED
from townhall.notify.selectors import muted_ids
from townhall.pagecache import readcache
from townhall.stories import selectors, services
from townhall.stories.models import Site, Story

router = Router(tags=["stories"])


def story_out(story: Story) -> dict[str, Any]:
    return {
        "site": story.site.name, "external_id": story.external_id, "url": story.url,
        "title": story.title, "language": story.language, "community": story.community,
        "moderation_mode": story.moderation_mode, "closes_at": story.closes_at,
        "is_open": story.is_open(), "comment_count": story.comment_count,
    }


def access_site_as_editor(request: HttpRequest, site_name: str) -> Site:
    """Return the site if the caller holds its API key or is staff for it."""
    found = principal(request)
    return access.access_site_as_editor(site_name, key_site=found.site, account=found.account)


@router.put("/sites/{site}/stories/{external_id}",
            response={200: StoryOut, 201: StoryOut, **ERRORS}, auth=SiteKeyOrStaff())
def story_put(request: HttpRequest, site: str, external_id: str, payload: StoryIn
              ) -> tuple[int, dict[str, Any]]:
    """Create or update a story (site key or staff)."""
    found = access_site_as_editor(request, site)
    fields = payload.model_dump(exclude_unset=True)
    story, created = services.story_upsert(site=found, external_id=external_id, **fields)
    return (201 if created else 200), story_out(story)


@router.get("/sites/{site}/stories/{external_id}", response={200: StoryOut, **ERRORS})
def story_get(request: HttpRequest, site: str, external_id: str) -> dict[str, Any]:
    """Read a story's settings and state."""
    return story_out(selectors.story_get(selectors.site_get(site), external_id))


@router.patch("/sites/{site}/stories/{external_id}", response={200: StoryOut, **ERRORS},
              auth=SiteKeyOrStaff())
def story_patch(request: HttpRequest, site: str, external_id: str, payload: StoryPatchIn
                ) -> dict[str, Any]:
    """Close now (`action: close`), reopen (`action: reopen`), schedule (`closes_at`), or edit."""
    found = access_site_as_editor(request, site)
    story = selectors.story_get(found, external_id)
    fields = payload.model_dump(exclude_unset=True)
    action = fields.pop("action", None)
    if action not in (None, "close", "reopen"):
        raise Invalid("action", "invalid_choice", _("Choose close or reopen."))
    if action and "closes_at" in fields:
        raise Invalid("closes_at", "conflicting",
                      _("Give either an action or a closing time, not both."))
    closing = fields.pop("closes_at", UNCHANGED)
    if action == "close":
        closing = clock.now()
    elif action == "reopen":
        closing = None
    story = moderation_services.story_change(story=story, actor=principal(request).account,
                                             closes_at=closing, **fields)
    return story_out(story)


class ThreadQuery(Schema):
    sort: str = "newest"
    cursor: str | None = None
    limit: int = comment_selectors.DEFAULT_LIMIT
    # A permalink: answer the conversation around this comment instead of a page.
    comment: int | None = Field(default=None, ge=1, le=2**62)


@router.get("/sites/{site}/stories/{external_id}/comments", response={200: ThreadOut, **ERRORS})
def thread(request: HttpRequest, site: str, external_id: str, query: Query[ThreadQuery]
           ) -> Any:
    """Read the published thread; a signed-in author also gets their own pending comments.

    Without an Authorization header the answer is the shared page, cached per story version,
    with an ETag; signed-in readers get their own pending comments and likes from `/me`.
    """
    story = selectors.story_get(selectors.site_get(site), external_id)
    viewer = optional_account(request)
    if viewer is None and not bearer_token(request):
        return readcache.shared_response(
            request, kind="thread", deps=[(story.pk, story.version)],
            key=(query.sort, query.cursor or "", query.limit, query.comment or 0),
            language=story.language,
            closes_at=story.closes_at,
            render=lambda: readcache.render_json(ThreadOut, thread_data(story, query, None)),
        )
    return thread_data(story, query, viewer)


def thread_data(story: Story, query: ThreadQuery, viewer: Account | None) -> dict[str, Any]:
    linked = None
    if query.comment is not None:
        around = comment_selectors.thread_around(story, query.comment)
        page = around.page
        linked = {"id": around.comment_id, "state": around.state}
    else:
        page = comment_selectors.thread_page(story, sort=query.sort, cursor=query.cursor,
                                             limit=query.limit)
    every = [c.pk for c in page.comments] + [r.pk for rs in page.replies.values() for r in rs]
    liked = comment_selectors.liked_ids(viewer, every) if viewer else set()
    reported = moderation_selectors.reported_ids(viewer, every) if viewer else set()
    muted = muted_ids(viewer)
    comments = []
    for comment in page.comments:
        item = comment_public(comment, story, viewer=viewer, liked=comment.pk in liked)
        item["muted"] = comment.author_id in muted
        item["reported"] = comment.pk in reported
        item["replies"] = [
            {**comment_public(r, story, viewer=viewer, liked=r.pk in liked),
             "muted": r.author_id in muted, "reported": r.pk in reported}
            for r in page.replies.get(comment.pk, [])
        ]
        comments.append(item)
    pending = comment_selectors.pending_of(story, viewer) if viewer else []
    return {
        "story": story_out(story), "sort": query.sort, "comments": comments,
        "next_cursor": page.next_cursor,
        "my_pending": [comment_public(c, story, viewer=viewer) for c in pending],
        "my_rejected": rejected_out(story, viewer) if viewer else [],
        "linked": linked,
    }


def rejected_out(story: Story, viewer: Account) -> list[dict[str, Any]]:
    """The viewer's rejected comments on the story: why (in the story's language), and
    whether and until when they may appeal."""
    rows = moderation_selectors.rejected_of(story, viewer)
    if not rows:
        return []
    rejections = moderation_selectors.rejection_notes([c.pk for c in rows])
    titles = {i["code"]: localized(i, story.language)["title"]
              for i in moderation_selectors.guidelines_current(story.site).items}
    for comment in rows:
        comment.story = story
    reasons = moderation_statements.statements_for(
        rows, language=viewer.language if viewer.language in ("en", "fr") else "en")
    days = moderation_selectors.appeal_days_by_site([story.site_id])[story.site_id]
    now = clock.now()
    out = []
    for comment in rows:
        rejection = rejections.get(comment.pk)
        appeal = getattr(comment, "appeal", None)
        until = moderation_services.appeal_deadline(rejection, days=days)
        out.append({
            **comment_public(comment, story, viewer=viewer),
            # The author reads their own words, which nobody else sees any more.
            "body": comment.source, "body_html": comment.body_html,
            **moderation_presenters.rejection_for_author(comment, rejection, titles),
            "appeal": moderation_presenters.appeal_for_author(appeal),
            "can_appeal": appeal is None and (until is None or now <= until),
            "appeal_until": until,
            "statement": reasons[comment.pk].as_dict() if comment.pk in reasons else None,
        })
    return out


@router.post("/sites/{site}/stories/{external_id}/comments",
             response={201: CommentCreatedOut, 200: CommentCreatedOut, **ERRORS},
             auth=AccountToken())
def comment_post(request: HttpRequest, site: str, external_id: str, payload: CommentIn
                 ) -> tuple[int, dict[str, Any]]:
    """Post a comment or reply; the answer says whether it is published or pending."""
    account = require_account(request)
    story = selectors.story_of_site(site, external_id)
    key = request.headers.get("Idempotency-Key") or None
    if key is not None and len(key) > 100:
        raise Invalid("Idempotency-Key", "too_long", _("Use at most 100 characters."))
    comment, verdict = posting.comment_create(
        account=account, story=story, body=payload.body, parent_id=payload.parent_id,
        accept_terms=payload.accept_terms, idempotency_key=key,
        review_requested=payload.review_requested,
    )
    out = comment_public(comment, story, viewer=account)
    out["guidelines"] = verdict.guidelines if verdict else []
    out["story_id"] = story.pk
    return (201 if verdict is not None else 200), out


@router.get("/sites/{site}/counts", response={200: CountsOut, **ERRORS})
def counts(request: HttpRequest, site: str, ids: str) -> Any:
    """Return published comment counts for up to 100 stories: `?ids=a,b,c`."""
    wanted = [i.strip() for i in ids.split(",") if i.strip()]
    if not wanted or len(wanted) > 100:
        raise Invalid("ids", "out_of_range", _("Give from 1 to 100 story ids."))
    found = selectors.site_get(site)
    if bearer_token(request):
        return {"counts": selectors.story_counts(found, wanted)}
    rows = Story.objects.filter(site=found, external_id__in=wanted).values_list(
        "external_id", "pk", "version", "comment_count")
    known = {external: (pk, version, count) for external, pk, version, count in rows}
    every = dict.fromkeys(wanted)
    # Unknown ids count 0 but have no version to file the page under: Django answers them.
    deps = [(pk, version) for pk, version, _count in known.values()]
    return readcache.shared_response(
        request, kind="counts", deps=deps if len(known) == len(every) else [],
        key=(found.pk, *every), language=found.default_language,
        render=lambda: readcache.render_json(
            CountsOut, {"counts": {i: known[i][2] if i in known else 0 for i in every}}),
    )


@router.get("/sites/{site}/policy", response={200: PolicyOut, **ERRORS})
def policy(request: HttpRequest, site: str, lang: str | None = None) -> dict[str, Any]:
    """Return the community policy texts in a language (default: the site's)."""
    found = selectors.site_get(site)
    language = lang or found.default_language
    if language not in {"en", "fr"}:
        raise Invalid("lang", "invalid_choice", _("Choose en or fr."))
    row = selectors.policy_current(found, language)
    return {"site": found.name, "language": language, "version": row.version, "texts": row.texts}


