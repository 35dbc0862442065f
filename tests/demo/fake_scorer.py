"""A predictable toxicity scorer for the newsroom and browser tests.

The widget and the demo are tested against the real pipeline, minus the trained model: a
comment that calls someone an idiot scores high (held with the "respect" guideline), every
other text scores low, so the tests do not change when the model is retrained.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from townhall.moderation import phases

RUDE = ("idiot", "moron")


@dataclass
class Result:
    score: float
    categories: dict[str, float] = field(default_factory=dict)
    spans: list[Any] = field(default_factory=list)
    language: str = "en"
    model_version: str = "fake-newsroom-1"


class FakeScorer:
    def score(self, text: str) -> Result:
        if any(word in text.lower() for word in RUDE):
            return Result(0.95, {"insult": 0.95})
        return Result(0.01, {"insult": 0.01})


@pytest.fixture(autouse=True)
def predictable_scorer() -> Iterator[FakeScorer]:
    fake = FakeScorer()
    phases.use_scorer(fake)
    yield fake
    phases.use_scorer(None)
