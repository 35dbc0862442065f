"""Web-level protections: security headers on every response and CORS for each site's origins."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from townhall.core import http_errors

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# JSON and other non-page answers: nothing may run or load if a browser renders one anyway.
DATA_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"
HSTS = "max-age=31536000; includeSubDomains"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class DualMiddleware:
    """Base for middleware that works both in sync and async stacks."""

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
        early = self.before(request)
        if early is not None:
            return self.after(request, early)
        return self.after(request, self.get_response(request))

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        early = self.before(request)
        if early is not None:
            return self.after(request, early)
        response = await self.get_response(request)  # type: ignore[misc]
        return self.after(request, response)

    def before(self, request: HttpRequest) -> HttpResponse | None:
        return None

    def after(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        return response


class SecurityHeadersMiddleware(DualMiddleware):
    """Give every response the browser protections that fit it.

    Pages get a strict Content-Security-Policy (no inline script, no framing by other sites);
    data answers get a policy under which nothing runs. Everything gets nosniff, a referrer
    policy and a permissions policy; HTTPS answers get HSTS.
    """

    def after(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        content_type = response.get("Content-Type", "")
        if "Content-Security-Policy" not in response:
            if content_type.startswith("text/html"):
                response["Content-Security-Policy"] = PAGE_CSP
            elif not content_type.startswith(("text/javascript", "application/javascript",
                                              "text/css", "text/event-stream", "image/")):
                response["Content-Security-Policy"] = DATA_CSP
        response.setdefault("X-Content-Type-Options", "nosniff")
        response.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.is_secure():
            response.setdefault("Strict-Transport-Security", HSTS)
        return response


class ApiErrorShapeMiddleware(DualMiddleware):
    """Answer every API refusal in the one JSON shape, and refuse an oversized body early.

    A body over `DATA_UPLOAD_MAX_MEMORY_SIZE` (by its Content-Length) is answered 413 before
    anything reads it; multipart uploads are left to Django's parser, which counts only their
    non-file fields. Any other non-JSON refusal under `/api/` (django-ninja's plain-text 405,
    an error page) is replaced by the JSON shape with the same status.
    """

    def before(self, request: HttpRequest) -> HttpResponse | None:
        if http_errors.is_api(request) and http_errors.declared_too_large(request):
            return http_errors.too_large(request)
        return None

    def after(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if (response.status_code >= 400 and http_errors.is_api(request)
                and not response.get("Content-Type", "").startswith("application/json")):
            return http_errors.reshaped(response)
        return response


class RefuseNulMiddleware(DualMiddleware):
    """Refuse a NUL character in the path, the query string or a submitted form.

    No person types one, PostgreSQL cannot store one in text, and SQLite would keep it:
    refusing it at the door keeps both backends alike. JSON bodies are checked by the API's
    input schemas, which name the field.
    """

    def before(self, request: HttpRequest) -> HttpResponse | None:
        field = _nul_field(request)
        if field is None:
            return None
        if http_errors.is_api(request):
            return http_errors.json_error(
                422, field=field, code="nul_character",
                message=str(_("Text may not contain NUL characters.")))
        return http_errors.bad_request(request)


def _nul_field(request: HttpRequest) -> str | None:
    if "\x00" in request.path:
        return "path"
    sources = [request.GET]
    if request.method == "POST" and request.content_type in _FORM_TYPES:
        sources.append(request.POST)
    for source in sources:
        for key, values in source.lists():
            if "\x00" in key or any("\x00" in v for v in values if isinstance(v, str)):
                return str(key).replace("\x00", "")
    return None


_FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
