"""The one exception hierarchy that maps onto the API's one JSON error shape.

Every error answers `{"errors": [{"field": ..., "code": ..., "message": ...}]}`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass
class ErrorItem:
    code: str
    message: str
    field: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "code": self.code, "message": str(self.message)}


@dataclass
class TownhallError(Exception):
    """Base error: a status code and one or more error items."""

    items: list[ErrorItem] = field(default_factory=list)
    status: int = 400
    headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return "; ".join(f"{i.field or '-'}:{i.code}:{i.message}" for i in self.items)


def _one(cls: type[TownhallError], code: str, message: Any, field: str | None) -> TownhallError:
    return cls(items=[ErrorItem(code=code, message=str(message), field=field)])


class NotAuthenticated(TownhallError):
    def __init__(self, message: Any = None, code: str = "not_authenticated",
                 field: str | None = None) -> None:
        super().__init__(
            [ErrorItem(code, str(message or _("Sign in to do this.")), field)], status=401
        )


class PermissionDenied(TownhallError):
    def __init__(self, message: Any = None, code: str = "forbidden", field: str | None = None):
        super().__init__(
            [ErrorItem(code, str(message or _("You are not allowed to do this.")), field)],
            status=403,
        )


class NotFound(TownhallError):
    def __init__(self, message: Any = None, code: str = "not_found", field: str | None = None):
        super().__init__(
            [ErrorItem(code, str(message or _("Not found.")), field)], status=404
        )


class Conflict(TownhallError):
    def __init__(self, code: str, message: Any, field: str | None = None) -> None:
        super().__init__([ErrorItem(code, str(message), field)], status=409)


class Invalid(TownhallError):
    def __init__(self, field: str | None, code: str, message: Any) -> None:
        super().__init__([ErrorItem(code, str(message), field)], status=422)

    @classmethod
    def many(cls, items: list[ErrorItem]) -> Invalid:
        error = cls(None, "invalid", "")
        error.items = items
        return error


class RateLimited(TownhallError):
    def __init__(self, retry_after: int, field: str | None = None) -> None:
        super().__init__(
            [
                ErrorItem(
                    "rate_limited",
                    str(_("Too many requests. Try again in %(seconds)d seconds.")
                        % {"seconds": retry_after}),
                    field,
                )
            ],
            status=429,
            headers={"Retry-After": str(retry_after)},
        )
