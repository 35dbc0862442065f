"""Trust: an account's record of rejected comments holds what it writes next."""

from __future__ import annotations

from collections import Counter

from townhall.comments.models import Comment, Status
from townhall.moderation.pipeline import Finding, Submission


class Trust:
    """Hold authors whose recent comments were often rejected."""

    name = "trust"
    RECENT = 20
    MIN_REJECTED = 3
    RATIO = 0.3

    def run(self, submission: Submission) -> Finding | None:
        if submission.content_only or submission.account is None:
            return None
        judged = (Status.PUBLISHED, Status.REJECTED)
        history = submission.history
        rows = [(r.status, r.guideline) for r in history.rows if r.status in judged]
        if len(rows) < self.RECENT and not history.complete:
            rows = list(
                Comment.objects.filter(author=submission.account, status__in=judged)
                .order_by("-created_at").values_list("status", "guideline")[: self.RECENT]
            )
        rows = rows[: self.RECENT]
        rejected = [g for s, g in rows if s == Status.REJECTED]
        if len(rejected) < self.MIN_REJECTED or len(rejected) / len(rows) < self.RATIO:
            return None
        guideline = Counter(g for g in rejected if g).most_common(1)
        return Finding(self.name, "hold", guideline[0][0] if guideline else "respect",
                       reason=f"{len(rejected)} of the last {len(rows)} comments rejected")
