"""Map every exception to the one JSON error shape `{"errors": [...]}`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from townhall.core.errors import TownhallError

_PYDANTIC_CODES = {"missing": "required", "extra_forbidden": "unknown_field"}


def error_response(api: NinjaAPI, request: HttpRequest, status: int,
                   errors: list[dict[str, Any]], headers: dict[str, str] | None = None
                   ) -> HttpResponse:
    response = api.create_response(request, {"errors": errors}, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _field(loc: tuple[Any, ...] | list[Any]) -> str | None:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "form"}:
        parts = parts[1:]
        # Body parameters are wrapped in the handler's argument name (always `payload`).
        if parts and parts[0] == "payload":
            parts = parts[1:]
    return ".".join(parts) or None


def install(api: NinjaAPI) -> None:
    """Register the error handlers on the API."""

    @api.exception_handler(TownhallError)
    def townhall_error(request: HttpRequest, exc: TownhallError) -> HttpResponse:
        return error_response(api, request, exc.status, [i.as_dict() for i in exc.items],
                              exc.headers)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = []
        for item in exc.errors:
            kind = str(item.get("type", "invalid"))
            errors.append({
                "field": _field(item.get("loc", ())),
                "code": _PYDANTIC_CODES.get(kind, kind),
                "message": str(item.get("msg", "Invalid value.")),
            })
        return error_response(api, request, 422, errors)

    @api.exception_handler(AuthenticationError)
    def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(api, request, 401, [
            {"field": None, "code": "not_authenticated", "message": "Sign in to do this."}
        ])

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error_response(api, request, exc.status_code, [
            {"field": None, "code": "http_error", "message": str(exc)}
        ])
