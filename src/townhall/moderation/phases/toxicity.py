"""Toxicity: the model's score, and the scorer `TOWNHALL_SCORER` chooses."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from townhall.core import metrics
from townhall.moderation.guidelines import CATEGORY_GUIDELINES
from townhall.moderation.phases.spans import span_dict
from townhall.moderation.pipeline import Finding, Submission
from townhall.moderation.toxicity.scorers import (
    DEFAULT_HOLD_THRESHOLD,
    HttpScorer,
    ScorerUnavailable,
    get_default_scorer,
)

if TYPE_CHECKING:
    from townhall.moderation.models import SiteModeration

log = logging.getLogger(__name__)

_scorer_override: list[Any] = []


def use_scorer(scorer: Any | None) -> None:
    """Replace the toxicity scorer (tests, benchmarks); None restores the default."""
    _scorer_override.clear()
    if scorer is not None:
        _scorer_override.append(scorer)


_http_scorers: dict[tuple[str, str, str], HttpScorer] = {}


def toxicity_scorer() -> Any:
    """Return the scorer `TOWNHALL_SCORER` names (or the one a test put in place)."""
    if _scorer_override:
        return _scorer_override[0]
    kind = settings.TOWNHALL_SCORER
    if kind == "local":
        return get_default_scorer()
    if kind != "http":
        raise ImproperlyConfigured(f"TOWNHALL_SCORER must be local or http, not {kind!r}")
    key = (settings.TOWNHALL_SCORER_URL, settings.TOWNHALL_SCORER_SECRET,
           settings.TOWNHALL_SCORER_FAIL)
    scorer = _http_scorers.get(key)
    if scorer is None:
        try:
            scorer = _http_scorers[key] = HttpScorer(
                url=key[0], secret=key[1].encode(), fail_policy=key[2])  # type: ignore[arg-type]
        except ValueError as error:
            raise ImproperlyConfigured(f"TOWNHALL_SCORER=http: {error}") from None
    return scorer


_takes_language_hint: dict[type, bool] = {}


def _score_with_hint(scorer: Any, text: str, language: str) -> Any:
    """Give the scorer the story's language as a hint when it takes one (older ones don't)."""
    kind: type = type(scorer)
    if kind not in _takes_language_hint:
        import inspect

        try:
            parameters = list(inspect.signature(scorer.score).parameters.values())
        except (AttributeError, TypeError, ValueError):
            parameters = []
        _takes_language_hint[kind] = any(
            p.name == "language_hint" or p.kind is inspect.Parameter.VAR_KEYWORD
            for p in parameters
        )
    if _takes_language_hint[kind]:
        return scorer.score(text, language_hint=language)
    return scorer.score(text)


def toxicity_thresholds(config: SiteModeration) -> tuple[float, float | None]:
    """Return the site's (hold, reject) thresholds; reject None means never reject."""
    hold = config.toxicity_hold
    if hold is None:
        hold = float(DEFAULT_HOLD_THRESHOLD)
    return hold, config.toxicity_reject


def _top_category(categories: Any) -> str:
    if isinstance(categories, dict) and categories:
        name = max(categories.items(), key=lambda kv: float(kv[1] or 0))[0]
        return str(name).lower()
    return ""


def _category_guideline(categories: Any) -> str:
    if isinstance(categories, dict) and categories:
        ranked = sorted(categories.items(), key=lambda kv: -float(kv[1] or 0))
        for name, _value in ranked:
            if str(name).lower() in CATEGORY_GUIDELINES:
                return CATEGORY_GUIDELINES[str(name).lower()]
    return "respect"


class Toxicity:
    """Score the text with the toxicity model; hold above the site's threshold, reject
    above its reject threshold when one is set."""

    name = "toxicity"
    always_runs = True

    def run(self, submission: Submission) -> Finding:
        started = time.perf_counter()
        scorer = toxicity_scorer()
        try:
            result = _score_with_hint(scorer, submission.text, submission.story.language)
        except ScorerUnavailable:
            if getattr(scorer, "fail_policy", "hold") != "allow":
                raise  # the phase fails: the comment is held for a person
            log.warning("toxicity scorer unavailable; the comment passes by policy")
            return Finding(self.name, "flag", reason="scorer unavailable; allowed by policy")
        metrics.MODEL_LATENCY.observe(time.perf_counter() - started)
        score = round(float(result.score), 4)
        hold, reject = toxicity_thresholds(submission.config)
        action = "pass"
        if reject is not None and score >= reject:
            action = "reject"
        elif score >= hold:
            action = "hold"
        guideline = _category_guideline(getattr(result, "categories", None))
        # The sentence model's reading, when the cascade asked for one (kept on the decision).
        second = getattr(result, "semantic", None)
        semantic = {"semantic": round(float(second), 4)} if second is not None else {}
        spans = [span_dict(s, submission.text) for s in getattr(result, "spans", None) or []]
        return Finding(
            self.name, action,  # type: ignore[arg-type]
            guideline if action != "pass" else "",
            reason=f"model score {score:.2f}"
            + (" (read again by the sentence model)" if semantic else ""),
            spans=spans if action != "pass" else spans[:5],
            score=score, scores={"toxicity": score, **semantic},
            model_version=str(getattr(result, "model_version", "") or ""),
            category=_top_category(getattr(result, "categories", None)),
        )
