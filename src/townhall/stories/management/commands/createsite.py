"""`townhall createsite NAME --origin URL [--language en|fr]`: register a publisher."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from townhall.core.errors import TownhallError
from townhall.stories.services import site_create


class Command(BaseCommand):
    help = "Create a site and print its API key once (only a hash is stored)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("name", help="short name used in URLs and the embed tag, e.g. cbc")
        parser.add_argument("--origin", action="append", default=[], required=True,
                            help="an origin allowed to embed the widget (repeatable)")
        parser.add_argument("--language", choices=["en", "fr"], default="en")
        parser.add_argument("--title", default="", help="the publisher's name as readers see it")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            site, key = site_create(name=options["name"], origins=options["origin"],
                                    language=options["language"], title=options["title"])
        except TownhallError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Created site {site.name} ({', '.join(site.origins)})")
        self.stdout.write(f"API key (shown once, keep it secret): {key}")
        self.stdout.write(f"Embed secret (for data-signature, keep it on your server): "
                          f"{site.embed_secret}")
