"""`townhall sso-config SITE …`: set how a publisher's sign-in tokens are checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from townhall.accounts.models import SsoConfig
from townhall.accounts.sso import generate_secret, sso_configure
from townhall.core.errors import TownhallError
from townhall.stories.models import Site


class Command(BaseCommand):
    help = (
        "Configure publisher sign-in (SSO) for a site: a shared secret (HS256) and/or a public "
        "key (RS256, ES256), and optionally the issuer and audience its tokens must name. "
        "Without options, show the current configuration."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("site", help="the site's name (slug)")
        secret = parser.add_mutually_exclusive_group()
        secret.add_argument("--hs256-secret", metavar="SECRET",
                            help="shared secret for HS256 tokens (at least 32 characters; "
                                 "'' removes it)")
        secret.add_argument("--generate-hs256-secret", action="store_true",
                            help="make a random HS256 secret and print it once")
        parser.add_argument("--public-key", metavar="FILE",
                            help="PEM public key for RS256 (RSA) or ES256 (EC P-256) tokens")
        parser.add_argument("--issuer", help="the `iss` every token must carry ('' for none)")
        parser.add_argument("--audience", help="the `aud` every token must carry ('' for none)")
        parser.add_argument("--disable", action="store_true", help="stop accepting tokens")

    def handle(self, *args: Any, **options: Any) -> None:
        site = Site.objects.filter(name=options["site"]).first()
        if site is None:
            raise CommandError(f"Unknown site: {options['site']}")
        secret = options["hs256_secret"]
        if options["generate_hs256_secret"]:
            secret = generate_secret()
        pem = None
        if options["public_key"]:
            try:
                pem = Path(options["public_key"]).read_text()
            except OSError as error:
                raise CommandError(f"Cannot read {options['public_key']}: {error}") from None
        changing = any(v is not None for v in (secret, pem, options["issuer"],
                                               options["audience"])) or options["disable"]
        if not changing:
            self._show(site)
            return
        try:
            config = sso_configure(site=site, hs256_secret=secret, public_key_pem=pem,
                                   issuer=options["issuer"], audience=options["audience"],
                                   active=not options["disable"])
        except TownhallError as error:
            raise CommandError(str(error.items[0].message)) from None
        state = "disabled" if not config.is_active else "enabled"
        algorithms = ", ".join(config.algorithms)
        self.stdout.write(f"SSO for {site.name}: {state}, algorithms {algorithms}")
        if options["generate_hs256_secret"]:
            self.stdout.write(f"HS256 secret (store it on the publisher's server; shown once):\n"
                              f"{secret}")
        self.stdout.write(f"Token exchange: POST /api/v1/sso/{site.name}  {{\"token\": \"…\"}}")

    def _show(self, site: Site) -> None:
        config = SsoConfig.objects.filter(site=site).first()
        if config is None:
            self.stdout.write(f"SSO for {site.name}: not configured")
            return
        state = "enabled" if config.is_active else "disabled"
        self.stdout.write(f"SSO for {site.name}: {state}")
        self.stdout.write(f"  algorithms: {', '.join(config.algorithms)}")
        self.stdout.write(f"  shared secret: {'set' if config.hs256_secret else 'none'}")
        self.stdout.write(f"  public key: {'set' if config.public_key_pem else 'none'}")
        self.stdout.write(f"  issuer: {config.issuer or '(any)'}")
        self.stdout.write(f"  audience: {config.audience or '(any)'}")
