"""Notices of illegal content (DSA art. 16) over the API: the public form's challenge,
grounds and filing, the moderators' notices queue and decisions, and the admins' trusted
flaggers (art. 22)."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from townhall.api.accounts import ERRORS
from townhall.api.auth import AccountToken, optional_account, require_account
from townhall.api.schemas import Input
from townhall.comments.access import access_comment_for_reading
from townhall.core import proofofwork
from townhall.core.errors import Invalid
from townhall.core.ratelimit import client_address, hit
from townhall.moderation import access, selectors
from townhall.moderation.models import Notice, NoticeGround, NoticeStatus
from townhall.moderation.services import notices as notice_services

router = Router(tags=["notices"])
PURPOSE = "notice"
_LINKED = re.compile(r"[?&#](?:comment=|th-comment-)(\d{1,18})")


@router.get("/notices/challenge", response={200: dict[str, Any], **ERRORS})
def challenge(request: HttpRequest) -> dict[str, Any]:
    """A proof-of-work challenge for one notice: find a `nonce` such that SHA-256 of
    `challenge:nonce` starts with `bits` zero bits, within ten minutes."""
    return proofofwork.challenge_issue(PURPOSE)


@router.get("/notices/grounds", response={200: dict[str, Any], **ERRORS})
def grounds(request: HttpRequest, lang: str = "en") -> dict[str, Any]:
    """The grounds a notice may invoke, named in `lang` (en or fr), and those for which the
    notifier's name and email are optional."""
    with translation.override(lang if lang in ("en", "fr") else "en"):
        return {"grounds": [{"code": code, "label": str(label)}
                            for code, label in NoticeGround.choices],
                "anonymous": list(notice_services.ANONYMOUS_GROUNDS)}


class NoticeIn(Input):
    comment_id: int | None = Field(default=None, ge=1, le=2**63 - 1)
    comment_url: str = Field(default="", max_length=500)
    ground: str = Field(max_length=32)
    law: str = Field(default="", max_length=1000)
    explanation: str = Field(max_length=20_000)
    name: str = Field(default="", max_length=1000)
    email: str = Field(default="", max_length=1000)
    good_faith: bool = False
    language: str = Field(default="en", max_length=5)
    challenge: str = Field(default="", max_length=500)
    nonce: str = Field(default="", max_length=100)
    # A trusted flagger's key (art. 22) stands in for the proof of work.
    flagger_key: str = Field(default="", max_length=200)


class NoticeFiledOut(Schema):
    reference: str
    status: str
    held: bool
    trusted_flagger: bool


@router.post("/notices", response={201: NoticeFiledOut, **ERRORS})
def notice_file(request: HttpRequest, payload: NoticeIn) -> tuple[int, dict[str, Any]]:
    """File a notice that a comment is illegal (signed in or not). Name the comment by
    `comment_id` or by its link; give your name and email (optional for child sexual abuse
    material) and confirm your good faith. Answers the reference number; an acknowledgement
    is emailed."""
    comment_id = payload.comment_id
    if comment_id is None:
        linked = _LINKED.search(payload.comment_url or "")
        if linked is None:
            raise Invalid("comment_id", "required", _("Name the comment (its id or its link)."))
        comment_id = int(linked.group(1))
    if not payload.flagger_key:
        proofofwork.challenge_check(PURPOSE, payload.challenge, payload.nonce)
    account = optional_account(request)
    comment = access_comment_for_reading(comment_id, account)
    made = notice_services.notice_file(
        comment=comment, account=account, ground=payload.ground, law=payload.law,
        explanation=payload.explanation, comment_url=payload.comment_url, name=payload.name,
        email=payload.email, good_faith=payload.good_faith, language=payload.language,
        flagger_key=payload.flagger_key)
    return 201, {"reference": made.reference, "status": made.status, "held": made.held,
                 "trusted_flagger": made.trusted_flagger_id is not None}


class ComplaintIn(Input):
    email: str = Field(max_length=1000)
    message: str = Field(max_length=10_000)


@router.post("/notices/{reference}/complaint", response={200: NoticeFiledOut, **ERRORS})
def notice_complaint(request: HttpRequest, reference: str, payload: ComplaintIn
                     ) -> dict[str, Any]:
    """Contest the decision on your notice, once, within the site's appeal window: name
    the email you filed it with. Another moderator decides again and you are told."""
    hit("notice-complaint", client_address(request), limit=10, window=3600, field="email")
    made = notice_services.notice_complain(reference=reference, email=payload.email,
                                           message=payload.message)
    return {"reference": made.reference, "status": made.status, "held": made.held,
            "trusted_flagger": made.trusted_flagger_id is not None}


# --- Staff: the notices queue ---------------------------------------------------------


def _staff(request: HttpRequest) -> Any:
    return access.require_moderator(require_account(request))


def notice_out(notice: Notice, *, full: bool = False) -> dict[str, Any]:
    comment = notice.comment
    out: dict[str, Any] = {
        "id": notice.pk, "reference": notice.reference, "site": notice.site.name,
        "status": notice.status, "outcome": notice.outcome, "ground": notice.ground,
        "law": notice.law, "explanation": notice.explanation,
        "comment": None if comment is None else {
            "id": comment.pk, "status": comment.status, "body": comment.source,
            "author": comment.author.display_name, "story": comment.story.title},
        "comment_url": notice.comment_url, "held": notice.held,
        "trusted_flagger": notice.trusted_flagger.name if notice.trusted_flagger else None,
        "notifier": {"name": notice.name, "email": notice.email,
                     "signed_in": notice.account_id is not None},
        "reviewer": notice.reviewer.display_name if notice.reviewer else None,
        "manifestly_illegal": notice.manifestly_illegal,
        "manifestly_unfounded": notice.manifestly_unfounded, "reasons": notice.reasons,
        "complaint": notice.complaint, "complained_at": notice.complained_at,
        "created_at": notice.created_at, "decided_at": notice.decided_at,
    }
    if full:
        out["notes"] = [{"author": n.author.display_name if n.author else None,
                         "text": n.text, "created_at": n.created_at}
                        for n in selectors.notice_notes(notice)]
        out["history"] = [{"action": e.action, "actor": e.actor.display_name if e.actor else None,
                           "changes": e.changes, "created_at": e.created_at}
                          for e in selectors.notice_history(notice)]
    return out


class NoticesQuery(Schema):
    status: str = ""
    site: str = ""


@router.get("/moderation/notices", auth=AccountToken(),
            response={200: dict[str, Any], **ERRORS})
def notices(request: HttpRequest, query: Query[NoticesQuery]) -> dict[str, Any]:
    """Notices on your sites (open ones unless `status` says): trusted flaggers' first."""
    viewer = _staff(request)
    if query.status and query.status not in NoticeStatus.values:
        raise Invalid("status", "invalid_choice", _("Choose one of: %(choices)s.")
                      % {"choices": ", ".join(NoticeStatus.values)})
    rows = selectors.notices_queue(viewer, status=query.status, site=query.site)
    return {"notices": [notice_out(n) for n in rows],
            "counts": selectors.notice_counts(viewer)}


@router.get("/moderation/notices/{notice_id}", auth=AccountToken(),
            response={200: dict[str, Any], **ERRORS})
def notice_get(request: HttpRequest, notice_id: int) -> dict[str, Any]:
    """One notice with its notes and its history."""
    return notice_out(access.access_notice_as_moderator(notice_id, _staff(request)), full=True)


@router.post("/moderation/notices/{notice_id}/review", auth=AccountToken(),
             response={200: dict[str, Any], **ERRORS})
def notice_review(request: HttpRequest, notice_id: int) -> dict[str, Any]:
    """Take a notice in review."""
    viewer = _staff(request)
    notice = access.access_notice_as_moderator(notice_id, viewer)
    notice_services.notice_review(moderator=viewer, notice=notice)
    return notice_out(access.access_notice_as_moderator(notice_id, viewer), full=True)


class NoteIn(Input):
    text: str = Field(max_length=10_000)


@router.post("/moderation/notices/{notice_id}/notes", auth=AccountToken(),
             response={201: dict[str, Any], **ERRORS})
def notice_note(request: HttpRequest, notice_id: int, payload: NoteIn
                ) -> tuple[int, dict[str, Any]]:
    """Add an internal note to a notice."""
    viewer = _staff(request)
    notice = access.access_notice_as_moderator(notice_id, viewer)
    notice_services.notice_note_add(moderator=viewer, notice=notice, text=payload.text)
    return 201, notice_out(notice, full=True)


class NoticeDecisionIn(Input):
    outcome: str
    guideline: str = ""
    reasons: str = Field(default="", max_length=10_000)
    manifestly_illegal: bool = False
    manifestly_unfounded: bool = False


@router.post("/moderation/notices/{notice_id}/decision", auth=AccountToken(),
             response={200: dict[str, Any], **ERRORS})
def notice_decide(request: HttpRequest, notice_id: int, payload: NoticeDecisionIn
                  ) -> dict[str, Any]:
    """Decide a notice: `restrict` removes the comment (naming a guideline, `unlawful` by
    default, with reasons), `no_action` keeps it, `void` sets the notice aside. The notifier
    is told; a removal gives the author a statement of reasons."""
    viewer = _staff(request)
    notice = access.access_notice_as_moderator(notice_id, viewer)
    notice_services.notice_decide(moderator=viewer, notice=notice, outcome=payload.outcome,
                                  guideline=payload.guideline, reasons=payload.reasons,
                                  manifestly_illegal=payload.manifestly_illegal,
                                  manifestly_unfounded=payload.manifestly_unfounded)
    return notice_out(access.access_notice_as_moderator(notice_id, viewer), full=True)


# --- Admins: trusted flaggers ---------------------------------------------------------


class FlaggerIn(Input):
    name: str = Field(max_length=1000)
    contact: str = Field(max_length=1000)
    expertise: str = Field(default="", max_length=1000)


@router.post("/moderation/trusted-flaggers", auth=AccountToken(),
             response={201: dict[str, Any], **ERRORS})
def flagger_add(request: HttpRequest, payload: FlaggerIn) -> tuple[int, dict[str, Any]]:
    """Register a trusted-flagger organisation (admins): answers its key, shown once."""
    admin = access.require_admin(require_account(request))
    flagger, key = notice_services.trusted_flagger_register(
        admin=admin, name=payload.name, contact=payload.contact, expertise=payload.expertise)
    return 201, {"id": flagger.pk, "name": flagger.name, "contact": flagger.contact,
                 "expertise": flagger.expertise, "key": key}


@router.get("/moderation/trusted-flaggers", auth=AccountToken(),
            response={200: dict[str, Any], **ERRORS})
def flaggers(request: HttpRequest) -> dict[str, Any]:
    """Trusted flaggers with their notices and the median time to decide them (admins)."""
    access.require_admin(require_account(request))
    return {"flaggers": selectors.trusted_flagger_figures()}
