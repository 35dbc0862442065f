"""These tests run the real pipeline with a calm stand-in for the toxicity model."""

from tests.calm import calm_model, post

__all__ = ["calm_model", "post"]
