"""Match a site's listed words and phrases in folded text (no Django: the lab uses it too).

A rule is ``(folded phrase, action, guideline)``; phrases are folded like comments
(:func:`fold_phrase`), so ``f*ck`` and ``f u c k`` meet the listed ``fuck``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from townhall.moderation.guidelines import DEFAULT_WORD_RULES
from townhall.moderation.toxicity.normalize import fold_text

Rule = tuple[str, str, str]

#: Listed words that also end an innocent compound: after a hyphen they are not matched
#: ("pique-nique" is a picnic). Every other word is, so "dirty-<slur>" cannot slip through.
AFTER_HYPHEN_INNOCENT = frozenset({"nique", "niques"})


def fold_phrase(phrase: str) -> str:
    """Return ``phrase`` as rules store it: folded, with single spaces."""
    return " ".join(fold_text(phrase).split())


@lru_cache(maxsize=256)
def compile_rules(
    rules: tuple[Rule, ...],
) -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    """Compile (folded phrase, action, guideline) rules into one pattern over folded text."""
    lookup = {folded: (action, guideline) for folded, action, guideline in rules}
    parts = sorted(lookup, key=len, reverse=True)
    alternation = "|".join(
        ("(?<!-)" if p in AFTER_HYPHEN_INNOCENT else "")
        + r"\s+".join(re.escape(w) for w in p.split())
        for p in parts
    )
    return re.compile(rf"(?<![a-z0-9])(?:{alternation})(?![a-z0-9])"), lookup


def matches(rules: tuple[Rule, ...], folded: str) -> Iterator[tuple[re.Match[str], str, str, str]]:
    """Yield each listed phrase found in ``folded``: the match, the phrase as listed, and its
    action and guideline."""
    pattern, lookup = compile_rules(rules)
    for match in pattern.finditer(folded):
        phrase = " ".join(match.group(0).split())
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
