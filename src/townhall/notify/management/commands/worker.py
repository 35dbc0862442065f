"""`townhall worker`: run background tasks and periodic jobs (digests, sweeps) until stopped."""

from __future__ import annotations

import logging
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand

from townhall.notify import tasks

log = logging.getLogger("townhall.worker")


class Command(BaseCommand):
    help = ("Run background tasks (emails, webhooks) and periodic jobs. Run several for "
            "throughput; each job runs once. Use with TOWNHALL_TASKS=worker on the web.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--poll", type=float, default=1.0,
                            help="seconds to wait when nothing is due (default 1)")
        parser.add_argument("--once", action="store_true",
                            help="run what is due now, then exit (cron, tests)")
        parser.add_argument("--no-schedule", action="store_true",
                            help="leave periodic jobs (digests) to other workers")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            started = [] if options["no_schedule"] else tasks.schedule_due()
            ran = 0
            while batch := tasks.run_due():
                ran += batch
            self.stdout.write(f"ran {ran} task(s); periodic: {', '.join(started) or 'none'}")
            return
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_args: stop.set())
        log.info("worker started (poll %.1fs)", options["poll"])
        tasks.work(stop=stop, poll=options["poll"], schedule=not options["no_schedule"])
        log.info("worker stopped")
