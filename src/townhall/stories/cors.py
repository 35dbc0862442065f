"""Cross-origin API calls: answered only for origins a site has registered."""

from __future__ import annotations

import re

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, HttpResponse

from townhall.core.middleware import DualMiddleware
from townhall.stories.selectors import allowed_origins, site_origins

CORS_ALLOW_HEADERS = "Authorization, Content-Type, Idempotency-Key, Last-Event-ID, If-None-Match"
CORS_ALLOW_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
CORS_EXPOSE_HEADERS = "ETag, Retry-After, Location"
# An API path that names a site answers cross-origin calls from that site's origins only.
_SITE_PATH = re.compile(r"^/api/v1/(?:sites|sso)/(?P<site>[-a-zA-Z0-9_]+)(?:/|$)")
# The moderation API is used by the dashboard on Townhall's own origin, never cross-origin.
_NO_CORS_PATHS = ("/api/v1/moderation/",)


class CorsMiddleware(DualMiddleware):
    """Allow cross-origin API calls only from origins a site has registered.

    Where the path names a site (`/api/v1/sites/<name>/…`), only that site's origins are
    allowed; elsewhere (accounts, sessions, comments by id) any registered site's origins.
    """

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        # Judging an origin may read the database, which the event loop must not do.
        early = self.before(request)
        response = early if early is not None else await self.get_response(request)  # type: ignore[misc]
        if "HTTP_ORIGIN" in request.META and request.path.startswith("/api/"):
            # The shared pool, not this request's thread: a live stream would hold that
            # thread and its database connection for as long as the reader stays.
            return await sync_to_async(self.after, thread_sensitive=False)(request, response)
        return self.after(request, response)

    def before(self, request: HttpRequest) -> HttpResponse | None:
        if (
            request.method == "OPTIONS"
            and request.path.startswith("/api/")
            and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META
        ):
            return HttpResponse(status=204)
        return None

    def after(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if not request.path.startswith("/api/"):
            return response
        origin = request.headers.get("Origin")
        response["Vary"] = ", ".join(filter(None, [response.get("Vary"), "Origin"]))
        if not origin or not origin_allowed(origin, request.path):
            return response
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Expose-Headers"] = CORS_EXPOSE_HEADERS
        if request.method == "OPTIONS":
            response["Access-Control-Allow-Methods"] = CORS_ALLOW_METHODS
            response["Access-Control-Allow-Headers"] = CORS_ALLOW_HEADERS
            response["Access-Control-Max-Age"] = "600"
        return response


def origin_allowed(origin: str, path: str) -> bool:
    """Say whether a cross-origin call from `origin` to the API `path` may be answered."""
    if origin == settings.PUBLIC_URL:
        return True
    if path.startswith(_NO_CORS_PATHS):
        return False
    if match := _SITE_PATH.match(path):
        return origin in site_origins(match.group("site"))
    return origin in allowed_origins()
