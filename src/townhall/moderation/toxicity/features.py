"""Turn folded text into hashed word and character n-gram features, with numpy only.

The same code runs in training and at inference, so the two can never drift apart. Each
document yields:

* word unigrams and bigrams, where a word is a run of letters or digits;
* character 2- to 5-grams inside whitespace-separated tokens, each token padded with one
  space on either side (the ``char_wb`` scheme, which keeps word starts and ends visible).

Every n-gram is hashed with a polynomial rolling hash computed for a whole batch at once
(prefix sums of ``code * P**-i`` modulo 2**64), then mixed and cut to ``bucket_bits`` bits.
Word features live in ``[0, 2**bucket_bits)`` and character features in
``[2**bucket_bits, 2**(bucket_bits + 1))``, so that each block can be normalised on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["CHAR_NGRAM_SIZES", "Occurrences", "extract"]

CHAR_NGRAM_SIZES: tuple[int, ...] = (2, 3, 4, 5)

_MASK64 = (1 << 64) - 1
_BASE = 0x100000001B3  # the FNV-64 prime: odd, so invertible modulo 2**64
_BASE_INVERSE = pow(_BASE, -1, 1 << 64)
_SALT_WORD = np.uint64(0x9E3779B97F4A7C15)
_SALT_BIGRAM = np.uint64(0xC2B2AE3D27D4EB4F)
_SALT_CHAR = np.uint64(0x165667B19E3779F9)
_BIGRAM_MULTIPLIER = np.uint64(0x27D4EB2F165667C5)
_SEPARATOR = "\x00"

# Letters and digits of the Basic Multilingual Plane; folded text rarely leaves it, and
# anything beyond (emoji) separates words.
_IS_WORD_CHAR = np.array([chr(code).isalnum() for code in range(0x10000)], dtype=bool)

Int64Array = npt.NDArray[np.int64]
UInt64Array = npt.NDArray[np.uint64]


@dataclass(frozen=True)
class Occurrences:
    """Every n-gram occurrence in a batch: its document, its hashed id and where it sits.

    ``start`` and ``end`` index the padded batch string (see :func:`extract`), which is
    what :mod:`.model` needs to map a feature back to the characters that produced it.
    """

    doc: Int64Array
    feature: Int64Array
    start: Int64Array
    end: Int64Array
    doc_starts: Int64Array


def _mix(values: UInt64Array) -> UInt64Array:
    """Scramble 64-bit hashes so that the top bits are uniform (MurmurHash3's finaliser)."""
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xFF51AFD7ED558CCD)
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xC4CEB9FE1A85EC53)
    return values ^ (values >> np.uint64(33))


_POWER_CACHE: dict[int, UInt64Array] = {}


def _powers(base: int, count: int) -> UInt64Array:
    """Return ``base**i mod 2**64`` for ``i < count``, from a cache that grows as needed."""
    cached = _POWER_CACHE.get(base)
    if cached is None or cached.shape[0] < count:
        size = max(count, 1 << 16)
        powers = np.full(size, base, dtype=np.uint64)
        powers[0] = 1
        cached = np.cumprod(powers, dtype=np.uint64)
        _POWER_CACHE[base] = cached
    return cached[:count]


def padded_batch(texts: Sequence[str]) -> str:
    """Join folded texts into one string: each token padded by spaces, documents by NUL."""
    return _SEPARATOR.join(" " + "  ".join(text.split()) + " " for text in texts)


def extract(
    texts: Sequence[str], *, bucket_bits: int, batch: str | None = None, positions: bool = False
) -> Occurrences:
    """Return every word and character n-gram occurrence of already folded ``texts``.

    ``batch`` may pass in ``padded_batch(texts)`` when the caller has built it already.
    Occurrence positions are only computed when ``positions`` is true (for explanations);
    otherwise ``start`` and ``end`` are empty.
    """
    if batch is None:
        batch = padded_batch(texts)
    codes = np.frombuffer(batch.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    length = codes.shape[0]
    is_separator = codes == 0
    doc_of = np.concatenate(([0], np.cumsum(is_separator, dtype=np.int64)))
    doc_starts = np.concatenate(([0], np.flatnonzero(is_separator) + 1)).astype(np.int64)

    # prefix[k] = sum(codes[j] * BASE**-j for j < k) mod 2**64, so that the hash of
    # codes[a:b] is BASE**(b-1) * (prefix[b] - prefix[a]), whatever the position.
    forward = _powers(_BASE, length + 1)
    inverse = _powers(_BASE_INVERSE, length + 1)
    prefix = np.zeros(length + 1, dtype=np.uint64)
    np.cumsum(codes * inverse[:length], out=prefix[1:])

    buckets = np.uint64(1 << bucket_bits)
    shift = np.uint64(64 - bucket_bits)
    docs: list[Int64Array] = []
    features: list[Int64Array] = []
    starts: list[Int64Array] = []
    ends: list[Int64Array] = []

    # Words: maximal runs of letters and digits.
    capped = np.minimum(codes, np.uint64(0xFFFF)).astype(np.intp)
    is_word = _IS_WORD_CHAR[capped] & (codes <= 0xFFFF)
    edges = np.diff(np.concatenate(([False], is_word, [False])).astype(np.int8))
    word_start = np.flatnonzero(edges == 1).astype(np.int64)
    word_end = np.flatnonzero(edges == -1).astype(np.int64)
    if word_start.size:
        word_hash = forward[word_end - 1] * (prefix[word_end] - prefix[word_start])
        word_doc = doc_of[word_start]
        docs.append(word_doc)
        features.append((_mix(word_hash ^ _SALT_WORD) >> shift).astype(np.int64))
        if positions:
            starts.append(word_start)
            ends.append(word_end)
        same_doc = word_doc[1:] == word_doc[:-1]
        if same_doc.any():
            pair = word_hash[:-1][same_doc] * _BIGRAM_MULTIPLIER + word_hash[1:][same_doc]
            docs.append(word_doc[:-1][same_doc])
            features.append((_mix(pair ^ _SALT_BIGRAM) >> shift).astype(np.int64))
            if positions:
                starts.append(word_start[:-1][same_doc])
                ends.append(word_end[1:][same_doc])

    # Characters: n-grams that do not cross a document, with no space inside (spaces may
    # only pad the ends), and never two spaces alone (the gap between two padded tokens).
    is_space = codes == 32
    spaces_before = np.concatenate(([0], np.cumsum(is_space, dtype=np.int64)))
    separators_before = np.concatenate(([0], np.cumsum(is_separator, dtype=np.int64)))
    for size in CHAR_NGRAM_SIZES:
        count = length - size + 1
        if count <= 0:
            continue
        # Contiguous slices rather than gathers: n-gram i spans codes[i : i + size].
        valid = separators_before[size : size + count] == separators_before[:count]
        if size == 2:
            valid &= ~(is_space[:count] & is_space[1 : count + 1])
        else:
            valid &= spaces_before[size - 1 : size - 1 + count] == spaces_before[1 : 1 + count]
        gram_hash = forward[size - 1 : size - 1 + count] * (
            prefix[size : size + count] - prefix[:count]
        )
        salt = _SALT_CHAR + np.uint64(size)
        bucket = (_mix(gram_hash[valid] ^ salt) >> shift).astype(np.int64) + int(buckets)
        docs.append(doc_of[:count][valid])
        features.append(bucket)
        if positions:
            first = np.flatnonzero(valid).astype(np.int64)
            starts.append(first)
            ends.append(first + size)

    empty = np.zeros(0, dtype=np.int64)
    if not docs:
        return Occurrences(empty, empty, empty, empty, doc_starts)
    return Occurrences(
        doc=np.concatenate(docs),
        feature=np.concatenate(features),
        start=np.concatenate(starts) if starts else empty,
        end=np.concatenate(ends) if ends else empty,
        doc_starts=doc_starts,
    )
