"""`townhall createstaff EMAIL --role moderator|admin [--site NAME] [--password P]
[--first-name F --last-name L]`."""

from __future__ import annotations

import secrets
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from townhall.accounts.models import Account
from townhall.accounts.services import staff_create
from townhall.core.errors import TownhallError
from townhall.stories.selectors import site_get


class Command(BaseCommand):
    help = ("Create a staff account (or give an existing account a staff role). Without "
            "--first-name/--last-name it asks on a terminal; elsewhere the account is created "
            "name-pending and the dashboard asks its owner for their name at first sign-in.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email")
        parser.add_argument("--role", choices=["moderator", "admin"], required=True)
        parser.add_argument("--site", action="append", default=[],
                            help="site a moderator works on (repeatable)")
        parser.add_argument("--password", default=None,
                            help="a password (default: generate one and print it)")
        parser.add_argument("--first-name", default=None, help="the person's real first name")
        parser.add_argument("--last-name", default=None, help="the person's real last name")

    def handle(self, *args: Any, **options: Any) -> None:
        first, last = options["first_name"], options["last_name"]
        if first is None and last is None and sys.stdin.isatty():
            first = input("First name (Enter to let the person give it at first sign-in): ")
            last = input("Last name: ") if first.strip() else ""
        self._create(options, first or "", last or "")

    @transaction.atomic
    def _create(self, options: dict[str, Any], first_name: str, last_name: str) -> None:
        password = options["password"] or secrets.token_urlsafe(12)
        try:
            sites = [site_get(name) for name in options["site"]]
            account, created = staff_create(
                email=options["email"], role=options["role"], password=password,
                first_name=first_name, last_name=last_name, sites=sites,
            )
        except (TownhallError, Account.DoesNotExist) as error:
            raise CommandError(str(error)) from None
        verb = "Created" if created else "Updated"
        self.stdout.write(f"{verb} {account.role} {account.email}"
                          + (f" for {', '.join(s.name for s in sites)}" if sites else ""))
        if created and not account.display_name:
            self.stdout.write("No name yet: the dashboard asks for it at first sign-in.")
        if created and not options["password"]:
            self.stdout.write(f"Password (shown once): {password}")
