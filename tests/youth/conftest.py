"""Youth tests run the real moderation pipeline with a calm stand-in for the model."""

from tests.accounts.conftest import calm_model

__all__ = ["calm_model"]
