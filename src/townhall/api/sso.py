"""Publisher sign-in: exchange a token signed by the publisher for a Townhall session."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from townhall.accounts.sso import SsoSignIn, sso_link_signed_in, sso_sign_in
from townhall.api.accounts import ERRORS, account_out
from townhall.api.auth import AccountToken, require_account
from townhall.api.schemas import AccountOut, Input
from townhall.core.ratelimit import client_address
from townhall.stories.selectors import site_get

router = Router(tags=["sso"])


class SsoIn(Input):
    token: str = Field(max_length=8192, description="A JWT signed by the publisher (docs/sso.md)")


class SsoOut(Schema):
    token: str = Field(description="A Townhall session token: `Authorization: Bearer <token>`")
    account: AccountOut
    created: bool


def _signed_in(result: SsoSignIn) -> dict[str, Any]:
    return {"token": result.session_token, "account": account_out(result.account),
            "created": result.created}


@router.post("/sso/{site}", response={200: SsoOut, **ERRORS})
def sso_exchange(request: HttpRequest, site: str, payload: SsoIn) -> dict[str, Any]:
    """Sign a publisher's reader in with the publisher's token (401 naming `token` and why
    when it is expired, dated in the future, wrongly signed or unsigned; 422 naming
    `given_name` or `family_name` when the name breaks the real-name policy)."""
    found = site_get(site)
    return _signed_in(sso_sign_in(site=found, token=payload.token,
                                  address=client_address(request)))


@router.post("/sso/{site}/link", response={200: SsoOut, **ERRORS}, auth=AccountToken())
def sso_link(request: HttpRequest, site: str, payload: SsoIn) -> dict[str, Any]:
    """Connect your signed-in account to the reader the publisher's token names, so that the
    publisher's sign-in reaches it from now on (docs/sso.md). 409 `sso_account_linked` when
    that reader or this account is already linked on this site; 403 `totp_required` for an
    account with a second factor, which the publisher's sign-in can never open."""
    return _signed_in(sso_link_signed_in(site=site_get(site), token=payload.token,
                                         account=require_account(request)))
