"""The posting benchmark's mix: every comment reaches the server as the JSON it was meant to be."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bench import mix
from bench.__main__ import lua_script


def _lua_value(part: str, item: str) -> str:
    """Evaluate one operand of the script's body expression for one comment."""
    if part.startswith("'") and part.endswith("'"):
        return part[1:-1]
    values = {"bodies[(counter % #bodies) + 1]": item,
              "tostring(math.random(1, 1000000000))": "123456789", "counter": "1234"}
    return values[part]


def test_the_script_posts_each_comment_whole_as_valid_json(tmp_path: Path) -> None:
    script = lua_script(tmp_path / "post.lua", ["token"], ["/path"]).read_text()
    items = re.findall(r"\[==\[(.*?)\]==\]", script, flags=re.S)
    expression = re.search(r"local body = (.*?)\n  return", script, flags=re.S)
    assert expression is not None
    parts = [part.strip() for part in expression.group(1).split(" ..")]
    rows = mix.comments()
    assert len(items) == len(rows)
    suffix = mix.SUFFIX.format(random=123456789, counter=1234)
    for row, item in zip(rows, items, strict=True):
        body = json.loads("".join(_lua_value(part, item) for part in parts))
        assert body == {"body": row["text"] + suffix, "accept_terms": True}


def test_the_mix_is_mostly_civil_in_both_languages() -> None:
    rows = mix.comments()
    abusive = sum(row["label"] == "1" for row in rows) / len(rows)
    assert 0.05 < abusive < 0.15
    assert {row["lang"] for row in rows} == {"en", "fr"}
