"""SpamAndFlood: shouting, the same text again, and floods of posts."""

from __future__ import annotations

import datetime as dt
import re

from django.core.cache import cache

from townhall.comments.models import Comment
from townhall.core import clock
from townhall.moderation.phases.spans import span
from townhall.moderation.pipeline import Finding, Submission

_LETTERS = re.compile(r"[^\W\d_]")


class SpamAndFlood:
    """Hold shouting, the same text repeated by one account or many, and posting floods."""

    name = "spam"
    REPEAT_WINDOW = dt.timedelta(hours=24)
    CROSS_ACCOUNT_WINDOW = 3600
    CROSS_ACCOUNT_LIMIT = 3
    FLOOD_WINDOW = dt.timedelta(minutes=10)

    def run(self, submission: Submission) -> Finding | None:
        text = submission.text
        letters = _LETTERS.findall(text)
        upper = sum(1 for c in letters if c.isupper())
        if len(letters) >= 20 and len(text.split()) >= 4 and upper / len(letters) >= 0.7:
            return Finding(self.name, "hold", "spam", reason="written in capitals",
                           spans=[span(0, len(text), text)])
        if submission.content_only or submission.account is None:
            return None
        return self._repeats(submission) or self._flood(submission)

    def _repeated(self, submission: Submission) -> bool:
        """Has the author posted the same text (by fingerprint) in the last day?"""
        mark, since = submission.fingerprint, clock.now() - self.REPEAT_WINDOW
        own = submission.comment.pk if submission.comment is not None else None
        rows = submission.history.since(since)
        if rows is not None:
            return any(r.fingerprint == mark and r.id != own for r in rows)
        earlier = Comment.objects.filter(author=submission.account, created_at__gte=since,
                                         fingerprint=mark)
        if own is not None:
            earlier = earlier.exclude(pk=own)
        return earlier.exists()

    def _repeats(self, submission: Submission) -> Finding | None:
        account, text = submission.account, submission.text
        assert account is not None
        mark = submission.fingerprint
        if len(text) >= 12 and self._repeated(submission):
            return Finding(self.name, "hold", "spam", reason="same text posted again")
        if len(text) < 24 or submission.is_edit:
            return None
        key = f"mod:fp:{submission.story.site_id}:{mark}"
        authors = list(cache.get(key) or [])
        if account.pk not in authors:
            authors = [*authors, account.pk][-20:]
            cache.set(key, authors, self.CROSS_ACCOUNT_WINDOW)
        if len(authors) >= self.CROSS_ACCOUNT_LIMIT:
            return Finding(self.name, "hold", "spam",
                           reason=f"same text posted by {len(authors)} accounts")
        return None

    def _flood(self, submission: Submission) -> Finding | None:
        if submission.is_edit:
            return None
        limit = submission.config.flood_limit
        if not limit:
            return None
        since = clock.now() - self.FLOOD_WINDOW
        rows = submission.history.since(since)
        if rows is not None:
            recent = sum(1 for r in rows if r.story_id == submission.story.pk)
        else:
            recent = Comment.objects.filter(
                author=submission.account, story=submission.story, created_at__gte=since,
            )[:limit].count()
        if limit and recent >= limit:
            return Finding(self.name, "hold", "spam",
                           reason=f"{recent} comments on this story in ten minutes")
        return None
