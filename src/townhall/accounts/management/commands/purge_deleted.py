"""`townhall purge-deleted`: carry out due account erasures and drop expired personal data.

Run it hourly (cron or a systemd timer); it is safe to run at any time and as often as wanted.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from townhall.accounts.services import accounts_purge


class Command(BaseCommand):
    help = ("Erase accounts whose deletion grace period is over, drop stored address digests "
            "past retention, and delete expired tokens.")

    def handle(self, *args: Any, **options: Any) -> None:
        done = accounts_purge()
        self.stdout.write(
            f"Erased {done['erased']} account(s); dropped {done['addresses_dropped']} address "
            f"digest(s); deleted {done['sessions_deleted']} expired session(s) and "
            f"{done['email_tokens_deleted']} expired email link(s).")
