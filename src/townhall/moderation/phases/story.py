"""StoryClosed: nothing is posted on a closed story."""

from __future__ import annotations

from townhall.moderation.pipeline import Finding, Submission


class StoryClosed:
    """Refuse comments on a closed story (the API checks first; this guards every path)."""

    name = "story_closed"

    def run(self, submission: Submission) -> Finding | None:
        if submission.story.is_open():
            return None
        return Finding(self.name, "reject", reason="comments are closed on this story")
