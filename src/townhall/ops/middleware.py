"""Give every request an id (logged, echoed in `X-Request-ID`) and count it by route."""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Awaitable, Callable
from contextvars import Token

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponse

from townhall.core import metrics
from townhall.notify.tasks import start_in_process_runner
from townhall.ops.logging import request_id

_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# The metrics page itself and health probes would drown the interesting routes.
_UNCOUNTED = {"metrics", "healthz", "readyz"}


def incoming_id(request: HttpRequest) -> str:
    """Reuse a well-formed id from the proxy (nginx `$request_id`), else make one."""
    given = request.headers.get("X-Request-ID", "")
    return given if _VALID_ID.match(given) else secrets.token_hex(8)


def route_of(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.route or match.view_name or "unknown"


class RequestMiddleware:
    """Set the request id for logs, time the request, and count it by route and status."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> HttpResponse | Awaitable[HttpResponse]:
        if self.is_async:
            return self.__acall__(request)
        token, started = self._start(request)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        return self._finish(request, response, started)

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        token, started = self._start(request)
        try:
            response = await self.get_response(request)  # type: ignore[misc]
        finally:
            request_id.reset(token)
        return self._finish(request, response, started)

    def _start(self, request: HttpRequest) -> tuple[Token[str], float]:
        start_in_process_runner()
        ident = incoming_id(request)
        request.request_id = ident  # type: ignore[attr-defined]
        return request_id.set(ident), time.perf_counter()

    def _finish(self, request: HttpRequest, response: HttpResponse, started: float
                ) -> HttpResponse:
        response["X-Request-ID"] = request.request_id  # type: ignore[attr-defined]
        route = route_of(request)
        if route not in _UNCOUNTED:
            elapsed = time.perf_counter() - started
            metrics.HTTP_REQUESTS.labels(method=request.method, route=route,
                                         status=response.status_code).inc()
            metrics.HTTP_LATENCY.labels(route=route).observe(elapsed)
        return response
