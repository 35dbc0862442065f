"""BodyLimits: text that no reader can read (endless words, bare links)."""

from __future__ import annotations

import re

from townhall.moderation.phases.spans import span
from townhall.moderation.pipeline import Finding, Submission

_LONG_RUN = re.compile(r"\S{80,}")
_URLISH = re.compile(r"^(https?://|www\.)", re.IGNORECASE)


class BodyLimits:
    """Reject over-long text; hold keyboard-mashing runs and walls of line breaks."""

    name = "body_limits"

    def run(self, submission: Submission) -> Finding | None:
        text = submission.text
        if len(text) > submission.story.site.max_comment_length:
            return Finding(self.name, "reject", "spam", reason="longer than the site allows")
        runs = [m for m in _LONG_RUN.finditer(text) if not _URLISH.match(m.group(0))]
        if runs:
            return Finding(self.name, "hold", "spam", reason="unbroken run of characters",
                           spans=[span(m.start(), m.end(), text) for m in runs[:5]])
        if text.count("\n") > 40:
            return Finding(self.name, "hold", "spam", reason="too many line breaks")
        return None
