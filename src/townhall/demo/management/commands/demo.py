"""`townhall demo`: migrate, load the sample newsroom, print the URLs and serve."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from townhall.core.management.commands.serve import serve
from townhall.demo import newsroom


class Command(BaseCommand):
    help = "Set up and serve the sample newsroom on http://127.0.0.1:8000"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true",
                            help="set everything up, print the URLs and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        base = f"http://{options['host']}:{options['port']}"
        loaded = newsroom.load(origin=base)
        write = self.stdout.write
        write("")
        write(self.style.SUCCESS("Townhall demo is ready."))
        write(f"  Sample newsroom   {base}/demo/")
        for story in loaded["stories"]:
            url = f"{base}/demo/stories/{story.external_id}/"
            write(f"    {story.language} {story.community:<8} {url}")
        write(f"  Moderation        {base}/moderation/")
        write(f"  API docs          {base}/api/docs")
        write(f"  Moderator sign-in {newsroom.MODERATOR_EMAIL} / {newsroom.MODERATOR_PASSWORD}")
        write("  Emails (verification, reset) are written to the outbox folder: "
              f"{self._outbox()}")
        write("")
        if not options["no_serve"]:
            serve(host=options["host"], port=options["port"])

    def _outbox(self) -> str:
        from django.conf import settings

        mailer = settings.MAILERS.get("outgoing", settings.MAILERS["default"])
        options = mailer["OPTIONS"]
        return str(options.get("file_path", "(not written to disk: EMAIL_URL is set)"))
