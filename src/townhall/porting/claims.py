"""Claiming an imported author's account: sign up with the same email, then verify it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction

from townhall.accounts.models import Account, EmailToken
from townhall.accounts.services import send_token_email
from townhall.porting.models import Claim, ImportedItem


def is_unclaimed(account: Account) -> bool:
    """Return whether the account is an imported author nobody has verified yet."""
    return (account.email_verified_at is None and not account.has_usable_password()
            and ImportedItem.objects.filter(kind=ImportedItem.Kind.ACCOUNT,
                                            local_id=account.pk).exists())


@transaction.atomic
def claim_offer(*, email: str, first_name: str, last_name: str, password: str,
                language: str) -> bool:
    """Keep a sign-up for an imported author's address and email the verification link.

    Return False when the address belongs to an ordinary account (the caller then answers
    as for any taken address). Names and password are checked by the caller.
    """
    account = Account.objects.filter(email=email, is_active=True).first()
    if account is None or not is_unclaimed(account):
        return False
    Claim.objects.update_or_create(account=account, defaults={
        "first_name": first_name, "last_name": last_name,
        "password": make_password(password),
        "language": language if language in ("en", "fr") else "en",
    })
    send_token_email(account, EmailToken.Purpose.VERIFY)
    return True


@transaction.atomic
def claim_complete(account: Account) -> bool:
    """Apply the pending claim of a just-verified account: its name, password and language."""
    claim = Claim.objects.filter(account=account).first()
    if claim is None:
        return False
    account.first_name, account.last_name = claim.first_name, claim.last_name
    account.password, account.language = claim.password, claim.language
    account.save(update_fields=["first_name", "last_name", "password", "language"])
    claim.delete()
    return True


def on_signup_email_taken(sender: Any, *, email: str, first_name: str, last_name: str,
                          password: str, language: str, **kwargs: Any) -> bool:
    return claim_offer(email=email, first_name=first_name, last_name=last_name,
                       password=password, language=language)


def on_email_verified(sender: Any, *, account: Account, **kwargs: Any) -> None:
    claim_complete(account)  # an imported author taking their comments back
