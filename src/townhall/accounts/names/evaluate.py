"""Measure the policy on a labelled set of real names and pseudonyms.

The set (``data/eval_names.csv``: ``name_first,name_last,expected,category``)
holds real names from many cultures, in native scripts and transliterations,
and pseudonyms of every kind the policy refuses. ``expected`` is ``accept`` or
``reject``; ``category`` is ``real/<culture>`` or ``pseudonym/<kind>``.

Run ``python -m townhall.accounts.names.evaluate [PATH]`` to print the table.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from importlib.resources import files
from pathlib import Path
from typing import TypedDict

from townhall.accounts.names.policy import NameRejected, check_name, suspicion_score

# The evaluation plays a site with these names, so publisher rows can be
# refused without a per-row context column.
EVAL_PUBLISHER_NAMES = ("CBC News", "Radio-Canada", "La Presse", "Townhall")

TARGET_REAL_ACCEPTED = 0.99
TARGET_PSEUDONYMS_REJECTED = 0.95
# The default TOWNHALL_NAME_SUSPICION_THRESHOLD: accepted names scoring this
# much are held for a moderator rather than published straight away.
FLAG_THRESHOLD = 0.8


class Miss(TypedDict):
    """A row the policy got wrong."""

    first_name: str
    last_name: str
    category: str
    outcome: str  # the rule code that refused it, or the display form accepted


class CategoryScore(TypedDict):
    """Rows and correct answers in one category."""

    total: int
    correct: int


class EvaluationReport(TypedDict):
    """Shares of real names accepted and pseudonyms refused, with the misses."""

    real_total: int
    real_accepted: int
    real_accepted_share: float
    pseudonym_total: int
    pseudonym_rejected: int
    pseudonym_rejected_share: float
    false_rejections: list[Miss]
    false_acceptances: list[Miss]
    by_category: dict[str, CategoryScore]
    rejection_codes: dict[str, int]
    real_flagged: list[Miss]  # accepted real names a moderator would be asked about
    pseudonyms_flagged: int  # accepted pseudonyms that still reach a moderator


def _default_path() -> Path:
    return Path(str(files("townhall.accounts.names") / "data" / "eval_names.csv"))


def evaluate(path: str | Path | None = None) -> EvaluationReport:
    """Run every row of the evaluation set through ``check_name`` and score it."""
    csv_path = Path(path) if path is not None else _default_path()
    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    report = EvaluationReport(
        real_total=0,
        real_accepted=0,
        real_accepted_share=0.0,
        pseudonym_total=0,
        pseudonym_rejected=0,
        pseudonym_rejected_share=0.0,
        false_rejections=[],
        false_acceptances=[],
        by_category={},
        rejection_codes={},
        real_flagged=[],
        pseudonyms_flagged=0,
    )
    codes: Counter[str] = Counter()
    for row in rows:
        first, last, category = row["name_first"], row["name_last"], row["category"]
        expect_accept = row["expected"].strip() == "accept"
        try:
            outcome = check_name(first, last, publisher_names=EVAL_PUBLISHER_NAMES).display_name
            accepted = True
        except NameRejected as rejection:
            outcome = f"{rejection.field}:{rejection.code}"
            accepted = False
            if not expect_accept:
                codes[rejection.code] += 1
        score = report["by_category"].setdefault(category, CategoryScore(total=0, correct=0))
        score["total"] += 1
        score["correct"] += accepted == expect_accept
        miss = Miss(first_name=first, last_name=last, category=category, outcome=outcome)
        flagged = accepted and suspicion_score(first, last) >= FLAG_THRESHOLD
        if expect_accept:
            report["real_total"] += 1
            report["real_accepted"] += accepted
            if not accepted:
                report["false_rejections"].append(miss)
            elif flagged:
                report["real_flagged"].append(miss)
        else:
            report["pseudonym_total"] += 1
            report["pseudonym_rejected"] += not accepted
            if accepted:
                report["false_acceptances"].append(miss)
                report["pseudonyms_flagged"] += flagged
    report["real_accepted_share"] = report["real_accepted"] / max(report["real_total"], 1)
    report["pseudonym_rejected_share"] = report["pseudonym_rejected"] / max(
        report["pseudonym_total"], 1
    )
    report["rejection_codes"] = dict(codes.most_common())
    return report


def _row(label: str, count: int, total: int) -> str:
    return f"{label:<28}{count:>5} / {total:<4}"


def format_report(report: EvaluationReport) -> str:
    """Render the report as a plain-text table with the misses listed."""
    real_ok = report["real_accepted_share"] >= TARGET_REAL_ACCEPTED
    pseudo_ok = report["pseudonym_rejected_share"] >= TARGET_PSEUDONYMS_REJECTED
    flagged = (
        f"   (suspicion >= {FLAG_THRESHOLD}; real names flagged: {len(report['real_flagged'])})"
    )
    lines = [
        f"{'measure':<28}{'count':>12}{'share':>9}{'target':>9}  ok",
        _row("real names accepted", report["real_accepted"], report["real_total"])
        + f"{report['real_accepted_share']:>9.1%}{TARGET_REAL_ACCEPTED:>9.0%}  "
        + ("yes" if real_ok else "NO"),
        _row("pseudonyms rejected", report["pseudonym_rejected"], report["pseudonym_total"])
        + f"{report['pseudonym_rejected_share']:>9.1%}{TARGET_PSEUDONYMS_REJECTED:>9.0%}  "
        + ("yes" if pseudo_ok else "NO"),
        _row(
            "accepted pseudonyms flagged",
            report["pseudonyms_flagged"],
            len(report["false_acceptances"]),
        )
        + flagged,
        "",
        "by category (correct / total):",
    ]
    for category, score in sorted(report["by_category"].items()):
        flag = "" if score["correct"] == score["total"] else "  <-"
        lines.append(f"  {category:<34}{score['correct']:>4} / {score['total']:<4}{flag}")
    lines.append("")
    lines.append(
        "pseudonyms by rule: " + ", ".join(f"{c} {n}" for c, n in report["rejection_codes"].items())
    )
    for title, misses in (
        ("real names rejected", report["false_rejections"]),
        ("pseudonyms accepted", report["false_acceptances"]),
        ("real names accepted but flagged for a moderator", report["real_flagged"]),
    ):
        lines.append("")
        lines.append(f"{title} ({len(misses)}):")
        lines.extend(
            f"  {m['first_name']} | {m['last_name']}  [{m['category']}] -> {m['outcome']}"
            for m in misses
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the evaluation table; exit non-zero when a target is missed."""
    args = sys.argv[1:] if argv is None else argv
    report = evaluate(args[0] if args else None)
    print(format_report(report))
    met = (
        report["real_accepted_share"] >= TARGET_REAL_ACCEPTED
        and report["pseudonym_rejected_share"] >= TARGET_PSEUDONYMS_REJECTED
    )
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
