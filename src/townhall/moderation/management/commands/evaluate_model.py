"""`townhall evaluate-model [--artifact DIR] [--baseline DIR] [--quick]`: print the table.

Measures the active model (the one ``activate-model`` switched on, else the committed
artifact) unless ``--artifact`` names another; see ``docs/model-card.md``.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from townhall.moderation.lab import lab_module
from townhall.moderation.toxicity import registry
from townhall.moderation.toxicity.scorers import ARTIFACT_DIR


class Command(BaseCommand):
    help = "Measure the toxicity model against its targets and print the table."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--data", type=Path, default=None, help="data directory (en/, fr/)")
        parser.add_argument("--artifact", type=Path, default=None,
                            help="artifact to measure (default: the active model)")
        parser.add_argument("--baseline", type=Path, default=None,
                            help="artifact to compare against")
        parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
        parser.add_argument("--quick", action="store_true", help="skip latency and throughput")

    def handle(self, *args: Any, **options: Any) -> None:
        evaluate = lab_module("evaluate")  # the lab lives outside the runtime (model/)
        artifact = options["artifact"] or registry.active_artifact_dir(ARTIFACT_DIR)
        argv = ["--artifact", str(artifact)]
        for name in ("data", "baseline", "json"):
            if options[name] is not None:
                argv += [f"--{name}", str(options[name])]
        if options["quick"]:
            argv.append("--quick")
        with contextlib.redirect_stdout(self.stdout):  # type: ignore[type-var]
            evaluate.main(argv)
