"""Accounts and sessions: sign-up, verification, sign-in and out, reset, profile."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import login, logout
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from townhall.accounts import consent, services
from townhall.accounts.models import Account
from townhall.accounts.naming import pending_name_of, publisher_names_for_origin
from townhall.api.auth import AccountToken, principal, require_account
from townhall.api.schemas import (
    AccountOut,
    DeletionOut,
    EmailIn,
    ErrorsOut,
    NameChangeIn,
    NameChangeOut,
    PasswordChangeIn,
    ResetConfirmIn,
    SessionOut,
    SignInIn,
    SignUpIn,
    SignUpOut,
    TokenIn,
)
from townhall.core.errors import Invalid
from townhall.core.ratelimit import client_address
from townhall.stories.selectors import policy_current, site_get

router = Router(tags=["accounts"])
ERRORS: dict[int, Any] = {401: ErrorsOut, 403: ErrorsOut, 404: ErrorsOut, 409: ErrorsOut,
                          422: ErrorsOut, 429: ErrorsOut}


def account_out(account: Account) -> dict[str, Any]:
    return {
        "id": account.pk, "display_name": account.display_name,
        "first_name": account.first_name, "last_name": account.last_name,
        "email": account.email, "email_verified": account.email_verified,
        "role": account.role, "language": account.language,
        "name_status": account.name_status, "pending_name": pending_name_of(account),
        "totp_enabled": account.totp_enabled,
        "deletion_due_at": services.deletion_due_at(account),
        "terms_accepted": [
            {"site": a.site.name, "language": a.language, "version": a.version,
             "accepted_at": a.accepted_at} for a in consent.acceptances_of(account)],
    }


@router.post("/accounts", response={201: SignUpOut, **ERRORS})
def sign_up(request: HttpRequest, payload: SignUpIn) -> tuple[int, dict[str, Any]]:
    """Create an account; a verification link is emailed.

    The answer is the same whether or not the address already has an account (its owner is
    emailed instead), so sign-up cannot be used to learn who has one.
    """
    terms = None
    if payload.terms is not None:
        terms = policy_current(site_get(payload.terms.site), payload.terms.language)
        if terms.version != payload.terms.version:
            raise Invalid("accept_terms", "terms_changed",
                          _("The terms changed while you read them. Read them again, then "
                            "accept them."))
    account = services.account_sign_up(
        email=payload.email, password=payload.password, first_name=payload.first_name,
        last_name=payload.last_name, language=payload.language,
        address=client_address(request),
        publisher_names=publisher_names_for_origin(request.headers.get("Origin", "")),
        return_to=payload.return_to, terms=terms, accept_terms=payload.accept_terms,
    )
    return 201, {"id": account.pk, "display_name": account.display_name,
                 "email_verified": account.email_verified}


@router.post("/accounts/verify", response={200: AccountOut, **ERRORS})
def verify(request: HttpRequest, payload: TokenIn) -> dict[str, Any]:
    """Verify an email address with the token from the emailed link."""
    return account_out(services.account_verify_email(token=payload.token))


@router.post("/accounts/verify/resend", response={202: None, **ERRORS}, auth=AccountToken())
def verify_resend(request: HttpRequest) -> tuple[int, None]:
    """Email a fresh verification link."""
    services.verification_resend(account=require_account(request))
    return 202, None


@router.post("/accounts/password-reset", response={202: None, **ERRORS})
def reset_request(request: HttpRequest, payload: EmailIn) -> tuple[int, None]:
    """Email a reset link (the answer is the same whether or not the address has an account)."""
    services.password_reset_request(email=payload.email, address=client_address(request))
    return 202, None


@router.post("/accounts/password-reset/confirm", response={200: AccountOut, **ERRORS})
def reset_confirm(request: HttpRequest, payload: ResetConfirmIn) -> dict[str, Any]:
    """Set a new password with the token from the reset link; all sessions are signed out."""
    return account_out(services.password_reset_confirm(token=payload.token,
                                                       password=payload.password))


@router.post("/sessions", response={200: SessionOut, **ERRORS})
def sign_in(request: HttpRequest, payload: SignInIn) -> dict[str, Any]:
    """Sign in; send the returned token as `Authorization: Bearer <token>`."""
    address = client_address(request)
    account = services.authenticate(email=payload.email, password=payload.password,
                                    address=address, totp_code=payload.totp,
                                    device=payload.device)
    token = services.session_create(account=account, address=address)
    if same_origin(request):
        # Townhall's own pages: the account pages are signed in too, and one sign-out ends
        # both.
        login(request, account, backend=services.PAGE_BACKEND)
        services.page_session_pair(request.session, token)
    return {"token": token, "account": account_out(account),
            "device": services.device_token(account.email)}


@router.delete("/sessions/current", response={204: None, **ERRORS}, auth=AccountToken())
def sign_out(request: HttpRequest) -> tuple[int, None]:
    """Sign out: the token stops working (and, from Townhall's own origin, the account
    pages' session with it)."""
    services.session_revoke(token=principal(request).token)
    if same_origin(request):
        logout(request)
    return 204, None


class PageSessionOut(Schema):
    token: str | None
    account: AccountOut | None
    device: str | None


@router.post("/sessions/page", response={200: PageSessionOut, **ERRORS})
def from_page(request: HttpRequest) -> dict[str, Any]:
    """From Townhall's own origin only: a token for the account the pages' session is
    signed in as, so the widget there needs no second sign-in. Without such a session the
    answer is `{"token": null}` (the widget asks on every page it opens signed out)."""
    user = getattr(request, "user", None)
    if not same_origin(request) or user is None or not user.is_authenticated:
        return {"token": None, "account": None, "device": None}
    account: Account = user
    token = services.session_create(account=account, address=client_address(request))
    services.page_session_pair(request.session, token)
    return {"token": token, "account": account_out(account),
            "device": services.device_token(account.email)}


def same_origin(request: HttpRequest) -> bool:
    """Whether the browser says the request comes from Townhall's own pages (a widget on a
    publisher's page is cross-origin and keeps its bearer token to itself)."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.headers.get("Origin", "")
    return bool(origin) and origin == f"{request.scheme}://{request.get_host()}"


@router.get("/me", response={200: AccountOut, **ERRORS}, auth=AccountToken())
def me(request: HttpRequest) -> dict[str, Any]:
    """Return the signed-in account."""
    return account_out(require_account(request))


@router.patch("/me", response={200: NameChangeOut, 202: NameChangeOut, **ERRORS},
              auth=AccountToken())
def rename(request: HttpRequest, payload: NameChangeIn) -> tuple[int, dict[str, Any]]:
    """Change your real name: 200 when done, 202 with `pending_approval` when a moderator
    must approve it first (you keep your name meanwhile). Names are checked by the policy
    (422 naming the field and rule) and change at most once in 30 days (429)."""
    outcome = services.account_rename(
        account=require_account(request), first_name=payload.first_name,
        last_name=payload.last_name,
        publisher_names=publisher_names_for_origin(request.headers.get("Origin", "")),
    )
    return (202 if outcome.pending else 200), {**account_out(outcome.account),
                                               "pending_approval": outcome.pending}


@router.put("/me/password", response={204: None, **ERRORS}, auth=AccountToken())
def change_password(request: HttpRequest, payload: PasswordChangeIn) -> tuple[int, None]:
    """Change the password; every session, this one included, is signed out."""
    services.password_change(account=require_account(request),
                             current_password=payload.current_password,
                             new_password=payload.new_password)
    return 204, None


@router.delete("/me", response={202: DeletionOut, **ERRORS}, auth=AccountToken())
def delete_me(request: HttpRequest) -> tuple[int, dict[str, Any]]:
    """Delete the account after a grace period (sign in again to cancel); signs out everywhere.

    Then personal data is erased and comments are removed or anonymised, as each site chose.
    """
    due = services.account_deletion_request(account=require_account(request))
    return 202, {"deletion_due_at": due}
