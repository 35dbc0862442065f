"""Moderation over the API: guidelines, the nudge, reports, appeals, "my comments",
notices, and the staff routes under /moderation/ (queues, decisions, accounts, settings,
the audit log as CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from townhall.api.accounts import ERRORS
from townhall.api.auth import AccountToken, require_account
from townhall.api.schemas import Input, Moment
from townhall.comments import markup
from townhall.comments.access import access_comment_for_reading
from townhall.comments.models import Comment, Status
from townhall.comments.services import validate_body
from townhall.core import clock
from townhall.core.errors import Invalid, NotFound
from townhall.core.ratelimit import client_address, hit
from townhall.moderation import access, pipeline, presenters, selectors, services, statements
from townhall.moderation.guidelines import localized
from townhall.moderation.models import AccountAction
from townhall.stories.selectors import site_get, story_get

router = Router(tags=["moderation"])


# --- Guidelines and the nudge ------------------------------------------------------------


def guidelines_out(site: Any, lang: str | None) -> dict[str, Any]:
    language = lang or site.default_language
    if language not in ("en", "fr"):
        raise Invalid("lang", "invalid_choice", _("Choose en or fr."))
    current = selectors.guidelines_current(site)
    return {
        "site": site.name, "version": current.version, "language": language,
        "guidelines": [localized(item, language) for item in current.items],
        "translations": {lang_: [localized(item, lang_) for item in current.items]
                         for lang_ in ("en", "fr")},
    }


class GuidelineOut(Schema):
    code: str
    title: str
    explanation: str


class GuidelinesOut(Schema):
    site: str
    version: int
    language: str
    guidelines: list[GuidelineOut]
    translations: dict[str, list[GuidelineOut]]


@router.get("/sites/{site}/guidelines", response={200: GuidelinesOut, **ERRORS})
def guidelines(request: HttpRequest, site: str, lang: str | None = None) -> dict[str, Any]:
    """Return the site's Submission Guidelines in a language, and in both under `translations`."""
    return guidelines_out(site_get(site), lang)


class CheckIn(Input):
    body: str = Field(max_length=20_000)
    parent_id: int | None = None


class FindingOut(Schema):
    phase: str
    action: str
    guideline: str
    reason: str
    spans: list[dict[str, Any]]
    score: float | None


class CheckOut(Schema):
    action: str
    guidelines: list[str]
    scores: dict[str, float | None]
    findings: list[FindingOut]


@router.post("/sites/{site}/stories/{external_id}/comments/check",
             response={200: CheckOut, **ERRORS})
def comment_check(request: HttpRequest, site: str, external_id: str, payload: CheckIn
                  ) -> dict[str, Any]:
    """Judge a draft as if an account in good standing posted it; nothing is stored."""
    hit("check-address", client_address(request), limit=60, window=60)
    story = story_get(site_get(site), external_id)
    source = validate_body(payload.body, story=story)
    parent = None
    if payload.parent_id is not None:
        parent = Comment.objects.filter(pk=payload.parent_id, story=story,
                                        status=Status.PUBLISHED).first()
        if parent is None:
            raise Invalid("parent_id", "unknown_parent",
                          _("You can only reply to a published comment on this story."))
    verdict = pipeline.run(pipeline.Submission(
        story=story, text=markup.plain_text(source), parent=parent, content_only=True,
        language=story.language,
    ))
    scores: dict[str, float | None] = {"toxicity": None, **verdict.scores}
    return {"action": verdict.action, "guidelines": verdict.guidelines, "scores": scores,
            "findings": verdict.shown_findings()}


# --- Reports, appeals, my comments, notices --------------------------------------------


class ReportIn(Input):
    reason: str = Field(max_length=32)
    text: str = Field(default="", max_length=2000)


class ReportOut(Schema):
    id: int
    comment_id: int
    reason: str
    text: str
    created_at: dt.datetime


@router.post("/comments/{comment_id}/reports", response={201: ReportOut, **ERRORS},
             auth=AccountToken())
def report(request: HttpRequest, comment_id: int, payload: ReportIn) -> tuple[int, Any]:
    """Report a comment for breaking a guideline (or `other`, with text); once per comment."""
    account = require_account(request)
    comment = access_comment_for_reading(comment_id, account)
    made = services.report_create(account=account, comment=comment, reason=payload.reason,
                                  text=payload.text)
    return 201, made


class AppealIn(Input):
    message: str = Field(default="", max_length=5000,
                         description="Why the decision should change (optional)")


class AppealOut(Schema):
    comment_id: int
    status: str
    message: str
    note: str
    created_at: dt.datetime
    decided_at: dt.datetime | None


@router.post("/comments/{comment_id}/appeal", response={201: AppealOut, **ERRORS},
             auth=AccountToken())
def appeal(request: HttpRequest, comment_id: int, payload: AppealIn) -> tuple[int, Any]:
    """Appeal the rejection of your comment: once, within the site's appeal window
    (`appeal_days`, else `TOWNHALL_APPEAL_DAYS`, 182 by default) of the decision (409
    `appeal_window_closed` after), decided by another moderator."""
    account = require_account(request)
    comment = access_comment_for_reading(comment_id, account)
    return 201, services.appeal_create(account=account, comment=comment,
                                       message=payload.message)


def _guideline_titles(site: Any, language: str, cache: dict[int, dict[str, str]]
                      ) -> dict[str, str]:
    if site.pk not in cache:
        items = selectors.guidelines_current(site).items
        cache[site.pk] = {i["code"]: localized(i, language)["title"] for i in items}
    return cache[site.pk]


@router.get("/me/comments", auth=AccountToken(), response={200: dict[str, Any], **ERRORS})
def my_comments(request: HttpRequest) -> dict[str, Any]:
    """Your comments, newest first: status, and for rejections the guideline, the
    moderator's note, the statement of reasons (DSA art. 17) and your appeal."""
    account = require_account(request)
    rows = selectors.my_comments(account)
    notes = selectors.rejection_notes([c.pk for c in rows if c.status == Status.REJECTED])
    titles: dict[int, dict[str, str]] = {}
    language = account.language if account.language in ("en", "fr") else "en"
    reasons = statements.statements_for(rows, language=language)
    days = selectors.appeal_days_by_site([c.story.site_id for c in rows])
    out = []
    for comment in rows:
        story = comment.story
        item: dict[str, Any] = {
            "id": comment.pk, "status": comment.status, "body": comment.source,
            "created_at": comment.created_at,
            "story": {"site": story.site.name, "external_id": story.external_id,
                      "title": story.title, "url": story.url},
            "guideline": None, "note": "", "appeal": None, "can_appeal": False,
            "appeal_until": None, "statement": None,
        }
        if comment.pk in reasons:
            item["statement"] = reasons[comment.pk].as_dict()
        if comment.status == Status.REJECTED:
            item.update(presenters.rejection_for_author(
                comment, notes.get(comment.pk), _guideline_titles(story.site, language, titles)))
        found = getattr(comment, "appeal", None)
        item["appeal"] = presenters.appeal_for_author(found)
        # Offered only while the server would take it (TOWNHALL_APPEAL_DAYS).
        until = services.appeal_deadline(notes.get(comment.pk), days=days[story.site_id])
        item["appeal_until"] = until
        item["can_appeal"] = (comment.status == Status.REJECTED and found is None
                              and (until is None or clock.now() <= until))
        out.append(item)
    return {"comments": out}


def notice_out(action: AccountAction, language: str = "en") -> dict[str, Any]:
    return {"id": action.pk, "kind": action.kind, "message": action.message,
            "guideline": action.guideline, "site": action.site.name if action.site else None,
            "ends_at": action.ends_at, "created_at": action.created_at,
            # DSA art. 17: a suspension, ban or pre-moderation says why, in the reader's
            # language (null for notes and warnings).
            "statement": statements.account_statement(action, language=language)}


@router.get("/me/notices", auth=AccountToken(), response={200: dict[str, Any], **ERRORS})
def notices(request: HttpRequest) -> dict[str, Any]:
    """Warnings and sanctions from moderators you have not acknowledged yet."""
    account = require_account(request)
    return {"notices": [notice_out(a, account.language)
                        for a in selectors.notices_for(account)]}


@router.post("/me/notices/{notice_id}/seen", auth=AccountToken(),
             response={204: None, **ERRORS})
def notice_seen(request: HttpRequest, notice_id: int) -> tuple[int, None]:
    """Acknowledge a notice: it is no longer shown."""
    services.notice_acknowledge(account=require_account(request), notice_id=notice_id)
    return 204, None


# --- Staff: queues and decisions --------------------------------------------------------


class QueueQuery(Schema):
    site: str = ""
    story: str = ""
    language: str = ""
    guideline: str = ""
    # Finite and within the score's range: `nan` would match nothing and say nothing.
    min_score: float | None = Field(default=None, ge=0, le=1, allow_inf_nan=False)
    author: int | None = Field(default=None, ge=1, le=2**63 - 1)
    # The kind of harm the risk stands for: insult, hate, threat, obscenity, spam…
    category: str = ""
    sort: str = "oldest"
    cursor: str | None = None
    limit: int = selectors.QUEUE_PAGE


def _staff(request: HttpRequest) -> Any:
    return access.require_moderator(require_account(request))


@router.get("/moderation/queues/{queue}", auth=AccountToken(),
            response={200: dict[str, Any], **ERRORS})
def queue(request: HttpRequest, queue: str, query: Query[QueueQuery]) -> dict[str, Any]:
    """One page of a queue (pending, reported, unreviewed, approved, rejected, appeals)."""
    viewer = _staff(request)
    filters = selectors.QueueFilters(
        site=query.site, story=query.story, language=query.language, guideline=query.guideline,
        min_score=query.min_score, author=query.author, category=query.category,
        sort=query.sort,
    )
    page = selectors.queue_page(viewer, queue, filters, cursor=query.cursor, limit=query.limit)
    return {
        "queue": queue, "counts": selectors.queue_counts(viewer),
        "comments": [presenters.comment_for_staff(c, page.records.get(c.author_id))
                     for c in page.comments],
        "next_cursor": page.next_cursor,
    }


@router.get("/moderation/comments/{comment_id}", auth=AccountToken(),
            response={200: dict[str, Any], **ERRORS})
def comment_detail(request: HttpRequest, comment_id: int) -> dict[str, Any]:
    """A comment with its author's record, reports and full decision history."""
    viewer = _staff(request)
    comment = access.access_comment_as_moderator(comment_id, viewer)
    comment.open_reports = selectors.reports_of(comment)  # type: ignore[attr-defined]
    out = presenters.comment_for_staff(comment,
                                       selectors.author_records([comment.author_id],
                                                                viewer).get(comment.author_id))
    out["history"] = [presenters.decision_out(d) for d in selectors.comment_history(comment)]
    return out


class DecisionIn(Input):
    action: str = Field(description="approve | reject | feature | unfeature")
    guideline: str = ""
    note: str = Field(default="", max_length=5000)
    seen: int | None = Field(
        default=None, ge=1, le=2**62,
        description="the comment's `seen_decision` as the moderator saw it: 409 "
                    "`already_decided` if another moderator has decided since")


def decided_out(decision: Any) -> dict[str, Any]:
    comment = decision.comment
    return {"id": comment.pk, "status": comment.status, "guideline": comment.guideline,
            "featured": comment.featured_at is not None, "decision_id": decision.pk,
            "undo_until": decision.created_at + services.undo_window()}


@router.post("/moderation/comments/{comment_id}/decisions", auth=AccountToken(),
             response={200: dict[str, Any], **ERRORS})
def decide(request: HttpRequest, comment_id: int, payload: DecisionIn) -> dict[str, Any]:
    """Approve, reject (with a guideline and an optional note to the author), feature or
    unfeature a comment. The answer names the decision, which `…/undo` reverses; the author
    is told once `undo_until` has passed."""
    viewer = _staff(request)
    comment = access.access_comment_as_moderator(comment_id, viewer)
    decision = services.comment_decide(moderator=viewer, comment=comment,
                                       action=payload.action, guideline=payload.guideline,
                                       note=payload.note, seen=payload.seen)
    return decided_out(decision)


class BulkIn(Input):
    action: str = Field(description="approve | reject")
    guideline: str = ""
    note: str = Field(default="", max_length=5000)
    ids: list[int] = Field(min_length=1, max_length=200)


@router.post("/moderation/decisions", auth=AccountToken(),
             response={200: dict[str, Any], **ERRORS})
def decide_bulk(request: HttpRequest, payload: BulkIn) -> dict[str, Any]:
    """Approve or reject many comments at once (all or none)."""
    viewer = _staff(request)
    comments = [access.access_comment_as_moderator(i, viewer) for i in dict.fromkeys(payload.ids)]
    decisions = services.comments_decide_bulk(moderator=viewer, comments=comments,
                                              action=payload.action,
                                              guideline=payload.guideline, note=payload.note)
    return {"count": len(decisions), "decision_ids": [d.pk for d in decisions]}


@router.post("/moderation/decisions/{decision_id}/undo", auth=AccountToken(),
             response={200: dict[str, Any], **ERRORS})
def undo(request: HttpRequest, decision_id: int) -> dict[str, Any]:
    """Undo a moderator's decision: the comment's newest one (409 `superseded` otherwise).
    The undo is itself a decision in the comment's history."""
    viewer = _staff(request)
    decision = access.access_decision_as_moderator(decision_id, viewer)
    undone = services.decision_undo(moderator=viewer, decision=decision)
    comment = undone.comment
    return {"id": comment.pk, "status": comment.status, "decision_id": undone.pk,
            "undoes": decision.pk}


class UndoIn(Input):
    ids: list[int] = Field(min_length=1, max_length=200, description="decision ids")


@router.post("/moderation/decisions/undo", auth=AccountToken(),
             response={200: dict[str, Any], **ERRORS})
def undo_bulk(request: HttpRequest, payload: UndoIn) -> dict[str, Any]:
    """Undo several decisions at once (all or none), as a bulk decision's toast does."""
    viewer = _staff(request)
    decisions = [access.access_decision_as_moderator(i, viewer)
                 for i in dict.fromkeys(payload.ids)]
    undone = services.decisions_undo(moderator=viewer, decisions=decisions)
    return {"count": len(undone), "decision_ids": [d.pk for d in undone]}


class AppealDecisionIn(Input):
    outcome: str = Field(description="uphold | overturn")
    note: str = Field(default="", max_length=5000)


@router.post("/moderation/appeals/{comment_id}/decision", auth=AccountToken(),
             response={200: AppealOut, **ERRORS})
def appeal_decide(request: HttpRequest, comment_id: int, payload: AppealDecisionIn) -> Any:
    """Decide an appeal (a moderator other than the one who rejected the comment)."""
    viewer = _staff(request)
    found = access.access_appeal_as_moderator(comment_id, viewer)
    return services.appeal_decide(moderator=viewer, appeal=found, outcome=payload.outcome,
                                  note=payload.note)


# --- Staff: accounts --------------------------------------------------------------------


@router.get("/moderation/accounts/{account_id}", auth=AccountToken(),
            response={200: dict[str, Any], **ERRORS})
def account_detail(request: HttpRequest, account_id: int) -> dict[str, Any]:
    """An author's record, the actions taken on the account and its decision history."""
    viewer = _staff(request)
    account = access.access_account_as_moderator(account_id, viewer)
    record = selectors.author_records([account.pk], viewer).get(account.pk)
    out = presenters.record_out(account, record)
    out["actions"] = [presenters.action_out(a)
                      for a in selectors.account_actions(account, viewer)]
    out["history"] = [presenters.decision_out(d)
                      for d in selectors.account_history(account, viewer)]
    return out


class AccountActionIn(Input):
    kind: str = Field(description="note | warn | suspend | ban | always_review | trust | "
                                  "pseudonym")
    site: str | None = Field(default=None, description="Omit for every site (admins only)")
    message: str = Field(default="", max_length=5000)
    guideline: str = ""
    days: int | None = None
    reject_comments: bool = False


@router.post("/moderation/accounts/{account_id}/actions", auth=AccountToken(),
             response={201: dict[str, Any], **ERRORS})
def account_act(request: HttpRequest, account_id: int, payload: AccountActionIn
                ) -> tuple[int, dict[str, Any]]:
    """Note, warn, suspend, ban (optionally rejecting their comments), always-review, trust
    or flag a suspected pseudonym."""
    viewer = _staff(request)
    account = access.access_account_as_moderator(account_id, viewer)
    site = access.access_site_as_moderator(payload.site, viewer) if payload.site else None
    action = services.account_act(
        moderator=viewer, account=account, kind=payload.kind, site=site,
        message=payload.message, guideline=payload.guideline, days=payload.days,
        reject_comments=payload.reject_comments,
    )
    return 201, presenters.action_out(action)


@router.delete("/moderation/actions/{action_id}", auth=AccountToken(),
               response={204: None, **ERRORS})
def action_lift(request: HttpRequest, action_id: int) -> tuple[int, None]:
    """Lift a ban, suspension or mark (it stays in the account's history)."""
    viewer = _staff(request)
    found = AccountAction.objects.select_related("site").filter(pk=action_id).first()
    if found is None:
        raise NotFound(_("Unknown action."), field="id")
    services.account_action_lift(moderator=viewer, action=found)
    return 204, None


# --- Staff: audit export ----------------------------------------------------------------


class ExportQuery(Schema):
    site: str = ""
    since: Moment | None = None
    # Bounded here: the CSV streams, so a value the database cannot hold would fail after
    # the response began, where no error handler can answer 422 any more.
    account: int | None = Field(default=None, ge=1, le=2**63 - 1)


def csv_download(header: list[str], rows: Iterable[Iterable[Any]],
                 filename: str) -> StreamingHttpResponse:
    """Stream rows as a CSV attachment, a line at a time, with formulas neutralised."""

    def lines() -> Any:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        for row in rows:
            writer.writerow([presenters.csv_safe(v) for v in row])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def decisions_csv(rows: Any) -> StreamingHttpResponse:
    """Stream decisions as CSV."""
    return csv_download(presenters.CSV_HEADER,
                        map(presenters.decision_row, rows.iterator(chunk_size=1000)),
                        "townhall-decisions.csv")


@router.get("/moderation/decisions.csv", auth=AccountToken(), response={200: None, **ERRORS})
def export(request: HttpRequest, query: Query[ExportQuery]) -> StreamingHttpResponse:
    """The decision log as CSV (filter by site, start time or author)."""
    viewer = _staff(request)
    return decisions_csv(selectors.decisions_for_export(
        viewer, site=query.site, since=query.since, account_id=query.account))


# --- Staff: site settings ---------------------------------------------------------------


def settings_out(site: Any) -> dict[str, Any]:
    config = selectors.site_settings(site)
    return {
        "site": site.name,
        **{name: getattr(config, name) for name in sorted(services.SETTINGS_FIELDS)},
        "word_rules": [
            {"id": r.pk, "phrase": r.phrase, "language": r.language, "action": r.action,
             "guideline": r.guideline} for r in site.word_rules.all()
        ],
    }


@router.get("/moderation/sites/{site}/settings", auth=AccountToken(),
            response={200: dict[str, Any], **ERRORS})
def site_settings_get(request: HttpRequest, site: str) -> dict[str, Any]:
    """The site's moderation settings and word list."""
    return settings_out(access.access_site_as_moderator(site, _staff(request)))


class SettingsIn(Input):
    disabled_phases: list[str] | None = None
    new_commenter_holds: int | None = None
    toxicity_hold: float | None = None
    toxicity_reject: float | None = None
    link_policy: str | None = None
    link_domains: list[str] | None = None
    report_threshold: int | None = None
    trusted_after: int | None = None
    trusted_skips: list[str] | None = None
    flood_limit: int | None = None
    email_authors: bool | None = None
    hold_on_notice: bool | None = None
    appeal_days: int | None = None
    retain_notices_days: int | None = None
    retain_rejected_days: int | None = None
    retain_notes_days: int | None = None


@router.patch("/moderation/sites/{site}/settings", auth=AccountToken(),
              response={200: dict[str, Any], **ERRORS})
def site_settings_patch(request: HttpRequest, site: str, payload: SettingsIn) -> dict[str, Any]:
    """Change moderation settings (send only what changes; null thresholds use defaults)."""
    viewer = _staff(request)
    found = access.access_site_as_moderator(site, viewer)
    services.site_moderation_update(site=found, actor=viewer,
                                    **payload.model_dump(exclude_unset=True))
    return settings_out(found)


class GuidelinesIn(Input):
    items: list[dict[str, Any]]


@router.put("/moderation/sites/{site}/guidelines", auth=AccountToken(),
            response={200: GuidelinesOut, **ERRORS})
def guidelines_put(request: HttpRequest, site: str, payload: GuidelinesIn) -> dict[str, Any]:
    """Publish a new version of the guidelines.

    `items`: `[{code, title: {en, fr}, explanation: {en, fr}}]`.
    """
    viewer = _staff(request)
    found = access.access_site_as_moderator(site, viewer)
    services.guidelines_publish(site=found, items=payload.items, actor=viewer)
    return guidelines_out(found, None)


class WordIn(Input):
    phrase: str = Field(max_length=200)
    action: str
    guideline: str
    language: str = ""


@router.post("/moderation/sites/{site}/words", auth=AccountToken(),
             response={201: dict[str, Any], **ERRORS})
def word_add(request: HttpRequest, site: str, payload: WordIn) -> tuple[int, dict[str, Any]]:
    """Add a word or phrase to block, hold or flag (obfuscated spellings match too)."""
    viewer = _staff(request)
    found = access.access_site_as_moderator(site, viewer)
    rule = services.word_rule_add(site=found, phrase=payload.phrase, action=payload.action,
                                  guideline=payload.guideline, language=payload.language,
                                  actor=viewer)
    return 201, {"id": rule.pk, "phrase": rule.phrase, "language": rule.language,
                 "action": rule.action, "guideline": rule.guideline}


@router.delete("/moderation/sites/{site}/words/{rule_id}", auth=AccountToken(),
               response={204: None, **ERRORS})
def word_remove(request: HttpRequest, site: str, rule_id: int) -> tuple[int, None]:
    """Remove a word or phrase from the site's list."""
    viewer = _staff(request)
    found = access.access_site_as_moderator(site, viewer)
    services.word_rule_remove(site=found, rule_id=rule_id, actor=viewer)
    return 204, None
