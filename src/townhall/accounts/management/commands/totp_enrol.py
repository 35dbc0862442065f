"""`townhall totp-enrol EMAIL`: turn on two-factor sign-in for an account, from the server.

For staff who must use two-factor sign-in (TOWNHALL_STAFF_TOTP_REQUIRED) before they can
sign in to enrol themselves. Prints the secret and its otpauth:// URI once.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from townhall.accounts import totp
from townhall.accounts.models import Account
from townhall.accounts.services import totp_clear


class Command(BaseCommand):
    help = "Give an account a new TOTP secret and require it at sign-in."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email")
        parser.add_argument("--off", action="store_true", help="turn two-factor sign-in off")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        account = Account.objects.select_for_update().filter(
            email=options["email"].strip().lower(), is_active=True).first()
        if account is None:
            raise CommandError(f"no active account {options['email']!r}")
        if options["off"]:
            totp_clear(account)
            self.stdout.write(f"Two-factor sign-in is off for {account.email}")
            return
        # A new authenticator starts without the recovery codes of an earlier enrolment.
        totp_clear(account)
        account.totp_secret, account.totp_enabled = totp.new_secret(), True
        account.save(update_fields=["totp_secret", "totp_enabled"])
        uri = totp.provisioning_uri(account.totp_secret, account_name=account.email,
                                    issuer="Townhall")
        self.stdout.write(f"Two-factor sign-in is on for {account.email}.\n"
                          f"Secret (shown once): {account.totp_secret}\nURI: {uri}")
