"""`townhall activate-model VERSION|builtin`: switch the toxicity model comments are scored with.

Without a version, list the staged models and say which one is active. Running servers pick
the switch up within seconds; the previous model stays on disk to switch back to.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from townhall.moderation.toxicity import registry
from townhall.moderation.toxicity.model import ArtifactError


class Command(BaseCommand):
    help = "Switch on a toxicity model staged by train-model --with-decisions (or 'builtin')."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("version", nargs="?", default=None,
                            help="a staged model version, or 'builtin' for the committed model")

    def handle(self, *args: Any, **options: Any) -> None:
        version = options["version"]
        active = registry.active_version()
        if version is None:
            self.stdout.write(f"Active: {active}")
            for staged in registry.staged_versions():
                self.stdout.write(f"  {staged}{'  (active)' if staged == active else ''}")
            return
        try:
            loaded = registry.activate(version)
        except (ValueError, ArtifactError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Active toxicity model: {loaded} (was {active}).")
