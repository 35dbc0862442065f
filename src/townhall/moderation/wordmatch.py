"""Match a site's listed words and phrases in folded text (no Django: the lab uses it too).

A rule is ``(folded phrase, action, guideline)``; phrases are folded like comments
(:func:`fold_phrase`), so ``f*ck`` and ``f u c k`` meet the listed ``fuck``. A phrase that
ends in ``*`` is a stem: its last word matches with any ending, so ``fuck*`` stands for
"fucks", "fucking" and "fuckwit", and deleting that one entry allows them all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from townhall.moderation.guidelines import DEFAULT_WORD_RULES
from townhall.moderation.toxicity.normalize import fold_text

Rule = tuple[str, str, str]

#: What ends a listed stem.
WILDCARD = "*"
#: The shortest stem a word list accepts: "ass*" would hold "assessment", "co*" anything.
MIN_STEM = 4

#: Listed words that also end an innocent compound: after a hyphen they are not matched
#: ("pique-nique" is a picnic). Every other word is, so "dirty-<slur>" cannot slip through.
AFTER_HYPHEN_INNOCENT = frozenset({"nique", "niques"})
_STEM_WORD = re.compile(rf"[a-z0-9]{{{MIN_STEM},}}")


def fold_phrase(phrase: str) -> str:
    """Return ``phrase`` as rules store it: folded, with single spaces, and a stem's ``*``
    kept at its end (a ``*`` inside a word is obfuscation, folded away: ``f*ck``)."""
    stripped = phrase.strip()
    folded = " ".join(fold_text(stripped.rstrip(WILDCARD)).split())
    return folded + WILDCARD if folded and stripped.endswith(WILDCARD) else folded


def stem_of(folded: str) -> str | None:
    """Return what a folded stem rule matches the start of, or ``None`` for a whole phrase.

    A stem's last word keeps at least :data:`MIN_STEM` letters or digits before the ``*``;
    anything else ending in ``*`` (an unresolved mask such as ``f**``, listed before stems
    existed) stays a literal phrase, as it was.
    """
    if not folded.endswith(WILDCARD):
        return None
    stem = folded[: -len(WILDCARD)]
    words = stem.split()
    return stem if words and _STEM_WORD.fullmatch(words[-1]) else None


def _alternative(folded: str) -> str:
    stem = stem_of(folded)
    words = (folded if stem is None else stem).split()
    return r"\s+".join(re.escape(w) for w in words) + ("" if stem is None else "[a-z0-9]*")


@lru_cache(maxsize=256)
def compile_rules(
    rules: tuple[Rule, ...],
) -> tuple[re.Pattern[str], dict[str, tuple[str, str]], tuple[tuple[str, str], ...]]:
    """Compile (folded phrase, action, guideline) rules into one pattern over folded text.

    Returns the pattern, the rules by phrase, and the stems with their rule, longest first.
    """
    lookup = {folded: (action, guideline) for folded, action, guideline in rules}
    parts = sorted(lookup, key=len, reverse=True)
    alternation = "|".join(_alternative(p) for p in parts)
    stems = tuple((stem, p) for p in parts if (stem := stem_of(p)) is not None)
    return re.compile(rf"(?<![a-z0-9])(?:{alternation})(?![a-z0-9])"), lookup, stems


def matches(rules: tuple[Rule, ...], folded: str) -> Iterator[tuple[re.Match[str], str, str, str]]:
    """Yield each listed phrase found in ``folded``: the match, the phrase as listed (a
    stem with its ``*``), and its action and guideline.

    A listed whole phrase beats a stem that also covers it, and the longest stem beats a
    shorter one. A word of :data:`AFTER_HYPHEN_INNOCENT` right after a hyphen is no match,
    whichever entry found it.
    """
    pattern, lookup, stems = compile_rules(rules)
    for match in pattern.finditer(folded):
        phrase = " ".join(match.group(0).split())
        if phrase in AFTER_HYPHEN_INNOCENT and folded[match.start() - 1 : match.start()] == "-":
            continue
        if phrase not in lookup:
            phrase = next((p for stem, p in stems if phrase.startswith(stem)), phrase)
        action, guideline = lookup.get(phrase, ("flag", ""))
        yield match, phrase, action, guideline


@lru_cache(maxsize=4)
def default_rules(language: str) -> tuple[Rule, ...]:
    """Return the word rules a new site starts with that apply in ``language``."""
    return tuple(
        (fold_phrase(phrase), action, guideline)
        for phrase, rule_language, action, guideline in DEFAULT_WORD_RULES
        if rule_language in ("", language)
    )
