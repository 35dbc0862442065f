"""Errors the framework answers before (or instead of) a view, in Townhall's own shapes.

Under `/api/` every refusal is the API's one JSON shape, `{"errors": [{field, code,
message}]}`, whoever raised it: Django (a bad Host header, an unknown path, a body over the
limit), django-ninja (a method the route does not have) or a view. Everywhere else a person
is reading: the dashboard and account pages answer a styled page in the reader's language.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import DisallowedHost, RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

API_PREFIX = "/api/"
_JSON = "application/json"


def _codes() -> dict[int, tuple[str, str]]:
    """Return the code and message for each status the framework may answer."""
    return {
        400: ("bad_request", _("The request could not be understood.")),
        401: ("not_authenticated", _("Sign in to do this.")),
        403: ("forbidden", _("You are not allowed to do this.")),
        404: ("not_found", _("Not found.")),
        405: ("method_not_allowed", _("This address does not accept this method.")),
        413: ("too_large", _("The request body is too large.")),
        500: ("server_error", _("Something went wrong on our side. Try again shortly.")),
    }


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def json_error(status: int, *, code: str | None = None, message: str | None = None,
               field: str | None = None, headers: dict[str, str] | None = None
               ) -> HttpResponse:
    """Answer the API's error shape with `status`, its default code and message unless given."""
    default_code, default_message = _codes().get(status, ("error", _("The request failed.")))
    body = {"errors": [{"field": field, "code": code or default_code,
                        "message": message or default_message}]}
    response = HttpResponse(json.dumps(body), status=status, content_type=_JSON)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def bad_host(request: HttpRequest) -> HttpResponse:
    return json_error(400, field="host", code="bad_host",
                      message=_("This server does not answer to that host name."))


def too_large(request: HttpRequest) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return json_error(413, field="body", code="too_large", message=_(
        "The request body is too large: send at most %(bytes)s bytes.") % {"bytes": limit})


def _page(request: HttpRequest, status: int, title: Any, message: Any) -> HttpResponse:
    """Render the error page in `?lang=` or the browser's language, without the database
    (a 500 may be the database's own failure)."""
    wanted = request.GET.get("lang", "")
    language = wanted if wanted in dict(settings.LANGUAGES) else (
        translation.get_language_from_request(request))
    with translation.override(language):
        html = loader.render_to_string("errors/page.html", {
            "status": status, "title": title, "message": message, "home": "/",
        })
    response = HttpResponse(html, status=status, content_type="text/html; charset=utf-8")
    response["Content-Language"] = language
    return response


def _answer(request: HttpRequest, status: int, exception: Exception | None,
            title: Any, message: Any) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return too_large(request) if is_api(request) else _page(
            request, 413, gettext_lazy("Too large"),
            gettext_lazy("What you sent is too large to accept."))
    if is_api(request):
        if status == 400 and isinstance(exception, DisallowedHost):
            return bad_host(request)
        return json_error(status)
    return _page(request, status, title, message)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, 400, exception, gettext_lazy("Bad request"),
                   gettext_lazy("The address or the form could not be understood."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, 403, exception, gettext_lazy("Not allowed"),
                   gettext_lazy("You cannot open this page with this account."))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, 404, None, gettext_lazy("Page not found"), gettext_lazy(
        "There is nothing at this address. It may have moved or been removed."))


def server_error(request: HttpRequest) -> HttpResponse:
    return _answer(request, 500, None, gettext_lazy("Something went wrong"),
                   gettext_lazy("Something went wrong on our side. Try again shortly."))


def declared_too_large(request: HttpRequest) -> bool:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None or request.content_type == "multipart/form-data":
        return False
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > limit


def reshaped(response: HttpResponse) -> HttpResponse:
    kept = {name: value for name, value in response.items()
            if name.lower() in {"allow", "retry-after", "www-authenticate"}}
    return json_error(response.status_code, headers=kept)


def openapi_error_responses() -> dict[int, str]:
    """Return the statuses every API operation may answer, with their descriptions."""
    return {
        400: "Bad request: a malformed or non-UTF-8 body (`body`), or an unknown host (`host`)",
        401: "Not signed in",
        403: "Not allowed",
        404: "Not found (or not visible to you)",
        405: "Method not allowed on this path",
        409: "Conflict with the current state (already done, taken, closed…)",
        413: "Request body over the size limit",
        422: "Invalid input: each error names its field",
        429: "Rate limited: see Retry-After",
    }
