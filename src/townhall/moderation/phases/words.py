"""WordLists: the site's own phrases that hold, reject or flag."""

from __future__ import annotations

from typing import Any

from townhall.moderation.phases.spans import span
from townhall.moderation.pipeline import Finding, Submission
from townhall.moderation.toxicity.normalize import fold, original_span
from townhall.moderation.wordmatch import matches

_SEVERITY = {"block": 2, "hold": 1, "flag": 0}
_WORD_ACTION = {"block": "reject", "hold": "hold", "flag": "flag"}


class WordLists:
    """Block, hold or flag listed words and phrases, seen through obfuscation (`fold`)."""

    name = "word_lists"

    def run(self, submission: Submission) -> list[Finding] | None:
        rules = submission.posting.word_rules(submission.language)
        if not rules:
            return None
        text = submission.text
        folded, offsets = fold(text)
        hits: dict[str, list[dict[str, Any]]] = {}
        guideline_of: dict[str, str] = {}
        for match, key, action, guideline in matches(rules, folded):
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
