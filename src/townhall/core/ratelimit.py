"""Fixed-window rate limits kept in the cache (Redis in production, in-process by default)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

from townhall.core.errors import RateLimited


def hit(scope: str, key: str, *, limit: int, window: int, field: str | None = None) -> None:
    """Count one event for `key` in `scope`; raise RateLimited past `limit` per `window` seconds."""
    if not settings.TOWNHALL_RATELIMIT:
        return
    now = time.time()
    bucket = int(now // window)
    cache_key = f"rl:{scope}:{key}:{bucket}"
    if cache.add(cache_key, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # the window expired between add() and incr()
            cache.add(cache_key, 1, timeout=window + 1)
            count = 1
    if count > limit:
        retry_after = max(1, int(window - (now % window)))
        raise RateLimited(retry_after=retry_after, field=field)


def client_address(request: object) -> str:
    """Return the client's address as seen by the server (proxy headers only when trusted)."""
    meta = getattr(request, "META", {})
    if settings.TOWNHALL_TRUST_PROXY and (forwarded := meta.get("HTTP_X_FORWARDED_FOR")):
        return str(forwarded.split(",")[0].strip())
    return str(meta.get("REMOTE_ADDR") or "unknown")
