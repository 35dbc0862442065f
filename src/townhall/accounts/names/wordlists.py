"""Load the admin-extensible word lists and match a name's words against them.

The syntax of the files is described in ``data/README.txt``. Entries and names
are compared through :func:`normalize.fold`, so lists need one plain
lower-case spelling per word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from importlib.resources import files

from townhall.accounts.names.normalize import word_keys

LIST_KINDS = ("profanity", "placeholder", "role", "slogan")

# Articles dropped before comparing phrases: "Kermit Frog", "Winnie Pooh".
_PHRASE_STOPWORDS = frozenset({"the", "of", "a", "an", "le", "la", "les", "l", "de", "du", "des"})


@lru_cache(maxsize=8192)
def loose(token: str) -> str:
    """Return a spelling-tolerant key: ``Jhon`` and ``John`` both give ``jon``."""
    token = re.sub(r"(?<=.)h", "", token)
    return re.sub(r"(.)\1+", r"\1", token).replace("y", "i")


def _loose_phrase(tokens: Iterable[str]) -> tuple[str, ...]:
    return tuple(loose(t) for t in tokens if t not in _PHRASE_STOPWORDS)


@dataclass(frozen=True)
class NameWords:
    """The words of a name as matching keys, in display order."""

    tokens: tuple[str, ...]  # one key per word, separators removed
    segments: tuple[str, ...]  # words split at hyphens and apostrophes too
    fields: tuple[str, ...]  # "first_name" or "last_name" for each token

    @classmethod
    def of(cls, first_name: str, last_name: str) -> NameWords:
        """Split both parts of a name into matching keys."""
        tokens: list[str] = []
        segments: list[str] = []
        fields: list[str] = []
        for field, part in (("first_name", first_name), ("last_name", last_name)):
            for joined, parts in word_keys(part):
                tokens.append(joined)
                segments.extend(parts)
                fields.append(field)
        return cls(tuple(tokens), tuple(segments), tuple(fields))


@dataclass(frozen=True)
class Match:
    """Which entry of which list matched, and in which field."""

    kind: str
    entry: str
    field: str


@dataclass(frozen=True)
class WordList:
    """A parsed list: strong entries reject alone, weak ones only together."""

    kind: str
    words: frozenset[str] = frozenset()
    phrases: tuple[tuple[str, ...], ...] = ()
    prefixes: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    infixes: tuple[str, ...] = ()
    weak: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, kind: str, lines: Iterable[str]) -> WordList:
        """Parse entries in the ``data/README.txt`` syntax, skipping comments."""
        words: set[str] = set()
        phrases: list[tuple[str, ...]] = []
        prefixes: list[str] = []
        suffixes: list[str] = []
        infixes: list[str] = []
        weak: set[str] = set()
        for raw in lines:
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            is_weak = line.startswith("~")
            line = line.lstrip("~").strip()
            starts, ends = line.startswith("*"), line.endswith("*")
            keys = [joined for joined, _ in word_keys(line.strip("*").strip())]
            if not keys:
                continue
            if is_weak:
                weak.update(keys)
            elif len(keys) > 1:
                phrases.append(tuple(keys))
            elif starts and ends:
                infixes.append(keys[0])
            elif ends:
                prefixes.append(keys[0])
            elif starts:
                suffixes.append(keys[0])
            else:
                words.add(keys[0])
        return cls(
            kind,
            frozenset(words),
            tuple(phrases),
            tuple(prefixes),
            tuple(suffixes),
            tuple(infixes),
            frozenset(weak),
        )

    def merged(self, other: WordList) -> WordList:
        """Return this list with the entries of ``other`` added."""
        return WordList(
            self.kind,
            self.words | other.words,
            self.phrases + other.phrases,
            self.prefixes + other.prefixes,
            self.suffixes + other.suffixes,
            self.infixes + other.infixes,
            self.weak | other.weak,
        )

    def _word_hit(self, key: str) -> str | None:
        if key in self.words:
            return key
        for prefix in self.prefixes:
            if key.startswith(prefix):
                return prefix + "*"
        for suffix in self.suffixes:
            if key.endswith(suffix):
                return "*" + suffix
        for infix in self.infixes:
            if infix in key:
                return "*" + infix + "*"
        return None

    def strong_match(self, name: NameWords) -> Match | None:
        """Return the first strong entry found in the name, if any."""
        tokens = name.tokens
        for index, token in enumerate(tokens):
            hit = self._word_hit(token)
            if hit is None and index + 1 < len(tokens):
                # "Tax Payer", "Web Master": a listed word split in two.
                joined = token + tokens[index + 1]
                hit = joined if joined in self.words else None
            if hit is not None:
                return Match(self.kind, hit, name.fields[index])
        for segment in name.segments:
            if segment in self.words:
                field = next(
                    (f for t, f in zip(tokens, name.fields, strict=True) if segment in t),
                    name.fields[0],
                )
                return Match(self.kind, segment, field)
        return self._phrase_match(name)

    @cached_property
    def _phrase_index(self) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
        # Phrases by their first loose word, so matching cost follows the name.
        index: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for phrase in self.phrases:
            wanted = _loose_phrase(phrase)
            if wanted:
                index.setdefault(wanted[0], []).append((" ".join(phrase), wanted))
        return index

    @cached_property
    def _glued_phrases(self) -> dict[str, str]:
        return {loose("".join(phrase)): " ".join(phrase) for phrase in self.phrases}

    def _phrase_match(self, name: NameWords) -> Match | None:
        if not name.tokens or not self.phrases:
            return None
        pairs = list(zip(name.tokens, name.fields, strict=True))
        firsts = _loose_phrase(t for t, f in pairs if f == "first_name")
        lasts = _loose_phrase(t for t, f in pairs if f == "last_name")
        # Last name first (East Asian order, or fields swapped) and
        # first-plus-last with middle names dropped ("Harry James Potter").
        orders = [firsts + lasts, lasts + firsts]
        if firsts and lasts:
            orders.append((firsts[0], lasts[-1]))
        for order in orders:
            for start, word in enumerate(order):
                for entry, wanted in self._phrase_index.get(word, ()):
                    if order[start : start + len(wanted)] == wanted:
                        return Match(self.kind, entry, "first_name")
        for token, field in pairs:
            glued = self._glued_phrases.get(loose(token))  # "JohnDoe", "Spider-Man"
            if glued is not None:
                return Match(self.kind, glued, field)
        return None


def _read(filename: str) -> list[str]:
    resource = files("townhall.accounts.names") / "data" / filename
    return resource.read_text(encoding="utf-8").splitlines()


@cache
def default_list(kind: str) -> WordList:
    """Return the shipped list of this kind (``profanity``, ``famous``…)."""
    return WordList.parse(kind, _read(f"{kind}.txt"))


@cache
def common_words() -> frozenset[str]:
    """Return everyday words that are rarely given names, for suspicion scoring."""
    return WordList.parse("common", _read("common_words.txt")).words


def site_lists(extra_words: Mapping[str, Iterable[str]] | None) -> dict[str, WordList]:
    """Return the four rejecting lists with a site's own additions merged in."""
    extra = dict(extra_words or {})
    unknown = set(extra) - set(LIST_KINDS)
    if unknown:
        raise ValueError(f"Unknown word list kind(s): {sorted(unknown)}; expected {LIST_KINDS}")
    lists = {kind: default_list(kind) for kind in LIST_KINDS}
    for kind, entries in extra.items():
        lists[kind] = lists[kind].merged(WordList.parse(kind, entries))
    return lists
