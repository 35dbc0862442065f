"""`townhall export-statements --since DATE [--site NAME]`: statements of reasons as JSON in
the EU DSA Transparency Database's submission format."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from townhall.stories.models import Site
from townhall.transparency.dsa_export import statements_export


class Command(BaseCommand):
    help = ("Write the statements of reasons of every restriction since DATE (YYYY-MM-DD, UTC) "
            "as the DSA Transparency Database's batch body {\"statements\": [...]}, with no "
            "personal data, to standard output or --output FILE.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--since", required=True, help="YYYY-MM-DD")
        parser.add_argument("--site", default="", help="one site's name (default: all)")
        parser.add_argument("--output", type=Path, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = dt.date.fromisoformat(options["since"])
        except ValueError:
            raise CommandError("--since takes a date as YYYY-MM-DD.") from None
        site = None
        if options["site"]:
            site = Site.objects.filter(name=options["site"]).first()
            if site is None:
                raise CommandError(f"Unknown site: {options['site']}")
        since = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
        body = statements_export(since=timezone.localtime(since), site=site)
        text = json.dumps(body, ensure_ascii=False, indent=2) + "\n"
        if options["output"] is not None:
            options["output"].write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {len(body['statements'])} statements to "
                              f"{options['output']}")
        else:
            self.stdout.write(text, ending="")
