"""Django's ASGI handler with one trip to a sync thread per request, not one per step.

Django's own ASGI handler runs the middleware chain in async mode. Townhall's views and most
middleware are synchronous, so each of them, the `request_started`/`request_finished`
signal receivers and the view itself cross from the event loop to a thread and back: about
a dozen handoffs per request, which profiles showed costing more CPU than the post itself.
`OneHopHandler` loads the middleware in sync mode and makes one crossing that builds the
request, runs the whole chain and, for a response whose body is already in memory, closes it
(the `request_finished` receivers); only a streaming response is closed in a second crossing,
after it is sent. The event loop still reads the body and writes the response.

Event streams (async views that stay open for minutes) keep Django's own handler; see
`townhall.config.asgi.build_application`.
"""

from __future__ import annotations

from contextlib import closing
from typing import Any

from asgiref.sync import sync_to_async
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers import base
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.http import HttpResponseBase
from django.urls import set_script_prefix


class OneHopHandler(ASGIHandler):
    """ASGI handler whose middleware and views run in one sync call on a worker thread."""

    def __init__(self) -> None:
        base.BaseHandler.__init__(self)
        self.load_middleware(is_async=False)

    async def handle(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        with closing(body_file):
            response = await sync_to_async(self._respond, thread_sensitive=True)(
                scope, body_file)
            await self.send_response(response, send)
            if response.streaming:
                await sync_to_async(response.close, thread_sensitive=True)()

    def _respond(self, scope: dict[str, Any], body_file: Any) -> HttpResponseBase:
        response = self._response(scope, body_file)
        if not response.streaming:
            response.close()  # its bytes are in memory: finish the request on this thread
        return response

    def _response(self, scope: dict[str, Any], body_file: Any) -> HttpResponseBase:
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, error_response = self.create_request(scope, body_file)
        if request is None:
            assert error_response is not None
            return error_response
        response = self.get_response(request)
        response._handler_class = self.__class__  # type: ignore[attr-defined]
        return response
