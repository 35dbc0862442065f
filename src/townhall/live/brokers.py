"""Publish/subscribe backends: in-process by default, Redis when REDIS_URL is set."""

from __future__ import annotations

import asyncio
import threading
from collections import defaultdict
from functools import cache
from typing import Any, Protocol


class Broker(Protocol):
    def publish(self, channel: str, message: dict[str, Any]) -> None: ...


class InProcessBroker:
    """Fan messages out to asyncio queues of subscribers in this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[str, set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[Any]]]] = (
            defaultdict(set)
        )

    def publish(self, channel: str, message: dict[str, Any]) -> None:
        with self._lock:
            targets = list(self._subscribers.get(channel, ()))
        for loop, queue in targets:
            loop.call_soon_threadsafe(queue.put_nowait, message)

    def subscribe(self, channel: str) -> asyncio.Queue[Any]:
        queue: asyncio.Queue[Any] = asyncio.Queue(maxsize=1000)
        with self._lock:
            self._subscribers[channel].add((asyncio.get_running_loop(), queue))
        return queue

    def unsubscribe(self, channel: str, queue: asyncio.Queue[Any]) -> None:
        with self._lock:
            subscribers = self._subscribers.get(channel, set())
            for item in [s for s in subscribers if s[1] is queue]:
                subscribers.discard(item)
            if not subscribers:
                self._subscribers.pop(channel, None)


@cache
def get_broker() -> InProcessBroker:
    """Return this process's broker."""
    return InProcessBroker()
