"""The one owner of a comment's status: every change of it, and its log, goes through here.

`comment_transition` writes the status, keeps the parent's reply count and the story's
comment count, bumps the story's version (readers' cached pages), appends the `Decision` row
and announces the change (`moderation.signals`); `comment_judged` does the same for a
pipeline verdict and `comment_arrival` for a new comment. Posting, edits, deletions,
moderators' and bulk decisions, reports, appeals, sanctions, the release of name holds and
imports all call these; nothing else writes `Comment.status` of a stored comment or a
`Decision` row. Call them inside the write's transaction.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F

from townhall.accounts.models import Account
from townhall.comments.models import Comment, Status
from townhall.core.rowsql import RowInsert
from townhall.moderation import signals
from townhall.moderation.models import Decision, Source
from townhall.moderation.pipeline import Verdict
from townhall.stories.services import story_touch

VERDICT_STATUS = {"publish": Status.PUBLISHED, "hold": Status.PENDING,
                  "reject": Status.REJECTED}
_DECISION_INSERT = RowInsert(Decision)  # one per post: its INSERT is written once


def _reply_count_move(comment: Comment, published: bool) -> None:
    if comment.parent_id:
        Comment.objects.filter(pk=comment.parent_id).update(
            reply_count=F("reply_count") + (1 if published else -1))


def _counts_follow(comment: Comment, old: str, new: str) -> None:
    """Keep the parent's replies and the story's count and version in step with a change."""
    if (old == Status.PUBLISHED) != (new == Status.PUBLISHED):
        _reply_count_move(comment, new == Status.PUBLISHED)
        story_touch(story=comment.story, comments=1 if new == Status.PUBLISHED else -1)
    elif comment.reply_count and old != new:
        story_touch(story=comment.story)  # a placeholder with replies shows its status


def _log(comment: Comment, *, old: str, source: str, actor: Account | None, rule: str,
         guideline: str, note: str, model_version: str = "",
         scores: dict[str, Any] | None = None,
         findings: list[dict[str, Any]] | None = None, before: dict[str, Any] | None = None,
         undoes: Decision | None = None) -> Decision:
    decision = Decision(
        comment=comment, source=source, actor=actor, rule=rule, guideline=guideline,
        model_version=model_version, old_status=old, new_status=comment.status,
        scores=scores or {}, findings=findings or [], note=note, before=before or {},
        undoes=undoes,
    )
    _DECISION_INSERT.insert(decision)
    return decision


def _apply(comment: Comment, new_status: str, **fields: Any) -> str:
    """Write the status (and any queue fields) and keep the counts; return the old status."""
    old = comment.status
    for name, value in fields.items():
        setattr(comment, name, value)
    if old != new_status or fields:
        comment.status = new_status
        Comment.objects.filter(pk=comment.pk).update(status=new_status, **fields)
        _counts_follow(comment, old, new_status)
    return old


def _announce(comment: Comment, old: str, decision: Decision) -> Decision:
    signals.comment_transitioned.send(sender=Comment, comment=comment, old_status=old,
                                      new_status=comment.status, decision=decision)
    return decision


def comment_transition(comment: Comment, new_status: str, *, source: str,
                       actor: Account | None = None, rule: str = "", guideline: str = "",
                       note: str = "", fields: dict[str, Any] | None = None,
                       before: dict[str, Any] | None = None,
                       undoes: Decision | None = None) -> Decision:
    """Give a stored comment `new_status` (it may be its status already) and log why.

    `fields` are queue fields written with the status; `before` is what the decision
    changed besides it, kept so it can be undone; `undoes` names the decision it reverses.
    """
    old = _apply(comment, new_status, **(fields or {}))
    return _announce(comment, old, _log(comment, old=old, source=source, actor=actor,
                                        rule=rule, guideline=guideline, note=note,
                                        before=before, undoes=undoes))


def verdict_queue_fields(verdict: Verdict) -> dict[str, Any]:
    """Return the comment fields the queues sort and show by: risk and its category,
    findings, guideline."""
    return {"risk": verdict.risk, "category": verdict.category,
            "findings": verdict.shown_findings(),
            "guideline": verdict.guideline or next(iter(verdict.guidelines), "")}


def _verdict_source(verdict: Verdict) -> str:
    if not verdict.decided_by:
        return Source.SYSTEM
    decider = next((f for f in verdict.findings if f.phase == verdict.decided_by), None)
    return Source.MODEL if decider is not None and decider.model_version else Source.RULE


def _verdict_log(comment: Comment, verdict: Verdict, *, old: str) -> Decision:
    return _log(comment, old=old, source=_verdict_source(verdict), actor=None,
                rule=verdict.decided_by, guideline=verdict.guideline, note="",
                model_version=verdict.model_version, scores=verdict.scores,
                findings=comment.findings)


def comment_judged(comment: Comment, verdict: Verdict, new_status: str) -> Decision:
    """Apply the pipeline's verdict on a stored comment (an edit, a released name hold)."""
    old = _apply(comment, new_status, **verdict_queue_fields(verdict))
    return _announce(comment, old, _verdict_log(comment, verdict, old=old))


def comment_arrival(comment: Comment, verdict: Verdict) -> Decision:
    """Count and log a comment just inserted with its status and the verdict's queue fields."""
    _counts_follow(comment, "", comment.status)
    decision = _verdict_log(comment, verdict, old="")
    signals.comment_created.send(sender=Comment, comment=comment, decision=decision)
    return _announce(comment, "", decision)


def comment_imported(comment: Comment, *, rule: str, note: str, created_at: Any) -> Decision:
    """Log the status an import gave a comment, dated as the source system had it.

    Nothing is announced: an import's readers, followers and webhooks are not told of old
    comments, and the importer recounts each story once at the end.
    """
    return Decision.objects.create(comment=comment, source=Source.SYSTEM, old_status="",
                                   new_status=comment.status, rule=rule, note=note,
                                   created_at=created_at)
