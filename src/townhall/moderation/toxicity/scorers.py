"""The scorer interface the moderation pipeline calls, and its two implementations.

``get_default_scorer()`` returns the local model (the committed artifact: numpy, and
onnxruntime for its semantic stage).
``HttpScorer`` delegates to an external service a publisher runs themselves; it signs each
request and raises :class:`ScorerUnavailable` on any failure, so that the caller applies
its explicit fail policy ("hold" or "allow") instead of silently publishing.

The local score is a documented function of the categories (see :meth:`LocalScorer.risk`):
the largest of the learned heads (toxic, hate), each calibrated per language so that
:data:`DEFAULT_HOLD_THRESHOLD` (0.5) is the point chosen for it on the tune split of the
news-context set (retraining keeps that meaning), and of the rules (see :mod:`.rules`),
which lift a threat, dehumanisation or money-lure spam to 0.9 and a lexicon insult to 0.6:
rules hold, they never reject. Obscenity is named, not scored: the site's word list holds it.

When the artifact has a semantic stage (:mod:`.semantic`), a comment the learned heads would
hold without being sure, and no rule holds, is read again by it; its score may lower the
learned one, never raise it (the cascade, ADR 0008).
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import logging
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

from .langdetect import detect_language
from .model import ArtifactError, ToxicityModel, sigmoid
from .normalize import fold, fold_text, original_span
from .registry import active_artifact_dir
from .rules import (
    celebration_score,
    dehumanisation_score,
    generalisation_score,
    insult_score,
    names_a_group,
    obscenity_score,
    rule_spans,
    spam_score,
    threat_score,
)
from .semantic import SemanticStage

__all__ = [
    "DEFAULT_HOLD_THRESHOLD",
    "DEFAULT_REJECT_THRESHOLD",
    "HttpScorer",
    "LocalScorer",
    "Scorer",
    "ScorerUnavailable",
    "Span",
    "ToxicityResult",
    "get_default_scorer",
    "hold_threshold",
]

#: Hold for review at or above this score. Training calibrates each language so that this
#: value sits where the news-context tune split is best separated (see the model card).
DEFAULT_HOLD_THRESHOLD: float = 0.5
#: Reject outright at or above this score; set to None in settings to always hold instead.
DEFAULT_REJECT_THRESHOLD: float | None = 0.95

ARTIFACT_DIR = Path(__file__).with_name("artifacts")
logger = logging.getLogger(__name__)
MAX_SPANS = 8
#: Below this score a comment names no harm: no category, and no words highlighted (finding
#: the words costs as much as the score itself, and a civil comment's "most toxic" words are
#: innocent ones).
EXPLAIN_FLOOR: float = 0.3
#: How many words' scores on their own are remembered before the memory starts again.
ALONE_CACHE = 20_000
#: How far past an empty comment a word alone must move a head's logit to be highlighted as
#: abusive: the English toxic head gives "halfwit" 4.6 and "scum" 6.9 over the empty comment,
#: but "country" 3.8, "you" 2.4 and "un" 2.6 (French).
ALONE_MARGIN = 4.0


@dataclass(frozen=True)
class Span:
    """A stretch of the original comment that raised its score."""

    start: int
    end: int
    text: str
    weight: float


@dataclass(frozen=True)
class ToxicityResult:
    """A comment's overall score, per-category scores and the spans that drove them."""

    score: float
    categories: dict[str, float]
    spans: list[Span]
    language: str
    model_version: str
    #: What each rule gave, before the learned heads were combined with it (0 when silent).
    rules: dict[str, float] = field(default_factory=dict)
    #: The semantic stage's calibrated score, when the cascade asked it (None otherwise).
    semantic: float | None = None


@runtime_checkable
class Scorer(Protocol):
    """Anything that can score one comment."""

    name: str

    def score(self, text: str, *, language_hint: str | None = None) -> ToxicityResult:
        """Score ``text``; ``language_hint`` is the story's language when known."""
        ...


class ScorerUnavailable(Exception):
    """The scorer could not produce a result; the caller applies its fail policy."""


def _joined(stretches: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join stretches of text that overlap or touch into one, in order; drop empty ones."""
    joined: list[tuple[int, int]] = []
    for start, end in sorted(stretch for stretch in stretches if stretch[1] > stretch[0]):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((start, end))
    return joined


class LocalScorer:
    """Score comments with the trained artifact, in process: numpy for the fast model,
    onnxruntime for its semantic stage when the artifact has one."""

    name = "townhall-local"

    def __init__(self, model: ToxicityModel, semantic: SemanticStage | None = None) -> None:
        """Wrap a loaded model and, when the artifact has one, its semantic stage."""
        self.model = model
        calibration = model.metadata.get("calibration", {})
        self._calibration = {
            (lang, head): (
                float(calibration[lang][head]["center"]),
                float(calibration[lang][head]["slope"]),
            )
            for lang in model.languages
            for head in model.heads
        }
        self.model_version = model.version
        cascade = model.metadata.get("semantic")
        self.semantic = semantic if cascade else None
        self._band = (0.0, 0.0)
        self._semantic_calibration: dict[str, tuple[float, float]] = {}
        #: A word's logit on its own, by language, head and folded word (insults repeat).
        self._alone: dict[tuple[str, int, str], float] = {}
        if self.semantic is not None and cascade:
            if cascade.get("onnx_sha256") != self.semantic.metadata.get("onnx_sha256"):
                raise ArtifactError("the semantic stage is not the one the model was calibrated on")
            try:
                self._band = (float(cascade["band"][0]), float(cascade["band"][1]))
                self._semantic_calibration = {
                    lang: (float(line["center"]), float(line["slope"]))
                    for lang, line in cascade["calibration"].items()
                }
            except (KeyError, TypeError, ValueError, IndexError) as error:
                raise ArtifactError(f"the semantic stage's calibration is unreadable: {error}"
                                    ) from error

    @classmethod
    def from_directory(cls, directory: Path = ARTIFACT_DIR) -> LocalScorer:
        """Load the artifact in ``directory``, with its semantic stage when it has one."""
        model = ToxicityModel.load(directory)
        return cls(model, SemanticStage.declared(directory, model.metadata))

    def asks_semantic(self, learned: dict[str, float], rules: dict[str, float]) -> bool:
        """Whether the cascade sends a comment to the semantic stage.

        Only when the fast model would hold it without being sure (its larger learned score
        inside the band, which starts at the hold line) and no rule holds it: a threat or an
        insult a rule read stays held whatever the sentence model thinks.
        """
        if self.semantic is None:
            return False
        low, high = self._band
        return low <= max(learned.values(), default=0.0) < high and max(
            rules.values(), default=0.0
        ) < DEFAULT_HOLD_THRESHOLD

    def semantic_score(self, language: str, logit: float) -> float:
        """Map the semantic stage's logit to its calibrated score for ``language``."""
        center, slope = self._semantic_calibration.get(language, (0.0, 1.0))
        return sigmoid(slope * (logit - center))

    def _second_reading(
        self, text: str, language: str, learned: dict[str, float], rules: dict[str, float]
    ) -> tuple[dict[str, float], float | None]:
        """Return the learned scores after the cascade, and the semantic stage's score when
        it was asked (``None`` when not)."""
        if self.semantic is None or not self.asks_semantic(learned, rules):
            return learned, None
        semantic = self.semantic_score(language, float(self.semantic.logits([text])[0]))
        return self._in_band(learned, semantic), semantic

    def _in_band(self, learned: dict[str, float], semantic: float) -> dict[str, float]:
        """Let the semantic stage release what the fast model doubted, never hold more.

        Both scores hold at 0.5. Where the sentence model reads the comment as civil, the
        score falls to the mean of the two, and may fall under the hold line ("I don't hate
        immigrants" is not hate); where it agrees, or is more worried, the fast model's
        score stands. So the cascade removes false holds and adds none.
        """
        top = max(learned, key=learned.__getitem__)
        judged = min(learned[top], (learned[top] + semantic) / 2)
        return {head: judged if head == top else min(value, judged)
                for head, value in learned.items()}

    def calibrated(self, language: str, logit: float, head: str = "toxic") -> float:
        """Map one head's logit to its calibrated score for ``language``."""
        center, slope = self._calibration.get((language, head), (0.0, 1.0))
        return sigmoid(slope * (logit - center))

    def score(self, text: str, *, language_hint: str | None = None) -> ToxicityResult:
        """Score one comment, with the spans that drove its score."""
        language = detect_language(text, hint=language_hint)
        folded, offsets = fold(text)
        row = self.model.language_index(language)
        logits = self.model.logits([folded], [row])[0]
        learned = self._learned(language, logits)
        rules = self._rules(folded, language)
        learned, semantic = self._second_reading(text, language, learned, rules)
        result = self._result(language, folded, learned, rules, semantic)
        if result.score < EXPLAIN_FLOOR:
            return result
        # The spans explain the head that scored highest: the words that made it an insult
        # or hate, not the words the other head liked.
        head = self.model.heads.index(max(learned, key=learned.__getitem__))
        spans = self._abusive_alone(language, row, head, [
            Span(start, end, text[start:end], round(weight, 4))
            for start, end, weight in self.model.spans(
                text, folded, offsets, row, limit=MAX_SPANS, head=head
            )
        ])
        if max((v for k, v in result.rules.items() if k != "obscenity"), default=0.0) > 0:
            # What a rule matched is shown too: a threat or an insult held by a rule is
            # highlighted where the rule read it, as one phrase that takes the place of the
            # model's words inside it ("The Jews control the media" is the phrase, not the
            # group's name alone). (Only when a rule fired: finding where costs as much again
            # as deciding whether.)
            weakest = min((span.weight for span in spans), default=1.0)
            for start, end in _joined(
                original_span(text, offsets, folded_start, folded_end)
                for folded_start, folded_end in rule_spans(folded, language)
            ):
                inside = [s for s in spans if s.start < end and start < s.end]
                spans = [s for s in spans if s not in inside]
                weight = max((s.weight for s in inside), default=weakest / 2)
                spans.append(Span(start, end, text[start:end], round(weight, 4)))
            spans.sort(key=lambda span: -span.weight)
        return dataclasses.replace(result, spans=spans[:MAX_SPANS])

    def _abusive_alone(self, language: str, row: int, head: int, spans: list[Span]) -> list[Span]:
        """Keep the words that are abusive on their own.

        A word's share of the logit says what moved the score, not that the word is abusive:
        "député" carries the character n-grams of "pute", and "un" or "are" sit beside every
        insult. A moderator reads a highlight as "this word is the problem", so a word is shown
        only when the same head, reading that word alone, moves at least
        ``ALONE_MARGIN`` logits past an empty comment, and when it is not a group's name
        (naming a group is not abusive; a rule shows the phrase that attacks it). A held
        comment may so show no word: the sentence held it, not a word in it.
        """
        words = [fold_text(span.text) for span in spans]
        # Read into a local table: another request may start the shared memory again.
        alone: dict[str, float] = {}
        for word in {"", *words}:
            if (logit := self._alone.get((language, head, word))) is not None:
                alone[word] = logit
        unknown = sorted({"", *words} - alone.keys())
        if unknown:
            if len(self._alone) > ALONE_CACHE:
                self._alone.clear()
            for word, logits in zip(unknown, self.model.logits(unknown, [row] * len(unknown)),
                                    strict=True):
                alone[word] = self._alone[language, head, word] = float(logits[head])
        return [span for span, word in zip(spans, words, strict=True)
                if alone[word] - alone[""] >= ALONE_MARGIN and not names_a_group(word)]

    def score_batch(
        self, texts: Sequence[str], *, language_hints: Sequence[str | None] | None = None
    ) -> list[ToxicityResult]:
        """Score many comments at once, without spans; this is the fast path for backfills."""
        hints = list(language_hints) if language_hints is not None else [None] * len(texts)
        languages = [
            detect_language(text, hint=hint) for text, hint in zip(texts, hints, strict=True)
        ]
        folded = [fold_text(text) for text in texts]
        rows = [self.model.language_index(language) for language in languages]
        logits = self.model.logits(folded, rows)
        learned = [
            self._learned(language, z) for language, z in zip(languages, logits, strict=True)
        ]
        rules = [
            self._rules(text, language) for text, language in zip(folded, languages, strict=True)
        ]
        semantic: list[float | None] = [None] * len(texts)
        for index, text in enumerate(texts):
            learned[index], semantic[index] = self._second_reading(
                text, languages[index], learned[index], rules[index]
            )
        return [
            self._result(language, folded_text, scores, fired, judged)
            for language, folded_text, scores, fired, judged in zip(
                languages, folded, learned, rules, semantic, strict=True
            )
        ]

    def _learned(self, language: str, logits: Sequence[float]) -> dict[str, float]:
        """Return each learned head's calibrated score, by head name."""
        return {
            head: self.calibrated(language, float(logit), head)
            for head, logit in zip(self.model.heads, logits, strict=True)
        }

    @staticmethod
    def risk(categories: dict[str, float]) -> float:
        """Return the overall risk the product acts on: the largest category score.

        Every category is on the same scale (0.5 holds), so a comment is held when any one
        kind of harm is likely, and the category that held it is the largest.
        """
        return max(categories.values(), default=0.0)

    @staticmethod
    def _rules(folded: str, language: str) -> dict[str, float]:
        """Return what each holding rule gives ``folded`` (0 when silent)."""
        return {
            "threat": threat_score(folded, language),
            "hate": max(dehumanisation_score(folded), generalisation_score(folded)),
            "abuse": max(celebration_score(folded), insult_score(folded, language)),
            "spam": spam_score(folded),
        }

    def _result(
        self,
        language: str,
        folded: str,
        learned: dict[str, float],
        rules: dict[str, float],
        semantic: float | None = None,
    ) -> ToxicityResult:
        threat, hate_rule, abuse_rule, spam = (
            rules["threat"], rules["hate"], rules["abuse"], rules["spam"]
        )
        obscenity = obscenity_score(folded, language)
        # The toxic head learns abuse of every kind (its data label hate toxic too), so when
        # the hate head holds a comment the two learned scores are read as one judgment of
        # hate: the larger goes to the hate category, and the risk is unchanged.
        toxic, hate = learned.get("toxic", 0.0), learned.get("hate", 0.0)
        if hate >= DEFAULT_HOLD_THRESHOLD:
            toxic, hate = min(toxic, hate), max(toxic, hate)
        categories = {
            "insult": max(toxic, abuse_rule),
            "hate": max(hate, hate_rule),
            "threat": threat,
            "spam": spam,
        }
        score = self.risk(categories)
        # Obscenity names its category for the moderator (0.9 strong, 0.5 mild) but is not
        # part of the risk: whether "shit" holds is the site's policy, kept in its word list
        # (the WordLists phase, which holds the strong words by default), not a judgment
        # the model should make for every site.
        categories["obscenity"] = obscenity
        return ToxicityResult(
            score=score,
            categories={name: round(value, 4) for name, value in categories.items()},
            spans=[],
            language=language,
            model_version=self.model_version,
            rules={"threat": threat, "hate": hate_rule, "abuse": abuse_rule,
                   "obscenity": obscenity, "spam": spam},
            semantic=semantic,
        )


_default_lock = threading.Lock()
_default_scorer: LocalScorer | None = None
_default_directory: Path | None = None
_pointer_checked_at = float("-inf")
#: How often a running process looks for a model switched on with ``activate-model``.
POINTER_RECHECK_SECONDS = 2.0


def hold_threshold(language: str | None = None) -> float:
    """Return the hold threshold for ``language``.

    Training places the hold line per language on the news-context tune split (the logits
    are in ``model.json`` under ``calibration``) and calibrates each language's score so
    that its line falls at :data:`DEFAULT_HOLD_THRESHOLD`; one number serves both.
    """
    del language
    return DEFAULT_HOLD_THRESHOLD


def get_default_scorer() -> Scorer:
    """Return the local scorer over the active model, loaded once per model and process.

    The active model is the one an admin switched on with ``townhall activate-model``
    (see :mod:`.registry`), else the committed artifact. A model that fails to load is
    logged and the committed artifact scores instead, so comments keep flowing.
    """
    global _default_scorer, _default_directory, _pointer_checked_at
    now = time.monotonic()
    scorer = _default_scorer
    if scorer is not None and now - _pointer_checked_at < POINTER_RECHECK_SECONDS:
        return scorer
    with _default_lock:
        _pointer_checked_at = now
        directory = active_artifact_dir(ARTIFACT_DIR)
        if _default_scorer is None or directory != _default_directory:
            try:
                _default_scorer = LocalScorer.from_directory(directory)
            except ArtifactError:
                logger.exception("cannot load the model in %s; using the built-in", directory)
                if _default_scorer is None or _default_directory != ARTIFACT_DIR:
                    _default_scorer = LocalScorer.from_directory(ARTIFACT_DIR)
                directory = ARTIFACT_DIR
            _default_directory = directory
        return _default_scorer


def sign(secret: bytes, body: bytes, timestamp: int) -> str:
    """Return the ``X-Townhall-Signature`` header value for ``body`` sent at ``timestamp``."""
    message = str(timestamp).encode() + b"." + body
    digest = hmac.new(secret, message, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


@dataclass
class HttpScorer:
    """Score comments with an external HTTP service.

    The service receives ``{"text": ..., "language": ...}`` as JSON, signed with
    HMAC-SHA256 over ``f"{t}.{body}"`` in ``X-Townhall-Signature: t=<unix>,v1=<hex>``, and
    must answer ``{"score": float, "categories": {...}, "spans": [...], "language": str,
    "model_version": str}`` (only ``score`` is required). Any network error, timeout,
    non-2xx status or malformed answer raises :class:`ScorerUnavailable`; ``fail_policy``
    records what the caller should then do and is never applied here.
    """

    url: str
    secret: bytes
    fail_policy: Literal["hold", "allow"]
    timeout: float = 2.0
    name: str = "http"
    clock: Callable[[], float] = field(default_factory=lambda: time.time, repr=False)

    def __post_init__(self) -> None:
        """Refuse a missing fail policy or a non-HTTP URL early, not on the first comment."""
        if self.fail_policy not in ("hold", "allow"):
            raise ValueError('fail_policy must be "hold" or "allow"')
        if not self.url.startswith(("http://", "https://")):
            raise ValueError("HttpScorer url must be http:// or https://")

    def score(self, text: str, *, language_hint: str | None = None) -> ToxicityResult:
        """POST the comment to the service and return its verdict."""
        language = language_hint or detect_language(text)
        body = json.dumps({"text": text, "language": language}, ensure_ascii=False).encode()
        timestamp = int(self.clock())
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __post_init__
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "X-Townhall-Signature": sign(self.secret, body, timestamp),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                payload = json.loads(response.read())
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
            raise ScorerUnavailable(f"{self.url}: {error}") from error
        try:
            score = float(payload["score"])
            if not 0.0 <= score <= 1.0:
                raise ValueError(f"score {score} is outside [0, 1]")
            categories = {str(k): float(v) for k, v in dict(payload.get("categories", {})).items()}
            spans = [
                Span(
                    int(s["start"]),
                    int(s["end"]),
                    text[int(s["start"]) : int(s["end"])],
                    float(s.get("weight", 0.0)),
                )
                for s in payload.get("spans", [])[:MAX_SPANS]
            ]
            return ToxicityResult(
                score=score,
                categories=categories,
                spans=spans,
                language=str(payload.get("language", language)),
                model_version=str(payload.get("model_version", self.name)),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ScorerUnavailable(f"{self.url}: malformed answer: {error}") from error
