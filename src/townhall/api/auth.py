"""Who is calling: a bearer token names an account (`ths_…`) or a site (`thk_…`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from townhall.accounts.models import Account
from townhall.accounts.services import account_for_token
from townhall.core import tokens
from townhall.core.errors import NotAuthenticated
from townhall.core.tokens import bearer_token
from townhall.stories.models import Site

_CACHE_ATTR = "_townhall_principal"


@dataclass(frozen=True)
class Principal:
    account: Account | None = None
    site: Site | None = None
    token: str = ""


def principal(request: HttpRequest) -> Principal:
    """Resolve the caller once per request (an unknown token is the same as none)."""
    cached = getattr(request, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    token = bearer_token(request)
    found = Principal()
    if token.startswith("ths_"):
        account = account_for_token(token)
        if account is not None:
            found = Principal(account=account, token=token)
    elif token.startswith("thk_"):
        site = Site.objects.filter(api_key_digest=tokens.digest(token)).first()
        if site is not None:
            found = Principal(site=site, token=token)
    setattr(request, _CACHE_ATTR, found)
    return found


def optional_account(request: HttpRequest) -> Account | None:
    return principal(request).account


def require_account(request: HttpRequest) -> Account:
    account = principal(request).account
    if account is None:
        raise NotAuthenticated()
    return account


class AccountToken(HttpBearer):
    """OpenAPI: a signed-in account's session token."""

    openapi_description = "Session token from POST /api/v1/sessions"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return principal(request).account


class SiteKeyOrStaff(HttpBearer):
    """OpenAPI: a site's API key, or a staff member's session token."""

    openapi_description = "A site API key (thk_…) or a staff session token (ths_…)"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = principal(request)
        return found if (found.site or found.account) else None
