"""`townhall serve`: run the production ASGI server (uvicorn; see docs/adr/0002-asgi-server.md)."""

from __future__ import annotations

import os
import resource
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve Townhall with the production ASGI server (uvicorn)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1,
                            help="worker processes; they share live events and the cache "
                                 "through REDIS_URL, or without it through SQLite files in the "
                                 "data directory (one host)")
        parser.add_argument("--log-level", default="warning")

    def handle(self, *args: Any, **options: Any) -> None:
        workers = options["workers"]
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        if workers > settings.TOWNHALL_PROCESSES:
            # The workers read their settings afresh: tell them they are not alone, so that
            # without Redis they share the cache and live events through the data directory.
            os.environ["TOWNHALL_PROCESSES"] = str(workers)
        serve(host=options["host"], port=options["port"], workers=workers,
              log_level=options["log_level"])


def raise_open_file_limit() -> int:
    """Allow as many open connections as the system lets us (each live reader holds one)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else 1 << 20
    if soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            return wanted
        except (ValueError, OSError):
            return soft
    return soft


def serve(*, host: str, port: int, workers: int = 1, log_level: str = "warning") -> None:
    """Run uvicorn on the Townhall ASGI application until interrupted."""
    import uvicorn

    raise_open_file_limit()
    uvicorn.run(
        "townhall.config.asgi:application",
        host=host, port=port, workers=workers if workers > 1 else None,
        log_level=log_level, proxy_headers=False, access_log=False,
        lifespan="off", timeout_graceful_shutdown=5, backlog=4096,
        http="httptools", loop="uvloop", server_header=False,
    )
