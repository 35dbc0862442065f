"""The shared read cache for anonymous thread pages and counts.

A page is cached under the story's `version`, which `story_touch` bumps in the same
transaction as any change an anonymous reader would see. Two layers:

* Django's cache (Redis when REDIS_URL is set) holds rendered pages for every process, so
  a page is rendered once per version, whichever process asks first.
* Each process keeps a `VersionBoard` (story id -> newest version it knows, and when it
  learned it) and the hot path (`townhall.pagecache.hotpath`) keeps the response bytes. After a
  commit the writing process updates its own board at once and announces the version on
  the broker, so other processes learn it within milliseconds; an entry not confirmed for
  `TOWNHALL_HOT_TTL` seconds is checked against the database again, which bounds how long a
  missed announcement (a restart, a write from the command line) can go unnoticed.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from pydantic import BaseModel

from townhall.core import clock
from townhall.core.pubsub import publish_now, several_processes
from townhall.stories.models import Story

VERSIONS_CHANNEL = "hot:versions"
SCOPE_KEY = "townhall.hot"
CONTENT_TYPE = "application/json; charset=utf-8"
PAGE_CACHE_SECONDS = 3600


class VersionBoard:
    """The newest story versions this process knows, each with when it was confirmed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.versions: dict[int, tuple[int, float]] = {}

    def learn(self, story_id: int, version: int) -> None:
        """Record a version; versions only grow, so a late, older report changes nothing."""
        now = time.monotonic()
        with self._lock:
            known = self.versions.get(story_id)
            if known is None or version >= known[0]:
                self.versions[story_id] = (version, now)

    def known(self, story_id: int) -> tuple[int, float] | None:
        """Return (version, seconds since it was confirmed), or None."""
        found = self.versions.get(story_id)
        return None if found is None else (found[0], time.monotonic() - found[1])

    def clear(self) -> None:
        with self._lock:
            self.versions.clear()


board = VersionBoard()


def read_versions(story_ids: Iterable[int]) -> list[tuple[int, int]]:
    """Read stories' current versions from the database (one small query)."""
    return list(Story.objects.filter(pk__in=list(story_ids)).values_list("pk", "version"))


def hot_ttl() -> float:
    return float(getattr(settings, "TOWNHALL_HOT_TTL", 2.0))


def on_versions_changed(sender: Any, *, changes: Iterable[tuple[int, int]],
                        **kwargs: Any) -> None:
    story_versions_changed(changes)


def story_versions_changed(changes: Iterable[tuple[int, int]]) -> None:
    """Learn new versions after a commit and tell the other processes (call on commit)."""
    changes = list(changes)
    for story_id, version in changes:
        board.learn(story_id, version)
    if changes and several_processes():
        publish_now(VERSIONS_CHANNEL, {"type": "versions", "v": changes})


def cache_control(closes_at: dt.datetime | None) -> str:
    """Let browsers and CDNs keep a shared page briefly, never past a scheduled close."""
    max_age = int(getattr(settings, "TOWNHALL_THREAD_MAX_AGE", 5))
    if closes_at is not None:
        left = (closes_at - clock.now()).total_seconds()
        if left > 0:
            max_age = max(0, min(max_age, int(left)))
    stale = int(getattr(settings, "TOWNHALL_THREAD_STALE", 30)) if max_age else 0
    return f"public, max-age={max_age}, stale-while-revalidate={stale}"


def _etag(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def render_json(schema: type[BaseModel], data: dict[str, Any]) -> bytes:
    """Serialise like the API does: through the response schema, with ninja's encoder."""
    from ninja.responses import NinjaJSONEncoder

    dumped = schema.model_validate(data).model_dump()
    return json.dumps(dumped, cls=NinjaJSONEncoder).encode()


def accepts_gzip(header: str | bytes) -> bool:
    """Say whether an Accept-Encoding header admits gzip (the hot path asks the same)."""
    text = header.decode("latin-1") if isinstance(header, bytes) else header
    for item in text.lower().split(","):
        name, _semi, params = item.strip().partition(";")
        if name.strip() in ("gzip", "*"):
            quality = params.replace(" ", "").removeprefix("q=")
            return not (params and quality in ("0", "0.0", "0.00", "0.000"))
    return False


def _gzipped(body: bytes, etag: str) -> tuple[bytes, str]:
    # mtime=0: the same page always compresses to the same bytes (and ETag) in every process.
    return gzip.compress(body, compresslevel=6, mtime=0), etag[:-1] + '-gz"'


def etag_matches(request: HttpRequest, etag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    if not header:
        return False
    candidates = {c.strip().removeprefix("W/") for c in header.split(",")}
    return etag in candidates or "*" in candidates


def shared_response(
    request: HttpRequest,
    *,
    kind: str,
    deps: list[tuple[int, int]],
    key: Iterable[Any],
    render: Callable[[], bytes],
    language: str,
    closes_at: dt.datetime | None = None,
) -> HttpResponse:
    """Answer an anonymous read from the cache (rendering it once per version).

    `deps` are the (story id, version) pairs the page shows; they are read before the
    content, so a cached page is never older than the versions it is filed under.
    """
    digest = hashlib.blake2b(repr((kind, deps, tuple(key))).encode(), digest_size=16).hexdigest()
    cache_key = f"th:page2:{digest}"  # page2: (body, etag, gzip body, gzip etag)
    # Without versions to file it under, a page is rendered afresh every time.
    cached = cache.get(cache_key) if deps else None
    if cached is None:
        body = render()
        etag = _etag(body)
        cached = (body, etag, *_gzipped(body, etag))
        if deps:
            cache.set(cache_key, cached, PAGE_CACHE_SECONDS)
    body, etag, gz_body, gz_etag = cached
    # Browsers ask for gzip: a thread page shrinks about six times (a tiny count would grow).
    compressed = (len(gz_body) < len(body)
                  and accepts_gzip(request.headers.get("Accept-Encoding", "")))
    if compressed:
        body, etag = gz_body, gz_etag
    headers = {
        "ETag": etag, "Cache-Control": cache_control(closes_at),
        # The page is in the story's language, whatever the reader's browser prefers.
        "Content-Language": language,
        "Vary": "Accept-Encoding",
    }
    if compressed:
        headers["Content-Encoding"] = "gzip"
    if etag_matches(request, etag):
        response = HttpResponse(status=304)
        del response["Content-Type"]
    else:
        response = HttpResponse(body, content_type=CONTENT_TYPE)
    for name, value in headers.items():
        response[name] = value
    hot = getattr(request, "scope", {}).get(SCOPE_KEY)
    if isinstance(hot, dict) and deps:
        hot.update(deps=tuple(deps), etag=etag.encode(),
                   expires=closes_at.timestamp() if closes_at and closes_at > clock.now()
                   else None)
    return response
