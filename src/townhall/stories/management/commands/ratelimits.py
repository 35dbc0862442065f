"""`townhall ratelimits SITE [--set ACTION.SCOPE=LIMIT/SECONDS …] [--unset ACTION.SCOPE]`.

Show a site's effective rate limits, or override some of them for that site.
`--set post.account=off` turns a limit off for the site.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from townhall.core import ratelimit
from townhall.core.errors import TownhallError
from townhall.stories.models import Site

_SETTING = re.compile(
    r"^(?P<action>[a-z_]+)\.(?P<scope>[a-z_]+)=(?:(?P<limit>\d+)/(?P<window>\d+)|off)$"
)


class Command(BaseCommand):
    help = "Show or change a site's rate limits (429 + Retry-After past them)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("site")
        parser.add_argument("--set", action="append", default=[], metavar="ACTION.SCOPE=N/SECONDS")
        parser.add_argument("--unset", action="append", default=[], metavar="ACTION.SCOPE")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        site = Site.objects.select_for_update().filter(name=options["site"]).first()
        if site is None:
            raise CommandError(f"unknown site {options['site']!r}")
        overrides: dict[str, Any] = {k: dict(v) for k, v in (site.rate_limits or {}).items()}
        for item in options["set"]:
            match = _SETTING.match(item.strip())
            if match is None:
                raise CommandError(
                    f"{item!r}: write ACTION.SCOPE=LIMIT/SECONDS or ACTION.SCOPE=off")
            value = None if match["limit"] is None else [int(match["limit"]), int(match["window"])]
            overrides.setdefault(match["action"], {})[match["scope"]] = value
        for item in options["unset"]:
            action, _dot, scope = item.partition(".")
            overrides.get(action, {}).pop(scope, None)
        try:
            site.rate_limits = ratelimit.validate_rules(
                {a: s for a, s in overrides.items() if s})
        except TownhallError as error:
            raise CommandError(str(error)) from None
        if options["set"] or options["unset"]:
            site.save(update_fields=["rate_limits"])
        for action in ratelimit.DEFAULT_RULES:
            for scope, rule in ratelimit.rules_for(action, site).items():
                shown = "off" if rule is None else f"{rule[0]} per {rule[1]} s"
                mark = " (site)" if scope in site.rate_limits.get(action, {}) else ""
                self.stdout.write(f"{action}.{scope}: {shown}{mark}")
