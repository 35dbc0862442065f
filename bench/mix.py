"""What the posting benchmarks post: a newsroom's mix of comments, not one civil sentence.

Every civil comment of the news-context set's ``eval`` split and one abusive comment in
nine, in English and French (the set is written for Townhall: ``model/townhall_lab/newsset.py``).
About one comment in ten is abusive, and some civil ones sit near the hold line, so a post
pays for the whole pipeline as readers use it: the fast model for every comment, the semantic
stage for those it doubts (ADR 0008), the rules and the queue for the ones held.

``python -m bench.mix`` prints, as one JSON line, what the active model does with the mix:
the share it holds and the share its semantic stage reads again.
"""

from __future__ import annotations

import json
from typing import Any

#: The bench's stories are English, as a story's language hint is in production.
STORY_LANGUAGE = "en"
#: What the Lua script adds to a comment to make it unique: digits only, so that no word of
#: another language joins a French comment.
SUFFIX = " ({random}-{counter})"


def comments() -> list[dict[str, str]]:
    """Return the mix in a fixed order: civil and abusive comments interleaved by the file
    (``townhall_lab.newsset.newsroom_mix``, which ``evaluate-model`` times the model on)."""
    from townhall.moderation.lab import lab_module

    mix: list[dict[str, str]] = lab_module("newsset").newsroom_mix()
    return mix


def lua_bodies() -> str:
    """Return the mix as the items of a Lua table, each a JSON string left open.

    The script closes each string after a number of its own, so that no two posts are the
    same text (the repeat rule would hold the second as spam). ASCII-only JSON in Lua's long
    brackets needs no further escaping.
    """
    items = []
    for row in comments():
        opened = json.dumps(row["text"])[:-1]
        if "]==]" in opened:
            raise ValueError(f"a bench comment cannot sit in a Lua long string: {opened}")
        items.append(f"[==[{opened}]==]")
    return ", ".join(items)


def profile() -> dict[str, Any]:
    """Return what the active model does with the mix as posted (its own score, before a
    site's word list and the other phases)."""
    from townhall.moderation.toxicity.scorers import DEFAULT_HOLD_THRESHOLD, get_default_scorer

    scorer = get_default_scorer()
    mix = comments()
    suffix = SUFFIX.format(random=123456789, counter=1234)
    results = [scorer.score(row["text"] + suffix, language_hint=STORY_LANGUAGE) for row in mix]
    count = len(mix)
    return {
        "comments": count,
        "abusive_share": round(sum(row["label"] == "1" for row in mix) / count, 3),
        "french_share": round(sum(row["lang"] == "fr" for row in mix) / count, 3),
        "model_held_share": round(
            sum(result.score >= DEFAULT_HOLD_THRESHOLD for result in results) / count, 3),
        "read_again_share": round(
            sum(getattr(result, "semantic", None) is not None for result in results) / count, 3),
    }


if __name__ == "__main__":
    print(json.dumps(profile()))
