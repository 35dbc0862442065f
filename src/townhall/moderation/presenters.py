"""What staff see of a comment, an author and a decision (API and dashboard share these)."""

from __future__ import annotations

from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from townhall.accounts.models import Account
from townhall.comments import markup
from townhall.comments.models import Comment
from townhall.moderation.models import AccountAction, Appeal, Decision, Source
from townhall.moderation.selectors import AuthorRecord


def highlighted(text: str, findings: list[dict[str, Any]]) -> SafeString:
    """Return the text escaped, with every finding's spans wrapped in <mark>."""
    spans = sorted(
        {(int(s["start"]), int(s["end"])) for f in findings for s in f.get("spans") or []
         if 0 <= int(s.get("start", -1)) < int(s.get("end", -1)) <= len(text)}
    )
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out: list[str] = []
    position = 0
    for start, end in merged:
        out.append(escape(text[position:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    out.append(escape(text[position:]))
    return mark_safe("".join(out).replace("\n", "<br>"))  # noqa: S308 - every piece escaped


def record_out(account: Account, record: AuthorRecord | None) -> dict[str, Any]:
    record = record or AuthorRecord(account.pk)
    return {
        "id": account.pk, "display_name": account.display_name, "email": account.email,
        "joined_at": account.created_at, "comments": record.comments,
        "published": record.published, "rejected": record.rejected,
        "pending": record.pending,
        "sanctions": [action_out(a) for a in record.sanctions], "flags": record.flags,
    }


def action_out(action: AccountAction) -> dict[str, Any]:
    return {
        "id": action.pk, "kind": action.kind, "site": action.site.name if action.site else None,
        "guideline": action.guideline, "message": action.message, "ends_at": action.ends_at,
        "created_at": action.created_at, "lifted_at": action.lifted_at,
        "actor": action.actor.display_name if action.actor else None,
    }


def comment_for_staff(comment: Comment, record: AuthorRecord | None) -> dict[str, Any]:
    parent = comment.parent
    appeal = getattr(comment, "appeal", None)
    reports = getattr(comment, "open_reports", None)
    return {
        "id": comment.pk,
        "status": comment.status,
        "site": comment.story.site.name,
        "story": {"external_id": comment.story.external_id, "title": comment.story.title,
                  "url": comment.story.url, "moderation_mode": comment.story.moderation_mode},
        "language": comment.language,
        "body": comment.source,
        "text": markup.plain_text(comment.source),
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "risk": comment.risk, "category": comment.category,
        "guideline": comment.guideline,
        "findings": comment.findings,
        "report_count": comment.report_count,
        "reports": [{"reason": r.reason, "text": r.text, "created_at": r.created_at}
                    for r in reports] if reports is not None else None,
        "featured": comment.featured_at is not None,
        "reviewed_at": comment.reviewed_at,
        "parent": None if parent is None else {
            "id": parent.pk, "author": parent.author.display_name,
            "text": markup.plain_text(parent.source)[:500],
        },
        "author": record_out(comment.author, record),
        "appeal": None if appeal is None else {
            "status": appeal.status, "message": appeal.message, "created_at": appeal.created_at,
        },
        # Send it back as `seen` with a decision: 409 if another moderator decided since.
        "seen_decision": getattr(comment, "seen_decision", None),
    }


def rejection_for_author(comment: Comment, rejection: Decision | None,
                         titles: dict[str, str]) -> dict[str, Any]:
    """What an author reads of their rejected comment: the guideline (titled from `titles`,
    code to title) and the moderator's note, if a moderator wrote one."""
    code = comment.guideline
    return {
        "guideline": {"code": code, "title": titles.get(code, code)} if code else None,
        "note": rejection.note if rejection and rejection.source == Source.MODERATOR else "",
    }


def appeal_for_author(appeal: Appeal | None) -> dict[str, Any] | None:
    """An author's appeal as they read it: its state, their message, the moderator's answer."""
    if appeal is None:
        return None
    return {"status": appeal.status, "message": appeal.message, "note": appeal.note,
            "created_at": appeal.created_at, "decided_at": appeal.decided_at}


def decision_out(decision: Decision) -> dict[str, Any]:
    return {
        "id": decision.pk, "comment_id": decision.comment_id, "source": decision.source,
        "actor": decision.actor.display_name if decision.actor else None,
        "rule": decision.rule, "model_version": decision.model_version,
        "guideline": decision.guideline, "old_status": decision.old_status,
        "new_status": decision.new_status, "scores": decision.scores,
        "findings": decision.findings, "note": decision.note,
        "undoes": decision.undoes_id, "created_at": decision.created_at,
    }


CSV_HEADER = ["decision_id", "created_at", "site", "story", "comment_id", "author_id",
              "author", "source", "actor", "rule", "model_version", "guideline", "old_status",
              "new_status", "toxicity", "note"]


def decision_row(decision: Decision) -> list[Any]:
    comment = decision.comment
    return [
        decision.pk, decision.created_at.isoformat(), comment.story.site.name,
        comment.story.external_id, comment.pk, comment.author_id,
        comment.author.display_name, decision.source,
        decision.actor.display_name if decision.actor else "", decision.rule,
        decision.model_version, decision.guideline, decision.old_status, decision.new_status,
        (decision.scores or {}).get("toxicity", ""), decision.note,
    ]


def csv_safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
