"""Load, verify and run the trained toxicity model with numpy alone.

An artifact is a directory with two files:

``model.json``
    Metadata: format, version, hashing parameters, languages and heads, calibration,
    thresholds, the SHA-256 of ``model.npz``, reference decisions for a few texts, and the
    figures measured when it was trained.
``model.npz``
    Plain numeric arrays, read with ``allow_pickle=False``: the kept hashed feature ids
    (sorted), per-language idf, per-language and per-head coefficients, and intercepts.

Nothing in either file can run code when loaded, and a file whose hash does not match the
metadata is refused before numpy parses it.

For every language and head the model is a linear function of sublinear tf-idf over the
hashed features (see :mod:`.features`), with word and character blocks each L2-normalised.
The naive-Bayes feature scaling used in training is folded into the coefficients.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .features import extract, padded_batch
from .normalize import original_span

__all__ = [
    "ARRAY_NAMES",
    "FORMAT",
    "ArtifactError",
    "ToxicityModel",
    "counted_pairs",
    "tfidf_values",
    "write_artifact",
]

FORMAT = "townhall-toxicity/2"
METADATA_FILE = "model.json"
ARRAYS_FILE = "model.npz"
ARRAY_NAMES = ("feature_ids", "idf", "coef", "intercept")

FloatArray = npt.NDArray[np.float64]
Int64Array = npt.NDArray[np.int64]

_WORD_SPAN_RE = re.compile(r"[^\W_]+")
_MIN_SPAN_WEIGHT = 0.1
_RELATIVE_SPAN_WEIGHT = 0.25
_TOKEN_RE = re.compile(r"\S+")


class ArtifactError(Exception):
    """The artifact is missing, malformed, or does not match its recorded hash."""


@dataclass(frozen=True)
class Contribution:
    """How much one word of the folded text pushed a head's logit, and where it lies."""

    folded_start: int
    folded_end: int
    weight: float


def counted_pairs(
    doc: Int64Array, col: Int64Array, n_cols: int
) -> tuple[Int64Array, Int64Array, FloatArray]:
    """Collapse (document, column) occurrences into unique pairs with their counts."""
    if doc.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float64)
    keys = np.sort(doc * n_cols + col)
    boundary = np.flatnonzero(np.diff(keys)) + 1
    starts = np.concatenate(([0], boundary))
    counts = np.diff(np.concatenate((starts, [keys.size]))).astype(np.float64)
    unique = keys[starts]
    return unique // n_cols, unique % n_cols, counts


def tfidf_values(
    doc: Int64Array,
    counts: FloatArray,
    idf: FloatArray,
    is_char: npt.NDArray[np.bool_],
    n_docs: int,
) -> FloatArray:
    """Return sublinear tf-idf values, L2-normalised per document within each block."""
    values = (1.0 + np.log(counts)) * idf
    block = doc * 2 + is_char.astype(np.int64)
    norms = np.sqrt(np.bincount(block, weights=values * values, minlength=2 * n_docs))
    norm = norms[block]
    return np.divide(values, norm, out=np.zeros_like(values), where=norm > 0)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_artifact(
    directory: Path, arrays: Mapping[str, np.ndarray], metadata: Mapping[str, Any]
) -> dict[str, Any]:
    """Write arrays and metadata reproducibly; return the metadata as written.

    ``numpy.savez`` stamps each member with the current time, so the same model would
    produce different bytes on every run. Members are written here with a fixed timestamp,
    so identical weights give an identical file and an identical hash.
    """
    directory.mkdir(parents=True, exist_ok=True)
    arrays_path = directory / ARRAYS_FILE
    with zipfile.ZipFile(arrays_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in ARRAY_NAMES:
            buffer = io.BytesIO()
            np.lib.format.write_array(
                buffer, np.ascontiguousarray(arrays[name]), allow_pickle=False
            )
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue(), compresslevel=9)
    written = dict(metadata)
    written["arrays_sha256"] = _sha256(arrays_path)
    (directory / METADATA_FILE).write_text(
        json.dumps(written, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )
    return written


class ToxicityModel:
    """A loaded artifact: per-language, per-head linear models over hashed n-grams."""

    def __init__(self, metadata: dict[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
        """Check that ``arrays`` fit ``metadata`` and build the feature lookup table."""
        if metadata.get("format") != FORMAT:
            raise ArtifactError(f"unsupported artifact format {metadata.get('format')!r}")
        self.metadata = metadata
        self.version: str = str(metadata["model_version"])
        self.bucket_bits = int(metadata["bucket_bits"])
        self.languages: tuple[str, ...] = tuple(metadata["languages"])
        self.heads: tuple[str, ...] = tuple(metadata["heads"])
        feature_ids = np.asarray(arrays["feature_ids"])
        self.idf = np.asarray(arrays["idf"], dtype=np.float32)
        coef = np.asarray(arrays["coef"], dtype=np.float32)
        self.intercept = np.asarray(arrays["intercept"], dtype=np.float64)
        n_cols = feature_ids.shape[0]
        n_langs, n_heads = len(self.languages), len(self.heads)
        space = 1 << (self.bucket_bits + 1)
        if (
            feature_ids.ndim != 1
            or feature_ids.dtype != np.uint32
            or self.idf.shape != (n_langs, n_cols)
            or coef.shape != (n_langs, n_heads, n_cols)
            or self.intercept.shape != (n_langs, n_heads)
            or (n_cols and int(feature_ids[-1]) >= space)
            or np.any(np.diff(feature_ids.astype(np.int64)) <= 0)
            or not np.all(np.isfinite(coef))
            or not np.all(np.isfinite(self.idf))
        ):
            raise ArtifactError("artifact arrays do not match their metadata")
        self.feature_ids = feature_ids.astype(np.int64)
        self._idf_flat = self.idf.reshape(-1)
        # One contiguous (language, column) array per head, for flat gathers.
        self._coef_flat = [
            np.ascontiguousarray(coef[:, head, :]).reshape(-1) for head in range(n_heads)
        ]
        self.n_cols = n_cols
        self.is_char_col = self.feature_ids >= (1 << self.bucket_bits)
        # A dense id -> column table makes lookup one gather; it costs 4 bytes per bucket.
        self._column_of = np.full(space, -1, dtype=np.int32)
        self._column_of[self.feature_ids] = np.arange(n_cols, dtype=np.int32)

    @classmethod
    def load(cls, directory: Path) -> ToxicityModel:
        """Load and verify the artifact in ``directory``."""
        try:
            metadata = json.loads((directory / METADATA_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ArtifactError(f"cannot read {directory / METADATA_FILE}: {error}") from error
        if not isinstance(metadata, dict):
            raise ArtifactError("artifact metadata must be a JSON object")
        arrays_path = directory / ARRAYS_FILE
        try:
            actual = _sha256(arrays_path)
        except OSError as error:
            raise ArtifactError(f"cannot read {arrays_path}: {error}") from error
        if actual != metadata.get("arrays_sha256"):
            raise ArtifactError(f"{arrays_path} does not match the hash in its metadata")
        try:
            with np.load(arrays_path, allow_pickle=False) as archive:
                arrays = {name: archive[name] for name in ARRAY_NAMES}
        except (OSError, ValueError, KeyError) as error:
            raise ArtifactError(f"cannot read arrays from {arrays_path}: {error}") from error
        return cls(metadata, arrays)

    @property
    def memory_bytes(self) -> int:
        """Return the bytes held by the loaded arrays and the lookup table."""
        return int(
            self.feature_ids.nbytes
            + self.idf.nbytes
            + self.intercept.nbytes
            + self._column_of.nbytes
            + self.is_char_col.nbytes
            + sum(array.nbytes for array in self._coef_flat)
        )

    def language_index(self, language: str) -> int:
        """Return the row of ``language`` in the weight arrays (English if unknown)."""
        return self.languages.index(language) if language in self.languages else 0

    def logits(self, folded: Sequence[str], language_rows: Sequence[int]) -> FloatArray:
        """Return raw decision values, shape ``(len(folded), n_heads)``, for folded texts."""
        n_docs = len(folded)
        if n_docs == 0:
            return np.zeros((0, len(self.heads)))
        occurrences = extract(folded, bucket_bits=self.bucket_bits)
        col = self._column_of[occurrences.feature]
        kept = col >= 0
        doc, col_kept, counts = counted_pairs(
            occurrences.doc[kept], col[kept].astype(np.int64), self.n_cols
        )
        rows = np.asarray(language_rows, dtype=np.int64)
        # Gather through flat indices: much faster than numpy's multi-axis fancy indexing.
        flat = rows[doc] * self.n_cols + col_kept
        values = tfidf_values(
            doc,
            counts,
            self._idf_flat.take(flat).astype(np.float64),
            self.is_char_col.take(col_kept),
            n_docs,
        )
        n_heads = len(self.heads)
        out = np.empty((n_docs, n_heads))
        for head in range(n_heads):
            weights = self._coef_flat[head].take(flat)
            out[:, head] = np.bincount(doc, weights=values * weights, minlength=n_docs)
            out[:, head] += self.intercept[rows, head]
        return out

    def contributions(self, folded: str, language_row: int, head: int = 0) -> list[Contribution]:
        """Split one head's logit for one folded text over the words that produced it.

        Each feature's share (its tf-idf value times its coefficient) is divided evenly
        among its occurrences, and each occurrence among the words it overlaps, so the word
        weights add up to the logit minus the intercept (up to features on punctuation).
        """
        batch = padded_batch([folded])
        occurrences = extract([folded], bucket_bits=self.bucket_bits, batch=batch, positions=True)
        col = self._column_of[occurrences.feature].astype(np.int64)
        kept = col >= 0
        col, starts, ends = col[kept], occurrences.start[kept], occurrences.end[kept]
        if col.size == 0:
            return []
        unique, inverse, counts = np.unique(col, return_inverse=True, return_counts=True)
        values = tfidf_values(
            np.zeros(unique.size, dtype=np.int64),
            counts.astype(np.float64),
            self.idf[language_row, unique].astype(np.float64),
            self.is_char_col[unique],
            1,
        )
        weights = self._coef_flat[head].take(language_row * self.n_cols + unique)
        share = (values * weights / counts)[inverse]

        # Where each padded position came from in the folded text (-1 for padding).
        padded_to_folded = np.full(len(batch), -1, dtype=np.int64)
        position = 1
        for token in _TOKEN_RE.finditer(folded):
            width = token.end() - token.start()
            padded_to_folded[position : position + width] = np.arange(token.start(), token.end())
            position += width + 2
        word_of = np.full(len(folded) + 1, -1, dtype=np.int64)
        words = [(m.start(), m.end()) for m in _WORD_SPAN_RE.finditer(folded)]
        for index, (start, end) in enumerate(words):
            word_of[start:end] = index

        # Attribute each occurrence to the words under its first and last real characters:
        # the whole share when both are the same word (unigrams, most character n-grams),
        # half to each otherwise (bigrams, n-grams that straddle an apostrophe).
        first = padded_to_folded[starts]
        first = np.where(first >= 0, first, padded_to_folded[np.minimum(starts + 1, ends - 1)])
        last = padded_to_folded[ends - 1]
        last = np.where(last >= 0, last, padded_to_folded[np.maximum(ends - 2, starts)])
        first_word = np.where(first >= 0, word_of[first], -1)
        last_word = np.where(last >= 0, word_of[last], -1)
        first_word = np.where(first_word >= 0, first_word, last_word)
        last_word = np.where(last_word >= 0, last_word, first_word)
        usable = first_word >= 0
        totals = np.zeros(len(words))
        np.add.at(totals, first_word[usable], share[usable] / 2)
        np.add.at(totals, last_word[usable], share[usable] / 2)
        return [
            Contribution(start, end, float(total))
            for (start, end), total in zip(words, totals, strict=True)
        ]

    def spans(
        self,
        text: str,
        folded: str,
        offsets: list[int],
        language_row: int,
        *,
        limit: int = 8,
        head: int = 0,
    ) -> list[tuple[int, int, float]]:
        """Return up to ``limit`` (start, end, weight) spans of ``text`` that raised the logit."""
        ranked = sorted(
            (c for c in self.contributions(folded, language_row, head) if c.weight > 0),
            key=lambda c: -c.weight,
        )
        # Function words ("you", "are") carry a little weight in almost every insult; only
        # words that matter next to the strongest one are worth a moderator's attention.
        if ranked:
            floor = max(_MIN_SPAN_WEIGHT, _RELATIVE_SPAN_WEIGHT * ranked[0].weight)
            ranked = [c for c in ranked if c.weight >= floor]
        spans: list[tuple[int, int, float]] = []
        seen: set[tuple[int, int]] = set()
        for contribution in ranked:
            start, end = original_span(
                text, offsets, contribution.folded_start, contribution.folded_end
            )
            if end <= start or (start, end) in seen:
                continue
            seen.add((start, end))
            spans.append((start, end, contribution.weight))
            if len(spans) == limit:
                break
        return spans


def sigmoid(value: float) -> float:
    """Return the logistic function of ``value`` without overflowing."""
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)
