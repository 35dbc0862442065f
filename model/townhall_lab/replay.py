"""Replay a site's moderation decisions in time order: how much does learning from them help?

A site's moderators draw their own line. ``replay`` splits their decisions by time: the
model retrained with the earlier decisions (``train(..., extra_examples=earlier)``) and the
model in use are both scored on the later decisions, which neither saw. The figures are the
ROC-AUC of the score the product acts on, and the share of the later rejections held and of
the later approvals held at the hold line.

``townhall train-model --with-decisions`` prints this replay before it stages the model
trained on every decision. ``python -m townhall_lab.replay --csv FILE`` replays a CSV of
``text,label,lang`` rows taken as one site's decisions in file order; the model card's
figure comes from it.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from townhall.moderation.toxicity.scorers import ARTIFACT_DIR, DEFAULT_HOLD_THRESHOLD, LocalScorer

from townhall_lab.evaluate import roc_auc
from townhall_lab.train import Example, default_data_dir, train

__all__ = ["MIN_DECISIONS", "format_replay", "main", "replay"]

#: Fewer decisions than this make no replay worth reading.
MIN_DECISIONS = 40


def _figures(scorer: LocalScorer, later: Sequence[Example]) -> dict[str, float]:
    results = scorer.score_batch([text for text, _label, _lang in later],
                                 language_hints=[lang for _text, _label, lang in later])
    scores = np.array([result.score for result in results])
    labels = np.array([label for _text, label, _lang in later])
    held = scores >= DEFAULT_HOLD_THRESHOLD
    both = 0 < labels.sum() < labels.size
    return {
        "auc": roc_auc(labels.tolist(), scores) if both else float("nan"),
        "rejections_held": float(held[labels == 1].mean()) if (labels == 1).any() else 0.0,
        "approvals_held": float(held[labels == 0].mean()) if (labels == 0).any() else 0.0,
    }


def replay(
    examples: Sequence[Example],
    data_dir: Path | None = None,
    *,
    active: Path = ARTIFACT_DIR,
    train_share: float = 0.7,
    log: Callable[[str], Any] | None = None,
) -> dict[str, Any]:
    """Train on the earlier ``train_share`` of ``examples`` (in time order), test on the rest."""
    if len(examples) < MIN_DECISIONS:
        raise ValueError(f"a replay needs at least {MIN_DECISIONS} decisions, "
                         f"not {len(examples)}")
    cut = int(len(examples) * train_share)
    earlier, later = list(examples[:cut]), list(examples[cut:])
    before = _figures(LocalScorer.from_directory(active), later)
    with tempfile.TemporaryDirectory(prefix="townhall-replay-") as staging:
        result = train(data_dir, Path(staging) / "model", extra_examples=earlier,
                       log=log or (lambda message: None))
        after = _figures(LocalScorer.from_directory(result.directory), later)
    return {"earlier": len(earlier), "later": len(later),
            "later_rejections": sum(label for _t, label, _l in later),
            "before": before, "after": after}


def format_replay(figures: dict[str, Any]) -> str:
    """Render a replay as a small Markdown table."""
    lines = [
        f"Replay: trained on the earlier {figures['earlier']} decisions, tested on the later "
        f"{figures['later']} ({figures['later_rejections']} rejections).",
        "",
        "| on the later decisions | model in use | retrained with the earlier ones |",
        "|---|---|---|",
    ]
    before, after = figures["before"], figures["after"]
    lines.append(f"| ROC-AUC of the acted-on score | {before['auc']:.4f} | {after['auc']:.4f} |")
    lines.append(f"| rejections held | {before['rejections_held']:.1%} | "
                 f"{after['rejections_held']:.1%} |")
    lines.append(f"| approvals held | {before['approvals_held']:.1%} | "
                 f"{after['approvals_held']:.1%} |")
    return "\n".join(lines)


def read_decisions(path: Path, limit: int | None = None) -> list[Example]:
    """Read ``text,label,lang`` rows (a site's decisions, oldest first)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [(row["text"], int(row["label"]), row["lang"]) for row in csv.DictReader(handle)]
    return rows[:limit] if limit else rows


def main(argv: Sequence[str] | None = None) -> int:
    """Replay a CSV of decisions from the command line."""
    parser = argparse.ArgumentParser(prog="python -m townhall_lab.replay",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, required=True, help="text,label,lang, oldest first")
    parser.add_argument("--limit", type=int, default=None, help="only the first N rows")
    parser.add_argument("--data", type=Path, default=None, help="training data directory")
    args = parser.parse_args(argv)
    figures = replay(read_decisions(args.csv, args.limit), args.data or default_data_dir(),
                     log=lambda message: print(message, file=sys.stderr))
    print(format_replay(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
