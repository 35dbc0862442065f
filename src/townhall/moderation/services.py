"""Moderation writes: every status change of a comment goes through `decision_record`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from townhall.moderation.models import Decision, Source

if TYPE_CHECKING:
    from townhall.accounts.models import Account
    from townhall.comments.models import Comment
    from townhall.moderation.pipeline import Verdict


def decision_record(
    *,
    comment: Comment,
    source: str,
    old_status: str,
    new_status: str,
    actor: Account | None = None,
    rule: str = "",
    guideline: str = "",
    model_version: str = "",
    scores: dict[str, Any] | None = None,
    findings: list[dict[str, Any]] | None = None,
    note: str = "",
) -> Decision:
    """Append one row to the decision log (call inside the write's transaction)."""
    return Decision.objects.create(
        comment=comment, source=source, actor=actor, rule=rule, guideline=guideline,
        model_version=model_version, old_status=old_status, new_status=new_status,
        scores=scores or {}, findings=findings or [], note=note,
    )


def decision_from_verdict(*, comment: Comment, verdict: Verdict, old_status: str) -> Decision:
    """Log the pipeline's verdict for a new or edited comment."""
    decider = next((f for f in verdict.findings if f.phase == verdict.decided_by), None)
    source = Source.MODEL if decider is not None and decider.model_version else Source.RULE
    if not verdict.decided_by:
        source = Source.SYSTEM
    return decision_record(
        comment=comment, source=source, old_status=old_status, new_status=comment.status,
        rule=verdict.decided_by, guideline=verdict.guideline,
        model_version=verdict.model_version, scores=verdict.scores,
        findings=[f.as_dict() for f in verdict.findings],
    )
