"""The functional suites: committed as generated, large enough, and reported per functionality."""

from __future__ import annotations

import collections
import csv
from pathlib import Path

from townhall.moderation.toxicity.scorers import LocalScorer

from townhall_lab import functional
from townhall_lab.evaluate import FUNCTIONAL_TARGET, format_table, functional_figures


def test_the_generator_rewrites_the_committed_suites_unchanged(tmp_path: Path) -> None:
    written = tmp_path / "functional.csv"
    assert functional.main([str(written)]) == 0
    assert written.read_bytes() == functional.DEFAULT_PATH.read_bytes()


def test_each_functionality_has_twenty_cases_in_each_language_and_scunthorpe_three_hundred() -> (
    None
):
    rows = functional.read_rows()
    counts = collections.Counter((row["functionality"], row["lang"]) for row in rows)
    names = {name for name, _lang in counts}
    assert len(names) >= 25
    for name in names:
        assert counts[name, "en"] >= 20 and counts[name, "fr"] >= 20, name
    assert counts["scunthorpe", "en"] >= 300 and counts["scunthorpe", "fr"] >= 300
    innocent = {row["text"] for row in rows if row["functionality"] == "scunthorpe"}
    for word in ("député", "conseil", "shift", "crews", "Scunthorpe"):
        assert any(word in text for text in innocent), word
    assert {row["expected"] for row in rows} == {"hold", "publish"}
    assert len({row["text"] for row in rows}) == len(rows), "every case is distinct"


def test_the_evaluation_reports_each_functionality_from_what_the_product_holds(
    tmp_path: Path,
) -> None:
    suite = tmp_path / "suite.csv"
    with suite.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=functional.COLUMNS)
        writer.writeheader()
        writer.writerows([
            {"functionality": "insult_individual", "lang": "en", "expected": "hold",
             "text": "You are a worthless idiot and a moron."},
            {"functionality": "insult_individual", "lang": "fr", "expected": "hold",
             "text": "Ferme-la, espèce de connard."},
            {"functionality": "scunthorpe", "lang": "en", "expected": "publish",
             "text": "The Scunthorpe council met on Tuesday."},
            {"functionality": "scunthorpe", "lang": "fr", "expected": "hold",
             "text": "Le conseil municipal a voté le budget."},
        ])
    figures = functional_figures(LocalScorer.from_directory(), suite)
    assert figures["functional"] == {
        "insult_individual/en": 1.0, "insult_individual/fr": 1.0,
        "scunthorpe/en": 1.0, "scunthorpe/fr": 0.0,
    }
    # A publish case held counts against the Scunthorpe figure; a hold case published does not.
    assert figures["scunthorpe_held_en"] == 0 and figures["scunthorpe_held_fr"] == 1
    assert figures["functional_at_target_fr"] == 1 and FUNCTIONAL_TARGET == 0.9
    table = format_table({"model_version": "test", **figures})
    assert "| insult_individual | 100% | 100% |" in table
    assert "| scunthorpe | 100% | 0% |" in table
