"""`townhall import FORMAT FILE [--site NAME]`: import comments and accounts from a file.

`townhall` restores a `townhall export` into an empty installation; other formats (each a
module in townhall/porting/) import another system's export into one site.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from townhall.core.errors import TownhallError
from townhall.porting import FORMATS, UnknownFormat, importer
from townhall.stories.selectors import site_get


class Command(BaseCommand):
    help = "Import FILE written in FORMAT (townhall: a backup made by `townhall export`)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("format", help="one of: " + ", ".join(sorted(FORMATS)))
        parser.add_argument("file", type=Path)
        parser.add_argument("--site", default=None, help="the site to import into")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            module = importer(options["format"])
        except UnknownFormat:
            raise CommandError(f"unknown format {options['format']!r}; choose one of: "
                               + ", ".join(sorted(FORMATS))) from None
        if not options["file"].is_file():
            raise CommandError(f"{options['file']}: no such file")
        site = None
        if options["site"]:
            try:
                site = site_get(options["site"])
            except TownhallError:
                raise CommandError(f"unknown site {options['site']!r}") from None
        elif module.NEEDS_SITE:
            raise CommandError(f"the {options['format']} format needs --site NAME")
        try:
            counts = module.import_file(options["file"], site=site, stdout=self.stdout)
        except (ValueError, TownhallError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Imported {sum(counts.values())} rows from {options['file']}")
