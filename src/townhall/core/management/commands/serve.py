"""`townhall serve`: run the production ASGI server."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Townhall with the production ASGI server (uvicorn)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1,
                            help="worker processes (share state through Redis when set)")
        parser.add_argument("--log-level", default="warning")

    def handle(self, *args: Any, **options: Any) -> None:
        serve(host=options["host"], port=options["port"], workers=options["workers"],
              log_level=options["log_level"])


def serve(*, host: str, port: int, workers: int = 1, log_level: str = "warning") -> None:
    """Run uvicorn on the Townhall ASGI application until interrupted."""
    import uvicorn

    uvicorn.run(
        "townhall.config.asgi:application",
        host=host, port=port, workers=workers if workers > 1 else None,
        log_level=log_level, proxy_headers=False, access_log=False,
        lifespan="off", timeout_graceful_shutdown=5,
    )
