"""The moderation pipeline: an ordered list of small phases.

Each phase looks at a submission and may return findings. A finding whose action is
`publish`, `hold` or `reject` decides the comment's status and ends the run; a `flag`
finding is kept for the moderator and the run goes on; a `pass` finding only carries scores.
Phases marked `always_runs` (the model score) still run after a decision so that every
comment has a risk score for the queues. A phase that raises holds the comment for review:
a failure never publishes what should have been held (docs/moderation.md has each phase's
failure policy).

A trusted account skips the holds its site lets trusted accounts skip: such a hold is kept
as a flag and the run goes on.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from townhall.moderation.guidelines import GUIDELINE_CATEGORIES
from townhall.moderation.postconfig import post_config
from townhall.moderation.selectors import account_trusted, author_history, sanctions_in_force
from townhall.moderation.toxicity.normalize import fold_text
from townhall.moderation.toxicity.scorers import EXPLAIN_FLOOR

if TYPE_CHECKING:
    from townhall.accounts.models import Account
    from townhall.comments.models import Comment
    from townhall.moderation.models import AccountAction, SiteModeration
    from townhall.moderation.postconfig import PostConfig
    from townhall.moderation.selectors import AuthorHistory
    from townhall.stories.models import Story

log = logging.getLogger(__name__)

Action = Literal["publish", "hold", "reject", "flag", "pass"]
DECIDING: frozenset[str] = frozenset({"publish", "hold", "reject"})
# Holds about who posts or where, not about what the text says: they carry no risk.
PROCEDURAL: frozenset[str] = frozenset(
    {"pre_moderation", "new_commenters", "author_request", "story_closed"}
)
_RULE_RISK = {"reject": 1.0, "hold": 0.7, "flag": 0.4}
#: The least risk that names a category (the queue card shows it from there too); the model
#: highlights words from the same line.
CATEGORY_FLOOR = EXPLAIN_FLOOR


@dataclass(frozen=True)
class PostingContext:
    """Everything the phases read about the site and the author, read once before the run.

    Built by `posting_context`; the phases only read it. Two answers are not in it: whether
    the author is trusted (`Submission.trusted`, a count over their whole record on the
    site, read only when a hold that trust could skip has been found), and the rare
    look-back that an author with more than `HISTORY_ROWS` comments needs beyond `history`.
    """

    posting: PostConfig
    sanctions: dict[str, AccountAction]
    history: AuthorHistory | None

    @property
    def config(self) -> SiteModeration:
        """The site's moderation settings (a shared snapshot: never change or save it)."""
        return self.posting.moderation


def posting_context(story: Story, account: Account | None, *,
                    content_only: bool = False) -> PostingContext:
    """Read what the phases need: the site's posting snapshot, the author's sanctions on
    the site and their newest comments (none of the author's for a content-only check)."""
    posting = post_config(story.site_id)
    if account is None or content_only:
        return PostingContext(posting=posting, sanctions={}, history=None)
    sanctions = (sanctions_in_force(account, story.site) if account.has_account_actions
                 else {})
    return PostingContext(posting=posting, sanctions=sanctions, history=author_history(account))


@dataclass
class Submission:
    """What the pipeline judges: the text, where and by whom, and its posting context."""

    story: Story
    text: str
    account: Account | None = None
    parent: Comment | None = None
    comment: Comment | None = None
    is_edit: bool = False
    # A content-only check ("nudge"): the author is treated as one in good standing.
    content_only: bool = False
    language: str = "en"
    # Read by `posting_context` before the run when the caller has not built it.
    context: PostingContext | None = None

    def prepared(self) -> PostingContext:
        if self.context is None:
            self.context = posting_context(self.story, self.account,
                                           content_only=self.content_only)
        return self.context

    @property
    def config(self) -> SiteModeration:
        """The site's moderation settings (a shared snapshot: never change or save it)."""
        return self.prepared().config

    @property
    def posting(self) -> PostConfig:
        return self.prepared().posting

    @property
    def sanctions(self) -> dict[str, AccountAction]:
        """The author's bans, suspensions, always-review and trust marks on this site."""
        return self.prepared().sanctions

    @property
    def history(self) -> AuthorHistory:
        """The author's newest comments (the phases that look back ask only with an author)."""
        history = self.prepared().history
        assert history is not None, "no history for an anonymous or content-only check"
        return history

    @cached_property
    def trusted(self) -> bool:
        if self.account is None or self.content_only:
            return False
        return account_trusted(self.account, self.story.site, self.config,
                               active=self.sanctions)

    @cached_property
    def fingerprint(self) -> str:
        """The text's fingerprint: equal for texts that differ only in case, accents,
        spacing and punctuation (stored with the comment to find repeats)."""
        return fingerprint(self.text)


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
    # The model's top category (insult, threat, hate, obscenity); rules leave it empty.
    category: str = ""

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
        codes = [f.guideline for f in self.findings
                 if f.guideline and f.action in ("hold", "reject", "flag")]
        return list(dict.fromkeys(codes))

    @property
    def risk(self) -> float:
        """Return how likely the comment breaks a guideline (0..1), for highest-risk-first."""
        values = [0.0]
        for finding in self.findings:
            if finding.phase in PROCEDURAL or finding.action not in _RULE_RISK:
                continue
            values.append(_RULE_RISK[finding.action])
        values.extend(v for k, v in self.scores.items() if k == "toxicity")
        return round(min(1.0, max(values)), 4)

    @property
    def category(self) -> str:
        """Return the kind of harm the risk score stands for: the category of the finding
        that gave it (the model's own, or the one its guideline names).

        A score under :data:`CATEGORY_FLOOR` names no harm: a civil comment's largest
        category is noise, and the queues' category filter must not list it.
        """
        best, label = 0.0, ""
        for finding in self.findings:
            if finding.phase in PROCEDURAL:
                continue
            if finding.category and finding.score is not None:
                value, kind = finding.score, finding.category
            elif finding.action in _RULE_RISK:
                value = _RULE_RISK[finding.action]
                kind = GUIDELINE_CATEGORIES.get(finding.guideline, "")
            else:
                continue
            if kind and value >= CATEGORY_FLOOR and value > best:
                best, label = value, kind
        return label

    def shown_findings(self) -> list[dict[str, Any]]:
        """Return the findings worth showing (not the silent `pass` ones)."""
        return [f.as_dict() for f in self.findings if f.action != "pass"]


class Phase(Protocol):
    name: str

    def run(self, submission: Submission) -> Finding | list[Finding] | None: ...


class PreModeration:
    """Hold everything on stories whose moderation mode is `pre`."""

    name = "pre_moderation"
    always_runs = False

    def run(self, submission: Submission) -> Finding | None:
        if submission.content_only or submission.story.moderation_mode != "pre":
            return None
        return Finding(self.name, "hold", reason="story is pre-moderated")


# Phases a site may switch off; the others guard rules that are not a site's choice.
OPTIONAL_PHASES: tuple[str, ...] = (
    "youth_privacy", "word_lists", "links", "toxicity", "spam", "new_commenters", "trust",
)
# Holds a trusted account may be allowed to skip.
SKIPPABLE_PHASES: tuple[str, ...] = ("links", "new_commenters", "spam", "toxicity", "word_lists")

_classes: dict[tuple[str, ...], tuple[Any, ...]] = {}


def phase_classes() -> tuple[Any, ...]:
    """Return every phase class in the order they run: the `TOWNHALL_PHASES` setting, a list
    of dotted paths (a deployment may add its own phase or reorder them)."""
    paths = tuple(settings.TOWNHALL_PHASES)
    found = _classes.get(paths)
    if found is None:
        found = _classes[paths] = tuple(import_string(path) for path in paths)
    return found


def configured_phases(config: SiteModeration | None = None) -> Sequence[Phase]:
    """Return the phases a site runs, in order (every phase when no site is given)."""
    disabled = set(config.disabled_phases or []) if config is not None else set()
    return [cls() for cls in phase_classes()
            if cls.name not in disabled or cls.name not in OPTIONAL_PHASES]


def default_phases(submission: Submission) -> Sequence[Phase]:
    """Return the phases the submission's site runs, in order."""
    return configured_phases(submission.config)


def fingerprint(text: str) -> str:
    """Return a text's fingerprint: equal for texts that differ in case, accents, spacing."""
    canonical = " ".join(re.findall(r"\w+", fold_text(text)))
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def _run_one(phase: Phase, submission: Submission) -> list[Finding]:
    try:
        result = phase.run(submission)
    except Exception:
        log.exception("moderation phase %s failed; holding the comment", phase.name)
        result = Finding(phase.name, "hold", reason="phase failed; held for safety")
    results = result if isinstance(result, list) else [result] if result else []
    skips = () if submission.content_only else submission.config.trusted_skips or ()
    for finding in results:
        if finding.action == "hold" and finding.phase in skips and submission.trusted:
            finding.action = "flag"
            finding.reason = f"{finding.reason} (skipped: trusted account)".strip()
    return results


def run(submission: Submission, phases: Sequence[Phase] | None = None) -> Verdict:
    """Run the phases in order; the first deciding finding ends the run."""
    submission.prepared()
    findings: list[Finding] = []
    decided: Finding | None = None
    for phase in phases if phases is not None else default_phases(submission):
        if decided is not None and not getattr(phase, "always_runs", False):
            continue
        results = _run_one(phase, submission)
        findings.extend(results)
        if decided is None:
            decided = next((f for f in results if f.action in DECIDING), None)
    scores: dict[str, float] = {}
    model_version = ""
    for finding in findings:
        scores.update(finding.scores)
        model_version = finding.model_version or model_version
    if decided is None:
        return Verdict("publish", "", "", findings, scores, model_version)
    return Verdict(decided.action, decided.phase, decided.guideline,  # type: ignore[arg-type]
                   findings, scores, model_version)
