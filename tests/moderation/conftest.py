"""A fake toxicity scorer, so pipeline tests do not depend on the trained model."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from townhall.moderation import phases

RUDE = ("idiot", "moron", "imbecile", "stupid")


@dataclass
class FakeSpan:
    start: int
    end: int
    score: float = 0.9


@dataclass
class FakeResult:
    score: float
    categories: dict[str, float] = field(default_factory=dict)
    spans: list[FakeSpan] = field(default_factory=list)
    language: str = "en"
    model_version: str = "fake-1"


class FakeScorer:
    """Scores 0.93 when the text has an insult from RUDE (spans on them), else 0.04."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.broken = False

    def score(self, text: str) -> FakeResult:
        self.calls.append(text)
        if self.broken:
            raise RuntimeError("model crashed")
        lower = text.lower()
        spans = [FakeSpan(lower.index(w), lower.index(w) + len(w)) for w in RUDE if w in lower]
        if spans:
            return FakeResult(0.93, {"insult": 0.9, "threat": 0.1}, spans)
        return FakeResult(0.04, {"insult": 0.02})


@pytest.fixture(autouse=True)
def scorer() -> Iterator[Any]:
    fake = FakeScorer()
    phases.use_scorer(fake)
    yield fake
    phases.use_scorer(None)
