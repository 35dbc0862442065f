"""Hot-path tests share the live tests' fixtures (a fresh served app, the model stand-in)."""

from tests.live.conftest import _toxicity_model, live_app  # noqa: F401
