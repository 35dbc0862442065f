"""Measure the toxicity model against its targets and print the table.

Run ``python -m townhall_lab.evaluate [--data DIR] [--artifact DIR]
[--baseline DIR] [--json FILE] [--quick]``. Every figure is measured on rows that no weight
and no threshold was fitted on: the Jigsaw and French hate test files, Kennedy et al.'s dev
file, and the ``eval`` split of the news-context set. ``--baseline`` scores a second
artifact on the same rows and prints the change, which is how a model retrained with
moderators' decisions is checked before it is switched on.

Unless ``--quick`` is given, the run also trains a plain TF-IDF + logistic-regression
baseline (scikit-learn, word 1–2-grams and character 2–5-grams) on the same training rows
as the model, and prints its AUC beside the model's on every file. The functional suites
(``functional.py``) are reported per functionality: the share of cases where the product
holds what it should hold and publishes what it should publish.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from townhall.moderation.toxicity.langdetect import detect_language
from townhall.moderation.toxicity.normalize import fold_text
from townhall.moderation.toxicity.scorers import (
    ARTIFACT_DIR,
    DEFAULT_HOLD_THRESHOLD,
    DEFAULT_REJECT_THRESHOLD,
    LocalScorer,
)
from townhall.moderation.wordmatch import default_rules, matches

from townhall_lab.functional import DEFAULT_PATH as FUNCTIONAL_PATH
from townhall_lab.functional import read_rows as read_functional
from townhall_lab.newsset import DEFAULT_PATH as NEWS_PATH
from townhall_lab.newsset import newsroom_mix
from townhall_lab.train import HYPERPARAMETERS, default_data_dir, load_corpus
from townhall_lab.train import french_labels as french_toxicity_labels

__all__ = ["TARGETS", "evaluate", "format_table", "main", "perturb", "roc_auc"]

# (figure, comparison, target): the targets, checked and printed by the table.
TARGETS: dict[str, tuple[str, float]] = {
    "jigsaw_test_auc": (">=", 0.975),
    "fr_hate_test_auc": (">=", 0.88),
    "obfuscation_auc_drop": ("<=", 0.02),
    "news_eval_abusive_held": (">=", 0.95),
    "news_eval_civil_held": ("<=", 0.02),
    # Issue 16's budget for the cascade, on one core over a realistic mix of comments (the
    # newsroom mix), and checked too on Jigsaw's, half of them toxic and three times longer.
    "mix_latency_mean_ms": ("<=", 3.0),
    "mix_latency_p99_ms": ("<=", 60.0),
    "latency_mean_ms": ("<=", 3.0),
    "latency_p99_ms": ("<=", 60.0),
    "load_seconds": ("<=", 2.0),
    "artifact_mb": ("<=", 60.0),
}


def roc_auc(
    labels: Sequence[int] | npt.NDArray[np.int64], scores: Sequence[float] | npt.NDArray[np.float64]
) -> float:
    """Return the area under the ROC curve (Mann-Whitney U with average ranks for ties)."""
    y = np.asarray(labels, dtype=np.int64)
    s = np.asarray(scores, dtype=np.float64)
    positives = int(y.sum())
    negatives = y.size - positives
    if positives == 0 or negatives == 0:
        return float("nan")
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(s.size, dtype=np.float64)
    sorted_scores = s[order]
    boundaries = np.flatnonzero(np.diff(sorted_scores)) + 1
    starts = np.concatenate(([0], boundaries))
    ends = np.concatenate((boundaries, [s.size]))
    for start, end in zip(starts, ends, strict=True):
        ranks[order[start:end]] = (start + end + 1) / 2.0
    rank_sum = ranks[y == 1].sum()
    return float((rank_sum - positives * (positives + 1) / 2.0) / (positives * negatives))


# Words an evader disguises first. Written for this test, separately from the folding
# lexicon, and including words the lexicon lacks, so the test does not grade its own key.
_EVASION_TARGETS = frozenset(
    """
    fuck fucking fucker fucked shit shitty bitch bitches ass asshole dick cock cunt pussy whore
    slut bastard idiot idiots moron morons stupid dumb retard retarded loser losers suck sucks
    gay fag faggot nigger nigga kill die hate ugly fat pathetic scum crap damn hell jerk penis
    sex porn rape nazi nazis liar wanker twat piss vandal vandalism block
    """.split()  # noqa: SIM905 - a word list reads better as prose
)
_HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "c": "с", "p": "р", "i": "і", "x": "х", "y": "у"}
_LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"}


def _disguise(word: str, rng: random.Random) -> str:
    trick = rng.randrange(7)
    lowered = word.lower()
    vowels = [i for i, c in enumerate(lowered) if c in "aeiou" and 0 < i < len(word) - 1]
    if trick == 0:  # leetspeak
        return "".join(_LEET.get(c, c) if c.lower() in _LEET else c for c in word)
    if trick == 1 and vowels:  # mask an inner vowel
        i = rng.choice(vowels)
        return word[:i] + "*" + word[i + 1 :]
    if trick == 2:  # spaced letters
        return " ".join(word)
    if trick == 3 and vowels:  # stretch a vowel
        i = rng.choice(vowels)
        return word[:i] + word[i] * rng.randint(3, 6) + word[i + 1 :]
    if trick == 4:  # Cyrillic look-alikes
        return "".join(_HOMOGLYPHS.get(c, c) for c in word)
    if trick == 5 and len(word) > 2:  # zero-width space inside
        i = rng.randrange(1, len(word) - 1)
        return word[:i] + "\u200b" + word[i:]
    # separators between letters
    return rng.choice([".", "-", "_"]).join(word)


def perturb(text: str, rng: random.Random, *, other_word_rate: float = 0.1) -> str:
    """Disguise every evasion-target word and a share of other words, as evaders do."""
    import re

    def replace(match: re.Match[str]) -> str:
        word = match.group()
        if word.lower() in _EVASION_TARGETS or (len(word) > 2 and rng.random() < other_word_rate):
            return _disguise(word, rng)
        return word

    return re.sub(r"[A-Za-z]+", replace, text)


def _read(path: Path, text_column: str, label_column: str) -> tuple[list[str], list[int]]:
    with path.open(encoding="utf-8", newline="") as handle:
        # A few DynaHate dev rows carry no label: they are left out, not guessed.
        rows = [r for r in csv.DictReader(handle) if r[label_column].strip()]
    return [r[text_column] for r in rows], [int(r[label_column]) for r in rows]


def _results(
    scorer: LocalScorer, texts: Sequence[str], hints: Sequence[str | None] | None = None
) -> list[Any]:
    """Score ``texts`` in batches of 1,000, each with its language hint (or none)."""
    results: list[Any] = []
    for offset in range(0, len(texts), 1000):
        chunk = texts[offset : offset + 1000]
        results += scorer.score_batch(
            chunk, language_hints=None if hints is None else hints[offset : offset + 1000]
        )
    return results


#: What a new site's word list adds to the model: a listed word holds just over the line.
WORD_LIST_SCORE = 0.6


def word_list_holds(texts: Sequence[str], languages: Sequence[str]) -> npt.NDArray[np.bool_]:
    """Return, per text, whether a new site's default word list holds or blocks it."""
    return np.array(
        [
            any(action != "flag"
                for _m, _phrase, action, _g in matches(default_rules(language), fold_text(text)))
            for text, language in zip(texts, languages, strict=True)
        ],
        dtype=bool,
    )


def with_word_list(
    scores: npt.NDArray[np.float64], texts: Sequence[str], languages: Sequence[str]
) -> npt.NDArray[np.float64]:
    """Return what the product acts on by default: the model's risk, or the word list's hold."""
    return np.maximum(scores, np.where(word_list_holds(texts, languages), WORD_LIST_SCORE, 0.0))


def _scores(
    scorer: LocalScorer, texts: Sequence[str], hint: str | None = None
) -> npt.NDArray[np.float64]:
    return np.array([r.score for r in _results(scorer, texts, [hint] * len(texts))])


def _product_scores(
    scorer: LocalScorer, texts: Sequence[str], hint: str | None = None
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Return the model's risk and, beside it, the risk with the default word list."""
    results = _results(scorer, texts, [hint] * len(texts))
    scores = np.array([r.score for r in results])
    return scores, with_word_list(scores, texts, [r.language for r in results])


def _hate_scores(
    scorer: LocalScorer, texts: Sequence[str], hint: str | None = None
) -> npt.NDArray[np.float64]:
    results = _results(scorer, texts, [hint] * len(texts))
    return np.array([r.categories["hate"] for r in results])


def _pin_to_one_core() -> Callable[[], None]:
    """Run on one CPU while timing, as the throughput target is per core; undo afterwards."""
    if not hasattr(os, "sched_setaffinity"):
        return lambda: None
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(before)})
    return lambda: os.sched_setaffinity(0, before)


def evaluate(
    artifact_dir: Path = ARTIFACT_DIR,
    data_dir: Path | None = None,
    news_path: Path = NEWS_PATH,
    *,
    timings: bool = True,
) -> dict[str, Any]:
    """Measure one artifact and return every figure by name."""
    data_dir = data_dir or default_data_dir()
    started = time.perf_counter()
    scorer = LocalScorer.from_directory(artifact_dir)
    load_seconds = time.perf_counter() - started
    model = scorer.model
    figures: dict[str, Any] = {"model_version": model.version}

    jigsaw_texts, jigsaw_labels = _read(data_dir / "en" / "jigsaw_test.csv", "text", "toxic")
    jigsaw_scores, jigsaw_product = _product_scores(scorer, jigsaw_texts)
    figures["jigsaw_test_auc"] = roc_auc(jigsaw_labels, jigsaw_scores)
    figures["jigsaw_test_auc_words"] = roc_auc(jigsaw_labels, jigsaw_product)
    # With the story's language as a hint, as a site that declares its language gets.
    figures["jigsaw_test_auc_hinted"] = roc_auc(jigsaw_labels, _scores(scorer, jigsaw_texts, "en"))

    rng = random.Random(7)
    perturbed = [perturb(text, rng) for text in jigsaw_texts]
    figures["jigsaw_perturbed_auc"] = roc_auc(jigsaw_labels, _scores(scorer, perturbed))
    figures["obfuscation_auc_drop"] = figures["jigsaw_test_auc"] - figures["jigsaw_perturbed_auc"]
    # The same model with folding switched off shows what folding is worth.
    english = model.language_index("en")
    unfolded = model.logits([t.lower() for t in perturbed], [english] * len(perturbed))[:, 0]
    clean_unfolded = model.logits([t.lower() for t in jigsaw_texts], [english] * len(jigsaw_texts))[
        :, 0
    ]
    figures["obfuscation_auc_drop_without_folding"] = roc_auc(
        jigsaw_labels, clean_unfolded
    ) - roc_auc(jigsaw_labels, unfolded)

    french_texts, french_labels = _read(data_dir / "fr" / "fr_hate_test.csv", "text", "label")
    figures["fr_hate_test_auc_hate"] = roc_auc(french_labels, _hate_scores(scorer, french_texts))
    figures["fr_hate_test_auc_hate_hinted"] = roc_auc(
        french_labels, _hate_scores(scorer, french_texts, "fr")
    )
    french_scores, french_product = _product_scores(scorer, french_texts)
    figures["fr_hate_test_auc"] = roc_auc(french_labels, french_scores)
    figures["fr_hate_test_auc_words"] = roc_auc(french_labels, french_product)
    kennedy_texts, kennedy_labels = _read(data_dir / "en" / "ken20_dev.csv", "text", "label")
    figures["ken20_dev_auc_hate"] = roc_auc(kennedy_labels, _hate_scores(scorer, kennedy_texts))
    # French toxicity (insults, threats, obscenity and hate) on the rows labelled by the
    # project's guide and kept out of training.
    toxicity_rows = [row for row in french_toxicity_labels() if row["split"] == "eval"]
    if toxicity_rows:
        toxicity_labels = [int(row["toxic"]) for row in toxicity_rows]
        toxicity_texts = [row["text"] for row in toxicity_rows]
        toxicity_model, toxicity_scores = _product_scores(scorer, toxicity_texts, "fr")
        figures["fr_toxicity_eval_auc"] = roc_auc(toxicity_labels, toxicity_model)
        figures["fr_toxicity_eval_auc_words"] = roc_auc(toxicity_labels, toxicity_scores)
        held = toxicity_scores >= DEFAULT_HOLD_THRESHOLD
        marks = np.array(toxicity_labels)
        figures["fr_toxicity_eval_toxic_held"] = float(held[marks == 1].mean())
        figures["fr_toxicity_eval_civil_held"] = float(held[marks == 0].mean())
    # The acted-on score on every English dev file no weight was fitted on.
    for name in ("ken20_dev", "dynahate_dev", "founta_dev"):
        dev_texts, dev_labels = _read(data_dir / "en" / f"{name}.csv", "text", "label")
        dev_scores, dev_product = _product_scores(scorer, dev_texts)
        figures[f"{name}_auc"] = roc_auc(dev_labels, dev_scores)
        figures[f"{name}_auc_words"] = roc_auc(dev_labels, dev_product)
        figures[f"{name}_auc_hate"] = roc_auc(dev_labels, _hate_scores(scorer, dev_texts))

    figures["langdetect_en_accuracy"] = float(
        np.mean([detect_language(t) == "en" for t in jigsaw_texts])
    )
    figures["langdetect_fr_accuracy"] = float(
        np.mean([detect_language(t) == "fr" for t in french_texts])
    )

    with news_path.open(encoding="utf-8", newline="") as handle:
        news = [row for row in csv.DictReader(handle) if row["split"] == "eval"]
    news_results = _results(scorer, [row["text"] for row in news])
    # Held or rejected as a new site decides: the model, and the default word list.
    news_scores = with_word_list(
        np.array([result.score for result in news_results]),
        [row["text"] for row in news],
        [result.language for result in news_results],
    )
    # The calibrated toxic head alone, without any rule or lexicon.
    news_logits = scorer.model.logits(
        [fold_text(row["text"]) for row in news],
        [scorer.model.language_index(result.language) for result in news_results],
    )[:, 0]
    model_only = np.array(
        [
            scorer.calibrated(result.language, float(logit))
            for result, logit in zip(news_results, news_logits, strict=True)
        ]
    )
    news_labels = np.array([int(row["label"]) for row in news])
    figures["semantic_share_news"] = float(
        np.mean([result.semantic is not None for result in news_results])
    )
    news_langs = np.array([row["lang"] for row in news])
    reject = DEFAULT_REJECT_THRESHOLD if DEFAULT_REJECT_THRESHOLD is not None else 2.0
    for suffix, mask in (
        ("", np.ones(len(news), dtype=bool)),
        ("_en", news_langs == "en"),
        ("_fr", news_langs == "fr"),
    ):
        labels, scores = news_labels[mask], news_scores[mask]
        figures[f"news_eval_auc{suffix}"] = roc_auc(labels, scores)
        figures[f"news_eval_abusive_held{suffix}"] = float(
            np.mean(scores[labels == 1] >= DEFAULT_HOLD_THRESHOLD)
        )
        figures[f"news_eval_civil_held{suffix}"] = float(
            np.mean(scores[labels == 0] >= DEFAULT_HOLD_THRESHOLD)
        )
        figures[f"news_eval_abusive_rejected{suffix}"] = float(
            np.mean(scores[labels == 1] >= reject)
        )
        figures[f"news_eval_civil_rejected{suffix}"] = float(np.mean(scores[labels == 0] >= reject))
    # The rules were written by the author of the news set, so show the model without them.
    figures["news_eval_abusive_held_model_only"] = float(
        np.mean(model_only[news_labels == 1] >= DEFAULT_HOLD_THRESHOLD)
    )
    figures["news_eval_civil_held_model_only"] = float(
        np.mean(model_only[news_labels == 0] >= DEFAULT_HOLD_THRESHOLD)
    )
    figures["news_eval_auc_model_only"] = roc_auc(news_labels, model_only)
    figures["news_eval_rows"] = {
        "civil": int((news_labels == 0).sum()),
        "abusive": int((news_labels == 1).sum()),
    }
    categories = sorted({row["category"] for row in news})
    figures["news_eval_held_by_category"] = {
        category: float(
            np.mean(
                [
                    s >= DEFAULT_HOLD_THRESHOLD
                    for s, row in zip(news_scores, news, strict=True)
                    if row["category"] == category
                ]
            )
        )
        for category in categories
    }

    figures.update(functional_figures(scorer))

    figures["load_seconds"] = load_seconds
    figures["memory_mb"] = model.memory_bytes / 1e6
    figures["artifact_mb"] = (
        sum(p.stat().st_size for p in artifact_dir.iterdir() if p.is_file()) / 1e6
    )
    if timings:
        figures.update(_timings(scorer, jigsaw_texts))
        figures.update(_mix_timings(scorer, news_path))
    return figures


#: Each functionality's target: the share of its cases handled as expected.
FUNCTIONAL_TARGET = 0.9


def functional_figures(scorer: LocalScorer, path: Path = FUNCTIONAL_PATH) -> dict[str, Any]:
    """Score the functional suites with the story language as hint, as the pipeline does."""
    rows = read_functional(path)
    results = _results(scorer, [row["text"] for row in rows], [row["lang"] for row in rows])
    right: dict[str, list[bool]] = {}
    product = with_word_list(
        np.array([result.score for result in results]),
        [row["text"] for row in rows],
        [row["lang"] for row in rows],
    )
    for row, score in zip(rows, product, strict=True):
        held = score >= DEFAULT_HOLD_THRESHOLD
        key = f"{row['functionality']}/{row['lang']}"
        right.setdefault(key, []).append(held == (row["expected"] == "hold"))
    accuracy = {key: float(np.mean(values)) for key, values in sorted(right.items())}
    figures: dict[str, Any] = {"functional": accuracy}
    for lang in ("en", "fr"):
        mine = [value for key, value in accuracy.items() if key.endswith("/" + lang)]
        figures[f"functional_mean_{lang}"] = float(np.mean(mine))
        figures[f"functional_at_target_{lang}"] = sum(v >= FUNCTIONAL_TARGET for v in mine)
        figures[f"functional_count_{lang}"] = len(mine)
        figures[f"scunthorpe_held_{lang}"] = sum(
            not ok for ok in right.get(f"scunthorpe/{lang}", [])
        )
    return figures


#: The files both the model and the TF-IDF baseline are measured on: (name, language,
#: path under the data directory, label column).
AUC_FILES: tuple[tuple[str, str, str, str], ...] = (
    ("jigsaw_test", "en", "en/jigsaw_test.csv", "toxic"),
    ("ken20_dev", "en", "en/ken20_dev.csv", "label"),
    ("dynahate_dev", "en", "en/dynahate_dev.csv", "label"),
    ("founta_dev", "en", "en/founta_dev.csv", "label"),
    ("fr_hate_test", "fr", "fr/fr_hate_test.csv", "label"),
)


class _TfidfScorer:
    """The baseline's decision function over raw texts."""

    def __init__(self, words: Any, chars: Any, model: Any) -> None:
        self.words, self.chars, self.model = words, chars, model

    def __call__(self, batch: Sequence[str]) -> npt.NDArray[np.float64]:
        from scipy.sparse import hstack

        features = hstack([self.words.transform(batch), self.chars.transform(batch)]).tocsr()
        return np.asarray(self.model.decision_function(features), dtype=np.float64)


def tfidf_baseline(data_dir: Path, news_path: Path = NEWS_PATH) -> dict[str, float]:
    """Train TF-IDF + logistic regression on the model's own training rows; return its AUCs.

    Per language, every row of every head is one example, abusive when any head labels it
    so. Nothing of the model's design is used: no folding, no hashing, no naive-Bayes
    scaling, no calibration, no rules. The figures are ``<file>_auc_tfidf`` and
    ``news_eval_auc_tfidf``.
    """
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    corpus = load_corpus(data_dir, news_path, (), dict(HYPERPARAMETERS))
    figures: dict[str, float] = {}
    with news_path.open(encoding="utf-8", newline="") as handle:
        news = [row for row in csv.DictReader(handle) if row["split"] == "eval"]
    for lang in ("en", "fr"):
        labels: dict[str, int] = {}
        for (head_lang, _head), data in corpus.heads.items():
            if head_lang != lang:
                continue
            for text, label in zip(data.texts, data.labels, strict=True):
                labels[text] = max(labels.get(text, 0), label)
        words = TfidfVectorizer(sublinear_tf=True, min_df=2, ngram_range=(1, 2))
        chars = TfidfVectorizer(
            sublinear_tf=True, min_df=2, analyzer="char_wb", ngram_range=(2, 5)
        )
        texts = list(labels)
        matrix = hstack([words.fit_transform(texts), chars.fit_transform(texts)]).tocsr()
        model = LogisticRegression(C=4.0, solver="liblinear", max_iter=5000)
        model.fit(matrix, [labels[text] for text in texts])

        score = _TfidfScorer(words, chars, model)
        for name, file_lang, relative, column in AUC_FILES:
            if file_lang == lang:
                eval_texts, eval_labels = _read(data_dir / relative, "text", column)
                figures[f"{name}_auc_tfidf"] = roc_auc(eval_labels, score(eval_texts))
        if lang == "fr":
            toxicity_rows = [row for row in french_toxicity_labels() if row["split"] == "eval"]
            if toxicity_rows:
                figures["fr_toxicity_eval_auc_tfidf"] = roc_auc(
                    [int(row["toxic"]) for row in toxicity_rows],
                    score([row["text"] for row in toxicity_rows]),
                )
        rows = [row for row in news if row["lang"] == lang]
        figures[f"news_eval_auc_{lang}_tfidf"] = roc_auc(
            [int(row["label"]) for row in rows], score([row["text"] for row in rows])
        )
    return figures


def _timings(scorer: LocalScorer, texts: Sequence[str]) -> dict[str, float]:
    """Time one-comment scoring and batch scoring on one core.

    Times are CPU seconds of this thread (``time.thread_time``), because the machines this
    runs on are shared and wall-clock time there measures the neighbours as much as the
    model; wall-clock figures are returned too, as ``*_wall`` entries.
    """
    restore = _pin_to_one_core()
    try:
        # Spread over the file (its rows are grouped by label): the first 600 held a tenth of
        # the toxic comments the whole file does, and so a tenth of the cascade's work.
        sample = list(texts[:: max(1, len(texts) // 600)])[:600]
        latencies, latencies_wall, asked = _latencies(scorer, sample, [None] * len(sample))
        batch = list(texts)
        scorer.score_batch(batch[:200])
        best, best_wall = float("inf"), float("inf")
        for _ in range(3):
            wall, cpu = time.perf_counter(), time.thread_time()
            for offset in range(0, len(batch), 512):
                scorer.score_batch(batch[offset : offset + 512])
            best = min(best, time.thread_time() - cpu)
            best_wall = min(best_wall, time.perf_counter() - wall)
    finally:
        restore()
    return {
        **_summary(latencies),
        "semantic_share_timed": asked / len(sample),
        "latency_median_ms_wall": statistics.median(latencies_wall),
        "throughput_per_s": len(batch) / best,
        "throughput_per_s_wall": len(batch) / best_wall,
        "timed_mean_chars": float(np.mean([len(t) for t in batch])),
    }


def _latencies(
    scorer: LocalScorer, texts: Sequence[str], hints: Sequence[str | None]
) -> tuple[list[float], list[float], int]:
    """Score each text alone, after 50 to warm up; return the sorted CPU milliseconds, the
    wall-clock ones and how many the semantic stage read again."""
    for text, hint in zip(texts[:50], hints[:50], strict=True):
        scorer.score(text, language_hint=hint)
    latencies, latencies_wall = [], []
    asked = 0
    for text, hint in zip(texts, hints, strict=True):
        wall, cpu = time.perf_counter(), time.thread_time()
        result = scorer.score(text, language_hint=hint)
        latencies.append((time.thread_time() - cpu) * 1000)
        latencies_wall.append((time.perf_counter() - wall) * 1000)
        asked += result.semantic is not None
    latencies.sort()
    return latencies, latencies_wall, asked


def _summary(latencies: Sequence[float], prefix: str = "") -> dict[str, float]:
    """Return the mean, median, p95 and p99 of sorted ``latencies``, named with ``prefix``."""
    return {
        f"{prefix}latency_mean_ms": statistics.fmean(latencies),
        f"{prefix}latency_median_ms": statistics.median(latencies),
        f"{prefix}latency_p95_ms": latencies[int(len(latencies) * 0.95)],
        f"{prefix}latency_p99_ms": latencies[int(len(latencies) * 0.99)],
    }


def _mix_timings(scorer: LocalScorer, news_path: Path = NEWS_PATH) -> dict[str, float]:
    """Time one-comment scoring over the newsroom mix (``newsset.newsroom_mix``: every civil
    news eval comment and one abusive in nine), each with its story's language, on one core.

    This is the issue's "realistic mix": about one comment in ten abusive, as readers post.
    Its comments are shorter than Jigsaw's (templated prose), so ``_timings`` on Jigsaw stays
    beside it as the harder case.
    """
    mix = newsroom_mix(news_path)
    texts = [row["text"] for row in mix]
    restore = _pin_to_one_core()
    try:
        latencies, _wall, asked = _latencies(scorer, texts, [row["lang"] for row in mix])
    finally:
        restore()
    return {
        **_summary(latencies, "mix_"),
        "mix_semantic_share": asked / len(texts),
        "mix_comments": float(len(texts)),
        "mix_abusive_share": float(np.mean([row["label"] == "1" for row in mix])),
        "mix_mean_chars": float(np.mean([len(t) for t in texts])),
    }


def _meets(name: str, value: float) -> str:
    if name not in TARGETS:
        return ""
    comparison, target = TARGETS[name]
    ok = {">=": value >= target, "<=": value <= target, "<": value < target}[comparison]
    if ok:
        return f"{comparison} {target:g}: met"
    return f"{comparison} {target:g}: MISSED by {abs(value - target):.3g}"


_ROWS: list[tuple[str, str, str]] = [
    ("jigsaw_test_auc", "ROC-AUC, en/jigsaw_test (overall score)", "{:.4f}"),
    ("jigsaw_test_auc_hinted", "  same, story language given as hint", "{:.4f}"),
    ("jigsaw_test_auc_words", "  with a new site's word list", "{:.4f}"),
    ("jigsaw_perturbed_auc", "ROC-AUC, en/jigsaw_test obfuscated", "{:.4f}"),
    ("obfuscation_auc_drop", "AUC drop under obfuscation", "{:.4f}"),
    ("obfuscation_auc_drop_without_folding", "  same, folding switched off", "{:.4f}"),
    ("fr_hate_test_auc_hate", "ROC-AUC, fr/fr_hate_test (hate category)", "{:.4f}"),
    ("fr_hate_test_auc_hate_hinted", "  same, story language given as hint", "{:.4f}"),
    ("fr_hate_test_auc", "ROC-AUC, fr/fr_hate_test (overall score)", "{:.4f}"),
    ("fr_hate_test_auc_words", "  with a new site's word list", "{:.4f}"),
    ("fr_toxicity_eval_auc", "ROC-AUC, French toxicity eval (labelled here)", "{:.4f}"),
    ("fr_toxicity_eval_auc_words", "  with a new site's word list", "{:.4f}"),
    ("fr_toxicity_eval_toxic_held", "  toxic held at 0.5", "{:.1%}"),
    ("fr_toxicity_eval_civil_held", "  civil held at 0.5", "{:.1%}"),
    ("ken20_dev_auc", "ROC-AUC, en/ken20_dev (overall score)", "{:.4f}"),
    ("ken20_dev_auc_words", "  with a new site's word list", "{:.4f}"),
    ("ken20_dev_auc_hate", "  hate category", "{:.4f}"),
    ("dynahate_dev_auc", "ROC-AUC, en/dynahate_dev (overall score)", "{:.4f}"),
    ("dynahate_dev_auc_words", "  with a new site's word list", "{:.4f}"),
    ("dynahate_dev_auc_hate", "  hate category", "{:.4f}"),
    ("founta_dev_auc", "ROC-AUC, en/founta_dev (overall score)", "{:.4f}"),
    ("founta_dev_auc_words", "  with a new site's word list", "{:.4f}"),
    ("founta_dev_auc_hate", "  hate category", "{:.4f}"),
    ("news_eval_auc", "ROC-AUC, news-context eval", "{:.4f}"),
    ("news_eval_auc_en", "  English", "{:.4f}"),
    ("news_eval_auc_fr", "  French", "{:.4f}"),
    ("news_eval_abusive_held", "Abusive held at 0.5, news eval", "{:.1%}"),
    ("news_eval_abusive_held_en", "  English", "{:.1%}"),
    ("news_eval_abusive_held_fr", "  French", "{:.1%}"),
    ("news_eval_civil_held", "Civil held at 0.5, news eval", "{:.1%}"),
    ("news_eval_civil_held_en", "  English", "{:.1%}"),
    ("news_eval_civil_held_fr", "  French", "{:.1%}"),
    ("news_eval_auc_model_only", "  ROC-AUC, model without rules", "{:.4f}"),
    ("news_eval_abusive_held_model_only", "  abusive held, model without rules", "{:.1%}"),
    ("news_eval_civil_held_model_only", "  civil held, model without rules", "{:.1%}"),
    ("news_eval_abusive_rejected", "Abusive rejected at 0.95, news eval", "{:.1%}"),
    ("news_eval_civil_rejected", "Civil rejected at 0.95, news eval", "{:.1%}"),
    ("langdetect_en_accuracy", "Language detected en, jigsaw_test", "{:.1%}"),
    ("langdetect_fr_accuracy", "Language detected fr, fr_hate_test", "{:.1%}"),
    ("mix_latency_mean_ms", "Latency over the newsroom mix, one comment, mean (ms)", "{:.3f}"),
    ("mix_latency_median_ms", "  median (ms)", "{:.3f}"),
    ("mix_latency_p95_ms", "  p95 (ms)", "{:.3f}"),
    ("mix_latency_p99_ms", "  p99 (ms)", "{:.3f}"),
    ("mix_semantic_share", "  comments read again by the semantic stage", "{:.1%}"),
    ("mix_abusive_share", "  abusive share of the mix", "{:.1%}"),
    ("mix_mean_chars", "  mean length (characters)", "{:.0f}"),
    ("latency_mean_ms", "Latency on en/jigsaw_test, one comment, mean (ms)", "{:.3f}"),
    ("latency_median_ms", "Latency, one comment, median (ms)", "{:.3f}"),
    ("latency_p95_ms", "Latency, one comment, p95 (ms)", "{:.3f}"),
    ("latency_p99_ms", "Latency, one comment, p99 (ms)", "{:.3f}"),
    ("semantic_share_timed", "  comments read again by the semantic stage", "{:.1%}"),
    ("semantic_share_news", "Share of news eval comments read again", "{:.1%}"),
    ("throughput_per_s", "Batch throughput, one core (comments/s)", "{:,.0f}"),
    ("load_seconds", "Load time (s)", "{:.3f}"),
    ("memory_mb", "Memory of loaded model (MB)", "{:.1f}"),
    ("artifact_mb", "Artifact size on disk (MB)", "{:.2f}"),
]


def format_table(figures: dict[str, Any], baseline: dict[str, Any] | None = None) -> str:
    """Render figures (and their change from ``baseline``) as a Markdown table."""
    header = "| measure | value | target |"
    rule = "|---|---|---|"
    if baseline is not None:
        header = "| measure | value | baseline | change | target |"
        rule = "|---|---|---|---|---|"
    lines = [f"Model {figures['model_version']}", "", header, rule]
    for name, label, fmt in _ROWS:
        if name not in figures:
            continue
        value = figures[name]
        cells = [label, fmt.format(value)]
        if baseline is not None:
            old = baseline.get(name)
            cells += [
                fmt.format(old) if old is not None else "",
                f"{value - old:+.4f}" if old is not None else "",
            ]
        cells.append(_meets(name, value))
        lines.append("| " + " | ".join(cells) + " |")
    if "news_eval_held_by_category" in figures:
        held = ", ".join(f"{k} {v:.0%}" for k, v in figures["news_eval_held_by_category"].items())
        lines += [
            "",
            f"News eval: {figures['news_eval_rows']['civil']} civil and "
            f"{figures['news_eval_rows']['abusive']} abusive rows; held by category: {held}.",
        ]
    if any(key.endswith("_tfidf") for key in figures):
        lines += ["", "| file | model (acted-on score) | with a new site's word list | "
                  "TF-IDF + LR, same data | margin (model) |", "|---|---|---|---|---|"]
        for name, _lang, _path, _column in AUC_FILES:
            ours, theirs = figures.get(f"{name}_auc"), figures.get(f"{name}_auc_tfidf")
            words = figures.get(f"{name}_auc_words", float("nan"))
            if ours is not None and theirs is not None:
                lines.append(f"| {name} | {ours:.4f} | {words:.4f} | {theirs:.4f} | "
                             f"{ours - theirs:+.4f} |")
        ours, theirs = figures.get("fr_toxicity_eval_auc"), figures.get(
            "fr_toxicity_eval_auc_tfidf")
        if ours is not None and theirs is not None:
            words = figures.get("fr_toxicity_eval_auc_words", float("nan"))
            lines.append(f"| French toxicity eval | {ours:.4f} | {words:.4f} | {theirs:.4f} | "
                         f"{ours - theirs:+.4f} |")
        for lang in ("en", "fr"):
            ours, theirs = figures.get(f"news_eval_auc_{lang}"), figures.get(
                f"news_eval_auc_{lang}_tfidf"
            )
            if ours is not None and theirs is not None:
                lines.append(
                    f"| news eval {lang} | | {ours:.4f} | {theirs:.4f} | {ours - theirs:+.4f} |"
                )
    if "functional" in figures:
        lines += ["", f"Functional suites: share of cases right (target {FUNCTIONAL_TARGET:.0%})",
                  "", "| functionality | en | fr |", "|---|---|---|"]
        names = sorted({key.split("/")[0] for key in figures["functional"]})
        for name in names:
            cells = [
                f"{figures['functional'].get(f'{name}/{lang}', float('nan')):.0%}"
                for lang in ("en", "fr")
            ]
            lines.append(f"| {name} | {cells[0]} | {cells[1]} |")
        for lang in ("en", "fr"):
            lines.append(
                f"{lang}: mean {figures[f'functional_mean_{lang}']:.1%}, "
                f"{figures[f'functional_at_target_{lang}']} of "
                f"{figures[f'functional_count_{lang}']} functionalities at target; "
                f"Scunthorpe cases held: {figures[f'scunthorpe_held_{lang}']}."
            )
    if "timed_mean_chars" in figures:
        lines.append(
            f"Timings: CPU time on one core over en/jigsaw_test comments (mean "
            f"{figures['timed_mean_chars']:.0f} characters); latency includes spans, batch "
            f"throughput (batches of 512) does not. Wall clock on this shared machine: median "
            f"{figures['latency_median_ms_wall']:.3f} ms, "
            f"{figures['throughput_per_s_wall']:,.0f}/s."
        )
    if "mix_comments" in figures:
        lines.append(
            f"The newsroom mix: {figures['mix_comments']:.0f} news-context eval comments, every "
            f"civil one and one abusive in nine, English and French, each with its story's "
            f"language (what `make bench` posts; shorter than Jigsaw's)."
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Print the evaluation table and return the figures."""
    parser = argparse.ArgumentParser(
        prog="townhall evaluate-model", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--data", type=Path, default=None, help="data directory with en/ and fr/")
    parser.add_argument("--artifact", type=Path, default=ARTIFACT_DIR, help="artifact to measure")
    parser.add_argument("--baseline", type=Path, default=None, help="artifact to compare against")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--quick", action="store_true", help="skip latency and throughput")
    args = parser.parse_args(argv)
    figures = evaluate(args.artifact, args.data, timings=not args.quick)
    baseline = evaluate(args.baseline, args.data, timings=not args.quick) if args.baseline else None
    if not args.quick:
        figures.update(tfidf_baseline(args.data or default_data_dir()))
    print(format_table(figures, baseline))
    if args.json:
        payload = {"figures": figures, "baseline": baseline}
        args.json.write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return figures


if __name__ == "__main__":
    main(sys.argv[1:])
