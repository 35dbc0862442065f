"""The moderation pipeline: an ordered list of small phases.

Each phase looks at a submission and may return a Finding. A finding whose action is
`publish`, `hold` or `reject` decides the comment's status and ends the run; a `flag`
finding is kept for the moderator and the run goes on. A phase that raises holds the
comment for review: a failure never publishes what should have been held.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from townhall.accounts.models import Account
    from townhall.comments.models import Comment
    from townhall.stories.models import Story

log = logging.getLogger(__name__)

Action = Literal["publish", "hold", "reject", "flag"]
DECIDING: frozenset[str] = frozenset({"publish", "hold", "reject"})


@dataclass
class Submission:
    """What the pipeline judges: the text and its context."""

    story: Story
    text: str
    account: Account | None = None
    parent: Comment | None = None
    comment: Comment | None = None
    is_edit: bool = False
    # A content-only check ("nudge"): the author is treated as one in good standing.
    content_only: bool = False
    language: str = "en"


@dataclass
class Finding:
    """One phase's result."""

    phase: str
    action: Action
    guideline: str = ""
    reason: str = ""
    spans: list[dict[str, Any]] = field(default_factory=list)
    score: float | None = None
    scores: dict[str, float] = field(default_factory=dict)
    model_version: str = ""

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("scores")
        data.pop("model_version")
        return data


@dataclass
class Verdict:
    """The pipeline's outcome: an action, the phase that decided and every finding."""

    action: Literal["publish", "hold", "reject"]
    decided_by: str
    guideline: str
    findings: list[Finding]
    scores: dict[str, float]
    model_version: str = ""

    @property
    def guidelines(self) -> list[str]:
        codes = [f.guideline for f in self.findings if f.guideline and f.action != "publish"]
        return list(dict.fromkeys(codes))


class Phase(Protocol):
    name: str

    def run(self, submission: Submission) -> Finding | list[Finding] | None: ...


class PreModeration:
    """Hold everything on stories whose moderation mode is `pre`."""

    name = "pre_moderation"

    def run(self, submission: Submission) -> Finding | None:
        if submission.content_only or submission.story.moderation_mode != "pre":
            return None
        return Finding(self.name, "hold", reason="story is pre-moderated")


def default_phases() -> Sequence[Phase]:
    """Return the phases in the order they run."""
    from townhall.moderation.phases import configured_phases

    return configured_phases()


def run(submission: Submission, phases: Sequence[Phase] | None = None) -> Verdict:
    """Run the phases in order; the first deciding finding ends the run."""
    findings: list[Finding] = []
    scores: dict[str, float] = {}
    model_version = ""
    for phase in phases if phases is not None else default_phases():
        try:
            result = phase.run(submission)
        except Exception:
            log.exception("moderation phase %s failed; holding the comment", phase.name)
            result = Finding(phase.name, "hold", reason="phase failed; held for safety")
        results = result if isinstance(result, list) else [result] if result else []
        for finding in results:
            findings.append(finding)
            scores.update(finding.scores)
            model_version = finding.model_version or model_version
        decided = next((f for f in results if f.action in DECIDING), None)
        if decided is not None:
            return Verdict(decided.action, decided.phase, decided.guideline, findings, scores,  # type: ignore[arg-type]
                           model_version)
    return Verdict("publish", "", "", findings, scores, model_version)
