"""Account tests run the real moderation pipeline with a calm stand-in for the model."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from townhall.moderation import phases


@dataclass
class CalmResult:
    score: float = 0.02
    categories: dict[str, float] = field(default_factory=dict)
    spans: list[Any] = field(default_factory=list)
    language: str = "en"
    model_version: str = "calm-test"


class CalmScorer:
    """Finds nothing wrong with any text, so only the rules under test decide."""

    def score(self, text: str) -> CalmResult:
        return CalmResult()


@pytest.fixture(autouse=True)
def calm_model() -> Iterator[CalmScorer]:
    scorer = CalmScorer()
    phases.use_scorer(scorer)
    yield scorer
    phases.use_scorer(None)
