"""Fixtures for live and hot-path tests: a fresh ASGI app, broker and version board."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from django.core.asgi import get_asgi_application

from townhall.core import pubsub as brokers
from townhall.pagecache import readcache
from townhall.pagecache.hotpath import HotPath


@pytest.fixture
def live_app(settings: Any) -> Iterator[HotPath]:
    """The served application (hot path in front of Django), with nothing remembered."""
    settings.TOWNHALL_SSE_HEARTBEAT = 30
    brokers.reset_broker()
    readcache.board.clear()
    app = HotPath(get_asgi_application())
    yield app
    brokers.reset_broker()
    readcache.board.clear()


def run(scenario: Callable[[], Awaitable[Any]]) -> Any:
    """Run an async scenario on a fresh loop; stop the broker's listener on that loop after."""

    async def main() -> Any:
        try:
            return await scenario()
        finally:
            broker = brokers.get_broker()
            if isinstance(broker, brokers.RedisBroker):
                await broker.close()

    return asyncio.run(main())


class _CalmScorer:
    """Stands in for the toxicity model only while no trained model is installed."""

    def score(self, text: str) -> Any:
        from types import SimpleNamespace

        return SimpleNamespace(score=0.0, categories={}, spans=[], language="en",
                               model_version="calm-stand-in")


@pytest.fixture(autouse=True)
def _toxicity_model() -> Iterator[None]:
    """Live and hot-path tests are not about the model; run it when it is installed."""
    from townhall.moderation import phases

    try:
        from townhall.moderation.toxicity.scorers import get_default_scorer

        get_default_scorer()
        yield
        return
    except Exception:
        phases.use_scorer(_CalmScorer())
    yield
    phases.use_scorer(None)
