"""The hot path: answer repeated anonymous thread and count reads without entering Django.

`HotPath` wraps the Django ASGI application. For `GET /api/v1/sites/<site>/stories/<id>/comments`
and `GET /api/v1/sites/<site>/counts` without an Authorization header it looks up the bytes
Django sent last time for the same URL; if every story that page shows is still at the
version the page was rendered for (see `readcache.VersionBoard`), it answers them itself —
with a 304 when the reader's ETag matches. Anything else goes to Django, and a cacheable
answer (the view marks it in the ASGI scope) is kept for next time. CORS headers depend on
the request's Origin, so they are kept apart and added per request, for origins Django
has judged recently.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from townhall.core.pubsub import get_broker, several_processes
from townhall.pagecache import readcache

log = logging.getLogger(__name__)

Scope = dict[str, Any]
Headers = list[tuple[bytes, bytes]]

_PREFIX = "/api/v1/sites/"
_CORS = (b"access-control-allow-origin", b"access-control-expose-headers")
# Set per request, never replayed: the request id (logs) and the CORS answer for the Origin.
_PER_REQUEST = (*_CORS, b"x-request-id")
_BODY_ONLY = (b"content-type", b"content-length")
_VALID_REQUEST_ID = re.compile(rb"^[A-Za-z0-9._-]{8,64}$")
RECHECK_LIMIT = 10


@dataclass(frozen=True, slots=True)
class Entry:
    deps: tuple[tuple[int, int], ...]
    headers: Headers
    not_modified_headers: Headers
    body: bytes
    etag: bytes
    expires: float | None
    cors_expose: bytes | None
    request_id: bool


class HotPath:
    """ASGI middleware in front of Django for hot anonymous reads."""

    def __init__(self, app: Any, *, max_entries: int = 4096, max_bytes: int = 128 << 20) -> None:
        self.app = app
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.entries: OrderedDict[tuple[str, bytes, bool], Entry] = OrderedDict()
        self.size = 0
        self.origins: dict[bytes, tuple[bool, float]] = {}
        self._ttl: float | None = None
        self._following: set[asyncio.AbstractEventLoop] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._rechecking: set[int] = set()
        self.hits = 0

    @property
    def ttl(self) -> float:
        if self._ttl is None:
            self._ttl = readcache.hot_ttl()
        return self._ttl

    def clear(self) -> None:
        self.entries.clear()
        self.size = 0
        self.origins.clear()
        self._ttl = None

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            return await self.app(scope, receive, send)
        path: str = scope["path"]
        if not path.startswith(_PREFIX) or not (
            path.endswith("/comments") or path.endswith("/counts")
        ):
            return await self.app(scope, receive, send)
        origin = inm = given_id = None
        compressed = False
        for name, value in scope["headers"]:
            if name == b"authorization":
                return await self.app(scope, receive, send)
            if name == b"origin":
                origin = value
            elif name == b"if-none-match":
                inm = value
            elif name == b"x-request-id":
                given_id = value
            elif name == b"accept-encoding":
                compressed = readcache.accepts_gzip(value)
        # Django answers gzip to readers who accept it: each form is kept apart.
        key = (path, scope.get("query_string", b""), compressed)
        entry = self.entries.get(key)
        if entry is not None and self._fresh(entry):
            cors = self._cors(origin, entry)
            if cors is not None:
                self.hits += 1
                if entry.request_id:
                    cors.append((b"X-Request-ID", given_id if given_id is not None
                                 and _VALID_REQUEST_ID.match(given_id)
                                 else secrets.token_hex(8).encode()))
                return await self._answer(send, entry, cors, inm)
        return await self._through_django(scope, receive, send, key, origin)

    def _fresh(self, entry: Entry) -> bool:
        """Say whether the entry still shows every story at its newest known version.

        Announced changes retire an entry at once. A version not confirmed for `ttl`
        seconds (a change nobody announced, from the shell or while Redis was away) is
        re-read from the database by one background query while readers keep being
        answered; past `RECHECK_LIMIT` times the ttl without an answer, Django answers.
        """
        if entry.expires is not None and time.time() >= entry.expires:
            return False
        board, ttl = readcache.board, self.ttl
        stale: list[int] = []
        for story_id, version in entry.deps:
            known = board.known(story_id)
            if known is None or known[0] != version:
                return False
            if known[1] > ttl:
                if known[1] > ttl * RECHECK_LIMIT:
                    return False
                stale.append(story_id)
        if stale:
            self._recheck(stale)
        return True

    def _recheck(self, story_ids: list[int]) -> None:
        wanted = [i for i in story_ids if i not in self._rechecking]
        if not wanted:
            return
        self._rechecking.update(wanted)
        task = asyncio.get_running_loop().create_task(self._read_versions(wanted))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _read_versions(self, story_ids: list[int]) -> None:
        from asgiref.sync import sync_to_async

        try:
            found = await sync_to_async(readcache.read_versions, thread_sensitive=False)(
                story_ids)
            for story_id, version in found:
                readcache.board.learn(story_id, version)
        except Exception:
            log.warning("hot path: cannot re-read story versions", exc_info=True)
        finally:
            self._rechecking.difference_update(story_ids)

    def _cors(self, origin: bytes | None, entry: Entry) -> Headers | None:
        """Return the CORS headers for this origin, or None when Django must judge it."""
        if origin is None:
            return []
        known = self.origins.get(origin)
        if known is None or time.monotonic() - known[1] > self.ttl:
            return None
        if not known[0]:
            return []
        cors = [(b"Access-Control-Allow-Origin", origin)]
        if entry.cors_expose is not None:
            cors.append((b"Access-Control-Expose-Headers", entry.cors_expose))
        return cors

    async def _answer(self, send: Any, entry: Entry, cors: Headers, inm: bytes | None) -> None:
        if inm is not None and _etag_in(entry.etag, inm):
            await send({"type": "http.response.start", "status": 304,
                        "headers": entry.not_modified_headers + cors})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200,
                    "headers": entry.headers + cors})
        await send({"type": "http.response.body", "body": entry.body})

    async def _through_django(self, scope: Scope, receive: Any, send: Any,
                              key: tuple[str, bytes, bool], origin: bytes | None) -> None:
        self._follow_versions()
        hot: dict[str, Any] = {}
        scope = dict(scope)
        scope[readcache.SCOPE_KEY] = hot
        started: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and started.get("status") == 200 and hot:
                    self._keep(key, origin, started.get("headers", []), b"".join(chunks), hot)
            await send(message)

        await self.app(scope, receive, capture)

    def _keep(self, key: tuple[str, bytes, bool], origin: bytes | None, headers: Headers,
              body: bytes, hot: dict[str, Any]) -> None:
        headers = [(bytes(n), bytes(v)) for n, v in headers]
        cors = {n.lower(): v for n, v in headers if n.lower() in _CORS}
        if origin is not None:
            self.origins[origin] = (b"access-control-allow-origin" in cors, time.monotonic())
        for story_id, version in hot["deps"]:
            readcache.board.learn(story_id, version)
        shared = [(n, v) for n, v in headers if n.lower() not in _PER_REQUEST]
        entry = Entry(
            deps=hot["deps"], headers=shared,
            not_modified_headers=[(n, v) for n, v in shared if n.lower() not in _BODY_ONLY]
            + [(b"Content-Length", b"0")],
            body=body, etag=hot["etag"], expires=hot.get("expires"),
            cors_expose=cors.get(b"access-control-expose-headers"),
            request_id=any(n.lower() == b"x-request-id" for n, _v in headers),
        )
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= len(old.body)
        self.entries[key] = entry
        self.size += len(body)
        while self.entries and (len(self.entries) > self.max_entries
                                or self.size > self.max_bytes):
            _key, dropped = self.entries.popitem(last=False)
            self.size -= len(dropped.body)

    def _follow_versions(self) -> None:
        """Start listening for other processes' version announcements on this loop."""
        if not several_processes():
            return
        loop = asyncio.get_running_loop()
        if loop in self._following:
            return
        self._following.add(loop)
        task = loop.create_task(_follow(loop, self._following))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


async def _follow(loop: asyncio.AbstractEventLoop,
                  following: set[asyncio.AbstractEventLoop]) -> None:
    try:
        broker = get_broker()
        subscription = await broker.subscribe(readcache.VERSIONS_CHANNEL)
        try:
            while True:
                event = await subscription.queue.get()
                for story_id, version in event.message.get("v", ()):
                    readcache.board.learn(int(story_id), int(version))
        finally:
            broker.unsubscribe(subscription)
    except asyncio.CancelledError:
        raise
    except Exception:
        log.warning("hot path: cannot follow version announcements", exc_info=True)
    finally:
        following.discard(loop)


def _etag_in(etag: bytes, header: bytes) -> bool:
    for candidate in header.split(b","):
        candidate = candidate.strip().removeprefix(b"W/")
        if candidate in (etag, b"*"):
            return True
    return False
