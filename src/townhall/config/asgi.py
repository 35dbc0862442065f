"""ASGI entry point: `townhall serve` runs this application.

Django sits behind `HotPath`, which answers repeated anonymous thread and count reads from
memory (see `townhall.pagecache.hotpath`). Event streams go to Django's own ASGI handler (their
views are async and stay open); every other request goes to `OneHopHandler`, which runs the
middleware and the view in one call on one of a few reused threads (see
`townhall.core.handler` and `townhall.core.threads`).
"""

import gc
import os
from typing import Any

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townhall.config.settings")

django_application = get_asgi_application()


def build_application() -> Any:
    """Return a new application: a fresh hot path, thread pool and handlers."""
    from django.conf import settings
    from django.core.handlers.asgi import ASGIHandler

    from townhall.core.handler import OneHopHandler
    from townhall.core.threads import SyncThreads
    from townhall.pagecache.hotpath import HotPath

    streams = ASGIHandler()
    # TOWNHALL_HANDLER=django serves pages with Django's own handler (docs/adr/0004).
    handler = ASGIHandler() if settings.TOWNHALL_HANDLER == "django" else OneHopHandler()
    pages = SyncThreads(handler, size=settings.TOWNHALL_SYNC_THREADS)

    async def route(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].endswith("/events"):
            return await streams(scope, receive, send)
        return await pages(scope, receive, send)

    return HotPath(route)


application = build_application()

# Everything loaded so far lives as long as the process: keep it out of the garbage
# collector's full passes, which would otherwise stall the event loop for milliseconds.
gc.freeze()
