"""The highlighted parts of a text that phases hand to moderators."""

from __future__ import annotations

from typing import Any


def span(start: int, end: int, text: str, **extra: Any) -> dict[str, Any]:
    """Return a span of `text` as findings carry it."""
    return {"start": start, "end": end, "text": text[start:end], **extra}


def span_dict(part: Any, text: str) -> dict[str, Any]:
    """Return a scorer's span (a dict or an object) as findings carry it."""
    if isinstance(part, dict):
        start, end = int(part.get("start", 0)), int(part.get("end", 0))
        extra = {k: v for k, v in part.items() if k not in ("start", "end", "text")}
    else:
        start, end = int(part.start), int(part.end)
        extra = {k: getattr(part, k) for k in ("score", "label", "weight")
                 if isinstance(getattr(part, k, None), (int, float, str))}
    return span(start, end, text, **extra)
