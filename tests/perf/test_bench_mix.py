"""The posting benchmark's mix: every comment reaches the server as the JSON it was meant to be."""

from __future__ import annotations

import json
import re

from bench import mix


def test_each_comment_of_the_mix_is_posted_whole_as_valid_json() -> None:
    rows = mix.comments()
    items = re.findall(r"\[==\[(.*?)\]==\]", mix.lua_bodies(), flags=re.S)
    assert len(items) == len(rows)
    for row, item in zip(rows, items, strict=True):
        # What the Lua script sends: the open string, a number of its own, the closing quote.
        body = json.loads('{"body":' + item + ' (Bench post 12-3)","accept_terms":true}')
        assert body["body"] == row["text"] + " (Bench post 12-3)"


def test_the_mix_is_mostly_civil_in_both_languages() -> None:
    rows = mix.comments()
    abusive = sum(row["label"] == "1" for row in rows) / len(rows)
    assert 0.05 < abusive < 0.15
    assert {row["lang"] for row in rows} == {"en", "fr"}
