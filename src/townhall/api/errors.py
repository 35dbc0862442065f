"""Map every exception to the one JSON error shape `{"errors": [...]}`."""

from __future__ import annotations

import json
from typing import Any

from django.db import DataError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from townhall.core.errors import ErrorItem, TownhallError

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
    where = parts[0] if parts else ""
    if parts and parts[0] in {"body", "query", "path", "header", "form"}:
        parts = parts[1:]
        # Body parameters are wrapped in the handler's argument name (always `payload`).
        if parts and parts[0] == "payload":
            parts = parts[1:]
    # A missing or malformed body as a whole is named `body`.
    return ".".join(parts) or (where if where == "body" else None)


_LIMIT = 2**63


def _oversized(value: Any, path: str) -> str | None:
    """Return the dotted name of the first integer that no database column can hold."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and abs(value) >= _LIMIT:
        return path or None
    if isinstance(value, str) and value.lstrip("-").isdigit() and abs(int(value)) >= _LIMIT:
        return path or None
    if isinstance(value, dict):
        for key, item in value.items():
            if found := _oversized(item, f"{path}.{key}" if path else str(key)):
                return found
    if isinstance(value, list):
        for item in value:
            if found := _oversized(item, path):
                return found
    return None


def _out_of_range(api: NinjaAPI, request: HttpRequest) -> HttpResponse:
    """Answer 422 naming the parameter whose value the database cannot store."""
    match = getattr(request, "resolver_match", None)
    candidates: list[tuple[str, Any]] = list((match.kwargs if match else {}).items())
    candidates += [(key, request.GET.getlist(key)) for key in request.GET]
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        body = None
    candidates.append(("", body))
    field = next((f for name, value in candidates if (f := _oversized(value, name))), None)
    return error_response(api, request, 422, [
        {"field": field or "body", "code": "out_of_range",
         "message": _("This value is too large or not storable.")}
    ])


class UnreadableBody(TownhallError):
    """A request body that is not UTF-8 or not JSON: answered 400 naming `body`."""


class JsonBodyParser(Parser):
    """Parse JSON bodies, telling a body that is not UTF-8 from one that is not JSON."""

    def parse_body(self, request: HttpRequest) -> Any:
        try:
            text = request.body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UnreadableBody([ErrorItem("invalid_encoding", _(
                "The request body is not valid UTF-8."), "body")], status=400) from exc
        try:
            return json.loads(text)
        except ValueError as exc:
            raise UnreadableBody([ErrorItem("invalid_json", _(
                "The request body is not valid JSON."), "body")], status=400) from exc


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

    @api.exception_handler(OverflowError)
    def number_out_of_range(request: HttpRequest, exc: OverflowError) -> HttpResponse:
        return _out_of_range(api, request)

    @api.exception_handler(DataError)
    def data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
        # The database refused a value (a number past 64 bits, a NUL byte in text…).
        return _out_of_range(api, request)

    @api.exception_handler(AuthenticationError)
    def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(api, request, 401, [
            {"field": None, "code": "not_authenticated", "message": _("Sign in to do this.")}
        ])

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, TownhallError):  # the body parser's own refusal
            return townhall_error(request, exc.__cause__)
        return error_response(api, request, exc.status_code, [
            {"field": None, "code": "http_error", "message": str(exc)}
        ])
