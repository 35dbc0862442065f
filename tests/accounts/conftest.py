"""Account tests run the real moderation pipeline with a calm stand-in for the model, so
only the rules under test decide."""

from tests.calm import calm_model

__all__ = ["calm_model"]
