"""The moderation phase that holds comments of an account whose real name is in doubt.

A moderator (or the sign-up check) flagged the name; until its owner confirms or changes it,
every new comment or edit waits under the "real names" guideline. Confirming runs the held
comments through the pipeline again (`moderation/names.py`).
"""

from __future__ import annotations

from townhall.accounts.models import NameStatus
from townhall.accounts.naming import NAME_GUIDELINE, NAME_PHASE
from townhall.moderation.pipeline import Finding, Submission


class RealNamePhase:
    """Hold what an account with a flagged name writes until it confirms the name."""

    name = NAME_PHASE
    always_runs = False

    def run(self, submission: Submission) -> Finding | None:
        account = submission.account
        if submission.content_only or account is None:
            return None
        if account.name_status != NameStatus.FLAGGED:
            return None
        return Finding(self.name, "hold", guideline=NAME_GUIDELINE,
                       reason="the author's name awaits confirmation")
