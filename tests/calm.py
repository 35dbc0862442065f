"""A calm stand-in for the toxicity model and a posting helper, shared by several test folders."""

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
    def score(self, text: str) -> CalmResult:
        return CalmResult()


@pytest.fixture(autouse=True)
def calm_model() -> Iterator[CalmScorer]:
    scorer = CalmScorer()
    phases.use_scorer(scorer)
    yield scorer
    phases.use_scorer(None)


def post(api: Any, token: str, body: str, *, parent_id: int | None = None,
         story: str = "1.100", site: str = "daily", **extra: Any) -> Any:
    """Post through the API as a reader would and return the JSON answer."""
    payload: dict[str, Any] = {"body": body, "accept_terms": True, **extra}
    if parent_id is not None:
        payload["parent_id"] = parent_id
    response = api.as_(token).post(f"sites/{site}/stories/{story}/comments", payload)
    assert response.status_code == 201, response.content
    return response.json()
