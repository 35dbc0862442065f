"""Run Django's synchronous request work on a small fixed set of threads.

Django's ASGI handler gives every request a brand-new thread for its synchronous parts
(middleware, ninja's sync views, the ORM). A new thread means a new database connection
per request: on SQLite an open and its PRAGMAs, on PostgreSQL a whole connection set-up —
and connections kept by CONN_MAX_AGE pile up on threads that are gone ("too many
clients"). `SyncThreads` hands each request one of a few long-lived single-thread
executors instead, so threads and their connections are reused, and a burst of requests
queues for a thread rather than for the database.

Event streams (paths ending in `/events`) last as long as the reader stays and keep their
request context open: they keep Django's own per-request thread (their ORM work already
runs on the shared pool, see `townhall.live.views`).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import ThreadSensitiveContext


class SyncThreads:
    """ASGI middleware: give each HTTP request one of `size` reusable sync threads."""

    def __init__(self, app: Any, *, size: int) -> None:
        self.app = app
        self.size = max(1, size)
        self._idle: asyncio.Queue[ThreadPoolExecutor] | None = None

    def _pool(self) -> asyncio.Queue[ThreadPoolExecutor]:
        # Created on first use, inside the server's event loop.
        if self._idle is None:
            idle: asyncio.Queue[ThreadPoolExecutor] = asyncio.Queue()
            for n in range(self.size):
                idle.put_nowait(ThreadPoolExecutor(max_workers=1,
                                                   thread_name_prefix=f"townhall-sync-{n}"))
            self._idle = idle
        return self._idle

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"].endswith("/events"):
            return await self.app(scope, receive, send)
        idle = self._pool()
        executor = await idle.get()
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.app(scope, receive, send)
        finally:
            idle.put_nowait(executor)
