"""AuthorSanctions: what moderators decided about the author (ban, suspension, review)."""

from __future__ import annotations

from townhall.moderation.pipeline import Finding, Submission


class AuthorSanctions:
    """Reject comments of banned or suspended authors; hold those under always-review."""

    name = "sanctions"

    def run(self, submission: Submission) -> Finding | None:
        if submission.content_only or submission.account is None:
            return None
        active = submission.sanctions
        for kind in ("ban", "suspend"):
            if kind in active:
                action = active[kind]
                return Finding(self.name, "reject", action.guideline,
                               reason=f"author is {'banned' if kind == 'ban' else 'suspended'}")
        if "always_review" in active:
            return Finding(self.name, "hold", active["always_review"].guideline,
                           reason="author's comments are always reviewed")
        return None
