"""The account's own data and safety: download my data, cancel deletion, two-factor sign-in."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from ninja import Router
from pydantic import Field

from townhall.accounts import services
from townhall.api.accounts import ERRORS, account_out
from townhall.api.auth import AccountToken, require_account
from townhall.api.schemas import AccountOut, PasswordIn, TotpCodeIn, TotpEnrolOut
from townhall.porting.account_export import account_export

router = Router(tags=["privacy"])


@router.get("/me/export", response={200: dict[str, Any], **ERRORS}, auth=AccountToken())
def export(request: HttpRequest) -> HttpResponse:
    """Download everything Townhall keeps about you, as one JSON file."""
    account = require_account(request)
    body = json.dumps(account_export(account), cls=DjangoJSONEncoder, ensure_ascii=False,
                      indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="townhall-account-{account.pk}.json"')
    response["Cache-Control"] = "no-store"
    return response


@router.delete("/me/deletion", response={200: AccountOut, **ERRORS}, auth=AccountToken())
def deletion_cancel(request: HttpRequest) -> dict[str, Any]:
    """Cancel a requested account deletion during its grace period."""
    return account_out(services.account_deletion_cancel(account=require_account(request)))


@router.post("/me/totp", response={201: TotpEnrolOut, **ERRORS}, auth=AccountToken())
def totp_enrol(request: HttpRequest, payload: PasswordIn) -> tuple[int, dict[str, Any]]:
    """Start two-factor sign-in (your password is asked first): add the secret (or its
    otpauth:// URI) to an authenticator, then confirm with a code."""
    secret, uri = services.totp_enrol(account=require_account(request),
                                      password=payload.password)
    return 201, {"secret": secret, "otpauth_uri": uri}


class TotpOnOut(AccountOut):
    recovery_codes: list[str] = Field(description="Ten one-time codes that stand in for the "
                                                  "authenticator at sign-in; shown this once")


@router.post("/me/totp/confirm", response={200: TotpOnOut, **ERRORS}, auth=AccountToken())
def totp_confirm(request: HttpRequest, payload: TotpCodeIn) -> dict[str, Any]:
    """Turn two-factor sign-in on with a code from the authenticator. The answer carries
    your recovery codes, and an email tells you two-factor sign-in is on."""
    account, codes = services.totp_confirm(account=require_account(request), code=payload.code)
    return {**account_out(account), "recovery_codes": codes}


@router.post("/me/totp/disable", response={200: AccountOut, **ERRORS}, auth=AccountToken())
def totp_disable(request: HttpRequest, payload: PasswordIn) -> dict[str, Any]:
    """Turn two-factor sign-in off (your password is asked again)."""
    return account_out(services.totp_disable(account=require_account(request),
                                             password=payload.password))
