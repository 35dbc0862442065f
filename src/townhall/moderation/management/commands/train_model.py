"""`townhall train-model [--with-decisions [--site NAME]]`: retrain the toxicity model.

Plain, it rewrites the committed artifact from the public data (``make model``). With
``--with-decisions`` it first replays the decisions in time order (trained on the earlier,
tested on the later: see ``townhall_lab.replay``), then adds them all, writes the new model to
``$TOWNHALL_DATA_DIR/models/<version>/``, prints its figures beside the active model's, and
leaves the active model in place: an admin switches with ``townhall activate-model``.
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from townhall.moderation.lab import lab_module
from townhall.moderation.learning import moderator_examples
from townhall.moderation.toxicity import registry
from townhall.moderation.toxicity.scorers import ARTIFACT_DIR
from townhall.stories.models import Site


class Command(BaseCommand):
    help = "Train the toxicity model; --with-decisions stages a model that learns from moderators."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--data", type=Path, default=None, help="training data directory")
        parser.add_argument("--out", type=Path, default=None,
                            help="artifact directory to write (without --with-decisions)")
        parser.add_argument("--with-decisions", action="store_true",
                            help="add moderators' decisions and stage the model, inactive")
        parser.add_argument("--site", default=None,
                            help="only this site's decisions (default: every site)")

    def handle(self, *args: Any, **options: Any) -> None:
        train = lab_module("train")  # the lab lives outside the runtime (model/)
        if not options["with_decisions"]:
            if options["site"]:
                raise CommandError("--site needs --with-decisions")
            argv = []
            for name in ("data", "out"):
                if options[name] is not None:
                    argv += [f"--{name}", str(options[name])]
            with contextlib.redirect_stdout(self.stdout):  # type: ignore[type-var]
                status = train.main(argv)
            if status != 0:
                raise CommandError("training failed")
            return
        if options["out"] is not None:
            raise CommandError("--with-decisions stages the model in the data directory; "
                               "drop --out")
        self._train_with_decisions(train, options["data"], options["site"])

    def _train_with_decisions(self, train: Any, data: Path | None,
                              site_name: str | None) -> None:
        evaluate = lab_module("evaluate")
        site = None
        if site_name:
            site = Site.objects.filter(name=site_name).first()
            if site is None:
                raise CommandError(f"no site named {site_name!r}")
        examples = moderator_examples(site=site)
        if not examples:
            raise CommandError("no moderator decisions to learn from yet")
        held = sum(1 for _, label, _ in examples if label == 0)
        self.stdout.write(f"Learning from {len(examples)} decisions: {len(examples) - held} "
                          f"rejections, {held} approvals of comments the model held.")
        models = registry.models_dir()
        if models is None:
            raise CommandError("no data directory: set TOWNHALL_DATA_DIR")
        models.mkdir(parents=True, exist_ok=True)
        active = registry.active_artifact_dir(ARTIFACT_DIR)
        replay = lab_module("replay")
        if len(examples) >= replay.MIN_DECISIONS:
            # How much the site gains: learn from the earlier decisions, test on the later.
            try:
                figures = replay.replay(examples, data, active=active,
                                        log=lambda message: self.stderr.write(message))
            except (FileNotFoundError, ValueError) as error:
                raise CommandError(str(error)) from None
            self.stdout.write(replay.format_replay(figures) + "\n")
        else:
            self.stdout.write(f"Too few decisions for a replay split by time "
                              f"({len(examples)}, fewer than {replay.MIN_DECISIONS}).")
        with tempfile.TemporaryDirectory(dir=models, prefix=".staging-") as staging:
            try:
                result = train.train(data, Path(staging) / "model", extra_examples=examples,
                                     log=lambda message: self.stderr.write(message))
            except (FileNotFoundError, ValueError) as error:
                raise CommandError(str(error)) from None
            version = result.metadata["model_version"]
            staged = registry.stage(result.directory, version)
        self.stdout.write(f"Staged {version} in {staged} (not active).")
        figures = evaluate.evaluate(staged, data, timings=False)
        baseline = evaluate.evaluate(active, data, timings=False)
        self.stdout.write(f"Compared with the active model {baseline['model_version']}:")
        self.stdout.write(evaluate.format_table(figures, baseline))
        self.stdout.write(f"\nSwitch it on with: townhall activate-model {version}")
