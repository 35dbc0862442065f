"""`townhall export-transparency --year Y [--site NAME]`: the year's figures as CSV in the
shape of the DSA's harmonised transparency-report templates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from townhall.stories.models import Site
from townhall.transparency.yearly import year_csv


class Command(BaseCommand):
    help = ("Write one year's transparency figures (notices, own-initiative moderation, "
            "complaints, misuse, automated means, trusted flaggers) per site as CSV, to "
            "standard output or --output FILE.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--site", default="", help="one site's name (default: all)")
        parser.add_argument("--output", type=Path, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        if not 2000 <= year <= 2999:
            raise CommandError("--year takes a year such as 2026.")
        sites = list(Site.objects.order_by("name"))
        if options["site"]:
            sites = [s for s in sites if s.name == options["site"]]
            if not sites:
                raise CommandError(f"Unknown site: {options['site']}")
        text = year_csv(year, sites=sites)
        if options["output"] is not None:
            options["output"].write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
