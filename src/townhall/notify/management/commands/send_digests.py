"""`townhall send-digests`: email today's digests now (the worker also does it every day)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from townhall.notify import emails, tasks


class Command(BaseCommand):
    help = "Email the daily notification digest to every reader who chose it and has news."

    def handle(self, *args: Any, **options: Any) -> None:
        readers = emails.send_digests()
        sent = 0
        # Run the queued digests here rather than waiting for a worker.
        while batch := tasks.run_due():
            sent += batch
        self.stdout.write(f"digests queued for {readers} reader(s); ran {sent} task(s)")
