"""Dashboard tests use the moderation tests' fake toxicity scorer."""

from tests.moderation.conftest import FakeScorer, scorer

__all__ = ["FakeScorer", "scorer"]
