"""WordLists: the site's own phrases that hold, reject or flag."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from townhall.moderation.phases.spans import span
from townhall.moderation.pipeline import Finding, Submission
from townhall.moderation.toxicity.normalize import fold, original_span


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
            hits.setdefault(action, []).append(span(start, end, text, word=key))
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
