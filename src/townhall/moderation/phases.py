"""The moderation phases and the per-site list of those that run (see pipeline.py).

Each phase is small and answers one question about a submission. The order matters: the
first deciding finding ends the run, so cheap, certain checks come before costly or
uncertain ones. docs/moderation.md states each phase's failure policy.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections import Counter
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from townhall.comments.models import Comment, Status
from townhall.core import clock, metrics
from townhall.moderation.guidelines import CATEGORY_GUIDELINES
from townhall.moderation.pipeline import (
    Action,
    Finding,
    Submission,
)
from townhall.moderation.toxicity.normalize import fold, original_span
from townhall.moderation.toxicity.scorers import (
    DEFAULT_HOLD_THRESHOLD,
    HttpScorer,
    ScorerUnavailable,
    get_default_scorer,
)

if TYPE_CHECKING:
    from townhall.moderation.models import SiteModeration

log = logging.getLogger(__name__)


def _span(start: int, end: int, text: str, **extra: Any) -> dict[str, Any]:
    return {"start": start, "end": end, "text": text[start:end], **extra}


class StoryClosed:
    """Refuse comments on a closed story (the API checks first; this guards every path)."""

    name = "story_closed"

    def run(self, submission: Submission) -> Finding | None:
        if submission.story.is_open():
            return None
        return Finding(self.name, "reject", reason="comments are closed on this story")


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
                           spans=[_span(m.start(), m.end(), text) for m in runs[:5]])
        if text.count("\n") > 40:
            return Finding(self.name, "hold", "spam", reason="too many line breaks")
        return None


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


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(
    r"(?<!\w)(?:\+?\d{1,2}[\s.-]?)?(?:\(\d{3}\)|\d{3})[\s.-]?\d{3}[\s.-]?\d{4}(?!\w)"
)
_STREET = re.compile(
    r"\b\d{1,5}\s*,?\s+(?:(?:rue|avenue|av\.?|boulevard|boul\.?|chemin|ch\.?|route|rang|place|"
    r"allée|impasse|côte)\s+[\w'’\- ]{2,40}|[\w'’\-]+(?:\s+[\w'’\-]+){0,3}\s+(?:street|st|"
    r"avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|court|ct|crescent|cres|way|place|pl|"
    r"terrace|circle|cir)\b\.?)",
    re.IGNORECASE,
)
_SOCIAL = re.compile(
    r"(?:(?:https?://)?(?:www\.)?(?:instagram\.com|facebook\.com|fb\.com|tiktok\.com|"
    r"snapchat\.com|twitter\.com|x\.com|youtube\.com|discord\.gg|discord\.com|t\.me|"
    r"threads\.net|twitch\.tv)/\S+|(?<![\w@])@[A-Za-z0-9_.]{3,30}\b|"
    r"\b(?:snap(?:chat)?|insta(?:gram)?|tiktok|discord|kik|whatsapp)\s*[:=]?\s*@?[A-Za-z0-9_.]{3,30})",
    re.IGNORECASE,
)


class YouthPrivacy:
    """In youth communities, hold comments that share emails, phones, addresses or profiles."""

    name = "youth_privacy"

    def run(self, submission: Submission) -> Finding | None:
        if not submission.story.is_youth:
            return None
        text = submission.text
        spans: list[dict[str, Any]] = []
        for kind, pattern in (("email", _EMAIL), ("phone", _PHONE), ("address", _STREET),
                              ("social", _SOCIAL)):
            spans.extend(_span(m.start(), m.end(), text, kind=kind)
                         for m in pattern.finditer(text))
        if not spans:
            return None
        spans.sort(key=lambda s: s["start"])
        kinds = sorted({s["kind"] for s in spans})
        return Finding(self.name, "hold", "privacy",
                       reason="personal information: " + ", ".join(kinds), spans=spans)


@lru_cache(maxsize=256)
def _compile_rules(
    rules: tuple[tuple[str, str, str], ...],
) -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    """Compile (folded phrase, action, guideline) rules into one pattern over folded text."""
    lookup = {folded: (action, guideline) for folded, action, guideline in rules}
    parts = sorted(lookup, key=len, reverse=True)
    alternation = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in parts)
    return re.compile(rf"(?<![a-z0-9])(?:{alternation})(?![a-z0-9])"), lookup


_SEVERITY = {"block": 2, "hold": 1, "flag": 0}
_WORD_ACTION = {"block": "reject", "hold": "hold", "flag": "flag"}


class WordLists:
    """Block, hold or flag listed words and phrases, seen through obfuscation (`fold`)."""

    name = "word_lists"

    def run(self, submission: Submission) -> list[Finding] | None:
        rules = submission.posting.word_rules(submission.language)
        if not rules:
            return None
        pattern, lookup = _compile_rules(rules)
        text = submission.text
        folded, offsets = fold(text)
        hits: dict[str, list[dict[str, Any]]] = {}
        guideline_of: dict[str, str] = {}
        for match in pattern.finditer(folded):
            key = " ".join(match.group(0).split())
            action, guideline = lookup.get(key, ("flag", ""))
            start, end = original_span(text, offsets, match.start(), match.end())
            hits.setdefault(action, []).append(_span(start, end, text, word=key))
            guideline_of.setdefault(action, guideline)
        if not hits:
            return None
        findings = []
        for action in sorted(hits, key=lambda a: -_SEVERITY[a]):
            words = ", ".join(dict.fromkeys(s["word"] for s in hits[action]))
            findings.append(Finding(self.name, _WORD_ACTION[action],  # type: ignore[arg-type]
                                    guideline_of[action], reason=f"listed words: {words}",
                                    spans=hits[action]))
        return findings


_LINK = re.compile(
    r"(?:https?://[^\s<>\"')\]]+|www\.[^\s<>\"')\]]+|"
    r"(?<![@\w.-])(?:[a-z0-9-]+\.)+(?:com|net|org|info|biz|io|co|ca|fr|ly|xyz|ru|cn|top|"
    r"shop|site|online|club|app|me|tv|us|uk|de|be|ch|qc\.ca)(?:/[^\s<>\"')\]]*)?(?![\w.-]))",
    re.IGNORECASE,
)


def link_host(url: str) -> str:
    """Return the lower-case host of a URL-like string."""
    target = url if "://" in url else f"http://{url}"
    try:
        host = urlsplit(target).hostname or ""
    except ValueError:  # e.g. "http://[not-ipv6": judge the text as written
        host = target.split("://", 1)[1].split("/", 1)[0]
    return host.lower().removeprefix("www.")


def _host_allowed(host: str, allowed: set[str]) -> bool:
    return any(host == d or host.endswith(f".{d}") for d in allowed)


class Links:
    """Hold links to domains the site has not allowed (or only flag them, by setting)."""

    name = "links"

    def run(self, submission: Submission) -> Finding | None:
        text = submission.text
        found = [(m, link_host(m.group(0))) for m in _LINK.finditer(text)]
        if not found:
            return None
        config = submission.config
        allowed = {d.lower().removeprefix("www.") for d in config.link_domains}
        allowed |= {link_host(o) for o in submission.story.site.origins}
        if submission.story.url:
            allowed.add(link_host(submission.story.url))
        outside = [(m, host) for m, host in found if host and not _host_allowed(host, allowed)]
        if not outside:
            return None
        spans = [_span(m.start(), m.end(), text, host=host) for m, host in outside]
        hosts = ", ".join(dict.fromkeys(h for _m, h in outside))
        action: Action = "hold" if config.link_policy == "hold" else "flag"
        return Finding(self.name, action, "spam", reason=f"links to {hosts}", spans=spans)


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


def _category_guideline(categories: Any) -> str:
    if isinstance(categories, dict) and categories:
        ranked = sorted(categories.items(), key=lambda kv: -float(kv[1] or 0))
        for name, _value in ranked:
            if str(name).lower() in CATEGORY_GUIDELINES:
                return CATEGORY_GUIDELINES[str(name).lower()]
    return "respect"


def _span_dict(span: Any, text: str) -> dict[str, Any]:
    if isinstance(span, dict):
        start, end = int(span.get("start", 0)), int(span.get("end", 0))
        extra = {k: v for k, v in span.items() if k not in ("start", "end", "text")}
    else:
        start, end = int(span.start), int(span.end)
        extra = {k: getattr(span, k) for k in ("score", "label", "weight")
                 if isinstance(getattr(span, k, None), (int, float, str))}
    return _span(start, end, text, **extra)


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
        spans = [_span_dict(s, submission.text) for s in getattr(result, "spans", None) or []]
        return Finding(
            self.name, action,  # type: ignore[arg-type]
            guideline if action != "pass" else "",
            reason=f"model score {score:.2f}", spans=spans if action != "pass" else spans[:5],
            score=score, scores={"toxicity": score},
            model_version=str(getattr(result, "model_version", "") or ""),
        )


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
                           spans=[_span(0, len(text), text)])
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


class NewCommenters:
    """Hold an account's first comments on a site until a moderator has approved enough."""

    name = "new_commenters"

    def run(self, submission: Submission) -> Finding | None:
        needed = submission.config.new_commenter_holds
        if submission.content_only or submission.account is None or not needed:
            return None
        history = submission.history
        site_id = submission.story.site_id
        published = sum(1 for r in history.rows
                        if r.site_id == site_id and r.status == Status.PUBLISHED)
        if published < needed and not history.complete:
            published = Comment.objects.filter(
                author=submission.account, story__site_id=site_id, status=Status.PUBLISHED,
            )[:needed].count()
        if published >= needed:
            return None
        return Finding(self.name, "hold",
                       reason=f"new commenter: {published} of {needed} comments approved")


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
