"""Notices of illegal content (DSA art. 16) and their decisions, and trusted flaggers
(art. 22).

Anyone files a notice (signed in or not, rate-limited, with a proof of work); the notifier
gets a reference and an acknowledgement at once and the outcome later. Moderators take it
in review, add notes and decide: removing the comment goes through `comment_decide`, so the
author's statement of reasons, undo and appeal are the ordinary ones; the notice keeps the
decision it led to. Every step is in the audit log.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from townhall.accounts.audit import audit_record
from townhall.accounts.models import Account
from townhall.comments.models import Comment, Status
from townhall.core import clock, ratelimit, tokens
from townhall.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from townhall.moderation.models import (
    Notice,
    NoticeGround,
    NoticeNote,
    NoticeOutcome,
    NoticeStatus,
    Source,
    TrustedFlagger,
)
from townhall.moderation.selectors import appeal_days_by_site, guideline_codes, site_settings
from townhall.moderation.services import misuse
from townhall.moderation.services.decisions import comment_decide, email_address_after_commit
from townhall.moderation.transitions import comment_transition

# Grounds for which a notifier need not give a name and email (DSA art. 16(2)(c)).
ANONYMOUS_GROUNDS = (NoticeGround.CHILD_ABUSE,)
NOTICE_OUTCOMES = ("restrict", "no_action", "void")
# The guideline a removal on a notice names when the moderator names none.
UNLAWFUL = "unlawful"
_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _reference() -> str:
    return "N-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(10))


def _text(value: str, field: str, *, required: bool, limit: int) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Invalid(field, "required", _("This field is required."))
    if len(value) > limit:
        raise Invalid(field, "too_long", _("Use at most %(limit)d characters.")
                      % {"limit": limit})
    return value


def _flagger(key: str) -> TrustedFlagger | None:
    if not key:
        return None
    found = TrustedFlagger.objects.filter(key_digest=tokens.digest(key), active=True).first()
    if found is None:
        raise Invalid("flagger_key", "unknown_flagger", _("This trusted-flagger key is not "
                                                          "valid."))
    return found


def _notice_email(notice: Notice, template: str, **context: Any) -> None:
    if not notice.email:
        return
    email_address_after_commit(
        address=notice.email, language=notice.language, template=template,
        context={"notice": notice, "ground": NoticeGround(notice.ground).label, **context},
        site=notice.site)


@transaction.atomic
def notice_file(*, comment: Comment, account: Account | None, ground: str, law: str,
                explanation: str, comment_url: str = "", name: str = "", email: str = "",
                good_faith: bool, language: str = "en", flagger_key: str = "") -> Notice:
    """File a notice that a published comment is illegal; acknowledge it by email; hold the
    comment when its site so chooses."""
    if ground not in NoticeGround.values:
        raise Invalid("ground", "invalid_choice", _("Choose one of: %(choices)s.")
                      % {"choices": ", ".join(NoticeGround.values)})
    law = _text(law, "law", required=False, limit=300)
    explanation = _text(explanation, "explanation", required=True, limit=5000)
    if len(explanation) < 10:
        raise Invalid("explanation", "too_short",
                      _("Explain why the comment is illegal (at least 10 characters)."))
    comment_url = _text(comment_url, "comment_url", required=False, limit=500)
    if comment_url:
        try:
            URLValidator(schemes=["http", "https"])(comment_url)
        except ValidationError:
            raise Invalid("comment_url", "invalid", _("Give the comment's link.")) from None
    flagger = _flagger(flagger_key)
    needs_identity = ground not in ANONYMOUS_GROUNDS and flagger is None
    name = _text(name or (account.display_name if account else ""), "name",
                 required=needs_identity, limit=200)
    email = _text(email or (account.email if account else ""), "email",
                  required=needs_identity, limit=254).lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise Invalid("email", "invalid", _("Enter a valid email address.")) from None
    misuse.notifier_check(email=email, account=account)
    if good_faith is not True:
        raise Invalid("good_faith", "required", _("Confirm that you believe in good faith "
                                                  "that the information is accurate."))
    site = comment.story.site
    ratelimit.guard("notice", account=account.pk if account else None, site=site,
                    field="explanation")
    notice = Notice.objects.create(
        reference=_reference(), site=site, comment=comment, ground=ground, law=law,
        explanation=explanation, comment_url=comment_url, name=name if not flagger else "",
        email=email, language=language if language in ("en", "fr") else "en",
        account=account, trusted_flagger=flagger,
    )
    if site_settings(site).hold_on_notice and comment.status == Status.PUBLISHED:
        locked = Comment.objects.select_for_update().select_related("story").get(pk=comment.pk)
        comment_transition(locked, Status.PENDING, source=Source.SYSTEM, rule="notice_hold",
                           note=notice.reference)
        Notice.objects.filter(pk=notice.pk).update(held=True)
        notice.held = True
    audit_record("notice.receive", actor=account, site=site, comment=comment, changes={
        "reference": notice.reference, "ground": ground, "held": notice.held,
        "trusted_flagger": flagger.name if flagger else None})
    _notice_email(notice, "notice_received")
    return notice


@transaction.atomic
def notice_review(*, moderator: Account, notice: Notice) -> Notice:
    """Take a received notice in review (the moderator becomes its reviewer)."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.status not in (NoticeStatus.RECEIVED, NoticeStatus.IN_REVIEW):
        raise Conflict("already_decided", _("This notice has already been decided."), "id")
    if notice.status == NoticeStatus.RECEIVED or notice.reviewer_id != moderator.pk:
        notice.status, notice.reviewer = NoticeStatus.IN_REVIEW, moderator
        notice.save(update_fields=["status", "reviewer"])
        audit_record("notice.review", actor=moderator, site=notice.site,
                     comment=notice.comment, changes={"reference": notice.reference})
    return notice


@transaction.atomic
def notice_note_add(*, moderator: Account, notice: Notice, text: str) -> NoticeNote:
    """Add an internal note to a notice."""
    text = _text(text, "text", required=True, limit=2000)
    note = NoticeNote.objects.create(notice=notice, author=moderator, text=text)
    audit_record("notice.note", actor=moderator, site=notice.site, comment=notice.comment,
                 changes={"reference": notice.reference, "note": text[:300]})
    return note


@transaction.atomic
def notice_decide(*, moderator: Account, notice: Notice, outcome: str, guideline: str = "",
                  reasons: str = "", manifestly_illegal: bool = False,
                  manifestly_unfounded: bool = False) -> Notice:
    """Decide a notice: remove the comment (`restrict`), keep it (`no_action`) or set the
    notice aside (`void`: a duplicate, no comment, not a notice); tell the notifier.

    A removal marked manifestly illegal counts against the author, a kept or set-aside notice
    marked manifestly unfounded against the notifier (`misuse`, DSA art. 23)."""
    if outcome not in NOTICE_OUTCOMES:
        raise Invalid("outcome", "invalid_choice", _("Choose restrict, no_action or void."))
    reasons = _text(reasons, "reasons", required=outcome == "restrict", limit=2000)
    # Lock the notice row alone: PostgreSQL refuses FOR UPDATE on the nullable side of the
    # outer join to its comment (a notice outlives an erased comment).
    notice = (Notice.objects.select_for_update(of=("self",))
              .select_related("site", "comment__story__site").get(pk=notice.pk))
    if notice.status in (NoticeStatus.DECIDED, NoticeStatus.VOID):
        raise Conflict("already_decided", _("This notice has already been decided."), "id")
    if notice.complained_at is not None and notice.decided_by_id == moderator.pk:
        raise PermissionDenied(_("Another moderator must decide a complaint about your "
                                 "decision."), code="same_moderator")
    comment = notice.comment
    if outcome == "restrict":
        if comment is None or comment.status == Status.DELETED:
            raise Conflict("no_comment", _("The comment is gone: set the notice aside."), "id")
        guideline = guideline or UNLAWFUL
        if guideline not in guideline_codes(notice.site):
            raise Invalid("guideline", "unknown_guideline",
                          _("Name the guideline this comment breaks."))
        if comment.status != Status.REJECTED:
            notice.decision = comment_decide(moderator=moderator, comment=comment,
                                             action="reject", guideline=guideline,
                                             note=reasons)
        notice.outcome = NoticeOutcome.RESTRICTED
    elif comment is not None and notice.held and comment.status == Status.PENDING:
        # The hold was the notice's: kept comments come back.
        comment_decide(moderator=moderator, comment=comment, action="approve")
    if outcome == "no_action":
        notice.outcome = NoticeOutcome.NO_ACTION
    notice.status = NoticeStatus.VOID if outcome == "void" else NoticeStatus.DECIDED
    notice.decided_by, notice.decided_at, notice.reasons = moderator, clock.now(), reasons
    notice.manifestly_illegal = bool(manifestly_illegal) and outcome == "restrict"
    notice.manifestly_unfounded = bool(manifestly_unfounded) and outcome != "restrict"
    notice.save(update_fields=["status", "outcome", "decision", "decided_by", "decided_at",
                               "reasons", "manifestly_illegal", "manifestly_unfounded"])
    audit_record("notice.decide", actor=moderator, site=notice.site, comment=comment,
                 changes={"reference": notice.reference, "outcome": outcome,
                          "guideline": guideline,
                          "manifestly_illegal": notice.manifestly_illegal,
                          "manifestly_unfounded": notice.manifestly_unfounded})
    misuse.author_misuse(notice=notice, moderator=moderator)
    _notice_email(notice, "notice_decided", outcome=outcome, reasons=reasons,
                  public_url=settings.PUBLIC_URL, complaint=notice.complained_at is not None,
                  **misuse.notifier_misuse(notice=notice, moderator=moderator))
    return notice


@transaction.atomic
def notice_complain(*, reference: str, email: str, message: str) -> Notice:
    """Let a notifier contest the decision on their notice once (DSA art. 20), within the
    site's appeal window: the notice goes back to the queue for another moderator.

    The notifier proves who they are with the notice's reference and their email; a wrong
    pair answers as an unknown notice.
    """
    message = _text(message, "message", required=True, limit=2000)
    notice = (Notice.objects.select_for_update().select_related("site")
              .filter(reference=(reference or "").strip().upper()).first())
    if notice is None or not notice.email or notice.email != (email or "").strip().lower():
        raise NotFound(_("Unknown notice."), field="reference")
    if notice.status not in (NoticeStatus.DECIDED, NoticeStatus.VOID) or (
            notice.decided_at is None):
        raise Conflict("not_decided", _("This notice has not been decided yet."), "reference")
    if notice.complained_at is not None:
        raise Conflict("already_complained",
                       _("You can contest the decision on a notice only once."), "reference")
    days = appeal_days_by_site([notice.site_id])[notice.site_id]
    if clock.now() > notice.decided_at + dt.timedelta(days=days):
        raise Conflict("appeal_window_closed", _(
            "Decisions can be appealed for %(days)d days; this one can no longer be.")
            % {"days": days}, "reference")
    notice.complaint, notice.complained_at = message, clock.now()
    notice.status = NoticeStatus.IN_REVIEW
    notice.save(update_fields=["complaint", "complained_at", "status"])
    audit_record("notice.complaint", actor=None, site=notice.site, comment=notice.comment,
                 changes={"reference": notice.reference, "message": message[:300]})
    return notice


def notices_tell_appeal(*, comment: Comment, overturned: bool) -> None:
    """Tell the notifiers whose notices removed a comment how its author's appeal ended."""
    for notice in Notice.objects.filter(comment=comment, outcome=NoticeOutcome.RESTRICTED
                                        ).exclude(email="").select_related("site"):
        _notice_email(notice, "notice_appeal", overturned=overturned)


# --- Trusted flaggers -----------------------------------------------------------------


@transaction.atomic
def trusted_flagger_register(*, admin: Account, name: str, contact: str,
                             expertise: str = "") -> tuple[TrustedFlagger, str]:
    """Register a trusted-flagger organisation (admins only); return it and its key, which
    is shown once."""
    if not admin.is_admin:
        raise PermissionDenied(_("Only administrators can do this."))
    name = _text(name, "name", required=True, limit=200)
    contact = _text(contact, "contact", required=True, limit=254).lower()
    try:
        validate_email(contact)
    except ValidationError:
        raise Invalid("contact", "invalid", _("Enter a valid email address.")) from None
    expertise = _text(expertise, "expertise", required=False, limit=300)
    key, digest = tokens.new_secret("thf")
    flagger = TrustedFlagger.objects.create(name=name, contact=contact, expertise=expertise,
                                            key_digest=digest)
    audit_record("flagger.add", actor=admin, changes={"name": name, "expertise": expertise})
    return flagger, key
