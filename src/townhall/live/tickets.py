"""Tickets to a reader's own event stream.

EventSource sends no Authorization header, and the widget's session token must not travel in
a URL (it would land in access logs and work everywhere). A ticket names the session it was
made from and opens only `GET /api/v1/me/events`; it works exactly as long as that session
does, so signing out (or a password change, which ends every session) closes it too.
"""

from __future__ import annotations

from django.core import signing

from townhall.accounts.models import Account, SessionToken
from townhall.core import clock, tokens

SALT = "townhall.live.reader-events"


def ticket_for(bearer: str) -> str | None:
    """Return a ticket for the session of this bearer token (None if it is not one)."""
    row = SessionToken.objects.filter(digest=tokens.digest(bearer)).only("pk", "account_id")
    found = row.first()
    if found is None:
        return None
    return signing.dumps({"s": found.pk, "a": found.account_id}, salt=SALT, compress=True)


def account_for_ticket(ticket: str) -> Account | None:
    """Return the active account whose live session made this ticket, or None."""
    try:
        data = signing.loads(ticket, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), int) for k in "sa"):
        return None
    row = (SessionToken.objects.select_related("account")
           .filter(pk=data["s"], account_id=data["a"], expires_at__gt=clock.now()).first())
    if row is None:
        return None
    account = row.account
    if not account.is_active or row.generation != account.token_generation:
        return None
    return account
