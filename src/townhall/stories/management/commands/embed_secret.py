"""`townhall embed-secret SITE [--rotate]`: show (or replace) the secret that signs embed tags."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from townhall.stories.models import Site
from townhall.stories.services import site_embed_secret_rotate


class Command(BaseCommand):
    help = ("Print the site's embed secret, with which the publisher signs `data-signature` "
            "so that the widget may register new stories (docs/integrate.md).")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("site")
        parser.add_argument("--rotate", action="store_true",
                            help="replace the secret: signatures made with the old one stop "
                                 "registering stories")

    def handle(self, *args: Any, **options: Any) -> None:
        site = Site.objects.filter(name=options["site"]).first()
        if site is None:
            raise CommandError(f"no site {options['site']!r}")
        if options["rotate"]:
            site = site_embed_secret_rotate(site=site)
        self.stdout.write(site.embed_secret)
