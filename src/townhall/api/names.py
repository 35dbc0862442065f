"""Real names: the owner confirms a doubted name; moderators read and act on name histories."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from townhall.accounts import naming
from townhall.accounts.models import Account, NameHistory
from townhall.api.accounts import ERRORS, account_out
from townhall.api.auth import AccountToken, require_account
from townhall.api.schemas import AccountOut, Input, PendingNameOut
from townhall.core.errors import PermissionDenied
from townhall.moderation import access

router = Router(tags=["names"])


class ActorOut(Schema):
    id: int
    display_name: str


class NameEventOut(Schema):
    first_name: str
    last_name: str
    display_name: str
    event: str = Field(description="signup | change | sso | moderator | requested | withdrawn "
                                   "| declined | flagged | confirmed | cleared")
    actor: ActorOut | None
    note: str
    created_at: dt.datetime


class AccountNamesOut(Schema):
    id: int
    display_name: str
    first_name: str
    last_name: str
    email: str
    name_status: str
    pending_name: PendingNameOut | None
    history: list[NameEventOut]


class PendingChangeOut(Schema):
    account_id: int
    current_name: str
    requested_name: str
    first_name: str
    last_name: str
    requested_at: dt.datetime


class NoteIn(Input):
    note: str = Field(default="", max_length=300)


class ModeratorNameIn(Input):
    first_name: str = Field(max_length=200)
    last_name: str = Field(max_length=200)
    note: str = Field(default="", max_length=300)


def _event_out(row: NameHistory) -> dict[str, Any]:
    return {
        "first_name": row.first_name, "last_name": row.last_name,
        "display_name": f"{row.first_name} {row.last_name}".strip(), "event": row.event,
        "actor": None if row.actor is None else {"id": row.actor.pk,
                                                 "display_name": row.actor.display_name},
        "note": row.note, "created_at": row.created_at,
    }


def _names_out(account: Account) -> dict[str, Any]:
    return {
        "id": account.pk, "display_name": account.display_name,
        "first_name": account.first_name, "last_name": account.last_name,
        "email": account.email, "name_status": account.name_status,
        "pending_name": naming.pending_name_of(account),
        "history": [_event_out(r) for r in naming.name_history_of(account)],
    }


@router.post("/me/name/confirm", response={200: AccountOut, **ERRORS}, auth=AccountToken())
def name_confirm(request: HttpRequest) -> dict[str, Any]:
    """Confirm that your name is your real name when a moderator asked; held comments are
    looked at again."""
    return account_out(naming.name_confirm(account=require_account(request)))


@router.delete("/me/pending-name", response={204: None, **ERRORS}, auth=AccountToken())
def pending_name_withdraw(request: HttpRequest) -> tuple[int, None]:
    """Withdraw your name change that waits for a moderator."""
    naming.name_change_withdraw(account=require_account(request))
    return 204, None


@router.get("/moderation/accounts/{account_id}/names",
            response={200: AccountNamesOut, **ERRORS}, auth=AccountToken())
def account_names(request: HttpRequest, account_id: int) -> dict[str, Any]:
    """Every name an account has had, and when and why (moderators of its sites)."""
    return _names_out(access.account_on_moderated_sites(account_id, require_account(request)))


@router.post("/moderation/accounts/{account_id}/name-flag",
             response={200: AccountNamesOut, **ERRORS}, auth=AccountToken())
def name_flag(request: HttpRequest, account_id: int, payload: NoteIn) -> dict[str, Any]:
    """Doubt an account's name: it must confirm or change it before its next comment appears."""
    moderator = require_account(request)
    account = access.account_on_moderated_sites(account_id, moderator)
    return _names_out(naming.name_flag(account=account, actor=moderator, note=payload.note))


@router.delete("/moderation/accounts/{account_id}/name-flag",
               response={200: AccountNamesOut, **ERRORS}, auth=AccountToken())
def name_flag_clear(request: HttpRequest, account_id: int) -> dict[str, Any]:
    """Withdraw the doubt; comments held for the name are looked at again."""
    moderator = require_account(request)
    account = access.account_on_moderated_sites(account_id, moderator)
    return _names_out(naming.name_flag_clear(moderator=moderator, account=account))


@router.post("/moderation/accounts/{account_id}/pending-name/approve",
             response={200: AccountNamesOut, **ERRORS}, auth=AccountToken())
def pending_name_approve(request: HttpRequest, account_id: int) -> dict[str, Any]:
    """Approve an account's requested name: it takes effect now."""
    moderator = require_account(request)
    account = access.account_on_moderated_sites(account_id, moderator)
    return _names_out(naming.name_change_approve(moderator=moderator, account=account))


@router.post("/moderation/accounts/{account_id}/pending-name/decline",
             response={200: AccountNamesOut, **ERRORS}, auth=AccountToken())
def pending_name_decline(request: HttpRequest, account_id: int, payload: NoteIn
                         ) -> dict[str, Any]:
    """Decline an account's requested name: it keeps its name."""
    moderator = require_account(request)
    account = access.account_on_moderated_sites(account_id, moderator)
    return _names_out(naming.name_change_decline(moderator=moderator, account=account,
                                                 note=payload.note))


@router.put("/moderation/accounts/{account_id}/name",
            response={200: AccountNamesOut, **ERRORS}, auth=AccountToken())
def name_set(request: HttpRequest, account_id: int, payload: ModeratorNameIn) -> dict[str, Any]:
    """Set an account's name for it (checked by the policy); any doubt is cleared."""
    moderator = require_account(request)
    account = access.account_on_moderated_sites(account_id, moderator)
    return _names_out(naming.name_set_by_moderator(
        moderator=moderator, account=account, first_name=payload.first_name,
        last_name=payload.last_name, note=payload.note))


@router.get("/moderation/name-changes", response={200: list[PendingChangeOut], **ERRORS},
            auth=AccountToken())
def pending_name_changes(request: HttpRequest) -> list[dict[str, Any]]:
    """Name changes waiting for approval on your sites, oldest first."""
    moderator = require_account(request)
    if not moderator.is_staff:
        raise PermissionDenied(_("Only moderators can see name changes."))
    return [
        {"account_id": p.account_id, "current_name": p.account.display_name,
         "requested_name": p.display_name, "first_name": p.first_name,
         "last_name": p.last_name, "requested_at": p.requested_at}
        for p in access.pending_name_changes(moderator)
    ]
