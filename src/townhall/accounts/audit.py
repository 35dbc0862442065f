"""Record a change for the audit log, inside the transaction that makes it."""

from __future__ import annotations

from typing import Any

from townhall.accounts.models import Account, AuditEntry

# What the rows say was done (dashboard.labels names them in the moderator's language).
ACTIONS = (
    "settings.change", "words.add", "words.remove", "guidelines.publish", "staff.create",
    "staff.role", "staff.give", "staff.take", "sanction.add", "sanction.lift", "appeal.open",
    "story.change", "notice.receive", "notice.review", "notice.complaint", "notice.note",
    "notice.decide", "flagger.add", "misuse.warn", "misuse.suspend", "retention.run",
)


def audit_record(action: str, *, actor: Account | None, site: Any = None,
                 account: Account | None = None, story: Any = None, comment: Any = None,
                 changes: dict[str, Any] | None = None) -> AuditEntry:
    """Write one audit row; `changes` must be JSON (dates as ISO text)."""
    assert action in ACTIONS, action
    return AuditEntry.objects.create(
        action=action, actor=actor if actor is not None and actor.pk else None, site=site,
        account=account, story=story, comment=comment, changes=changes or {})


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Return {field: [before, after]} for the fields whose value changed."""
    return {name: [before.get(name), value] for name, value in after.items()
            if before.get(name) != value}
