"""The model lab lives outside the runtime; the commands that need it say how to get it."""

from __future__ import annotations

import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from townhall.moderation import lab


def test_the_model_commands_explain_a_missing_lab(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: object) -> None:
    # As in a production install: no model/ folder and no townhall_lab on the path.
    monkeypatch.setattr(lab, "CHECKOUT_LAB", tmp_path / "absent")  # type: ignore[operator]
    for name in [m for m in sys.modules if m == "townhall_lab" or m.startswith("townhall_lab.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "townhall_lab", None)
    for command in ("evaluate-model", "train-model"):
        with pytest.raises(CommandError, match=r"model lab is not available.*make model"):
            call_command(command.replace("-", "_"))


def test_the_lab_is_found_in_a_checkout() -> None:
    assert lab.CHECKOUT_LAB.is_dir()
    assert lab.lab_module("evaluate").__name__ == "townhall_lab.evaluate"


def test_the_latency_budget_is_checked_over_the_newsroom_mix_and_over_jigsaw() -> None:
    evaluate = lab.lab_module("evaluate")
    mix = lab.lab_module("newsset").newsroom_mix()
    assert 0.05 < sum(row["label"] == "1" for row in mix) / len(mix) < 0.15
    table = evaluate.format_table({
        "model_version": "th-tox-test", "mix_latency_mean_ms": 0.9, "mix_latency_p99_ms": 61.0,
        "latency_mean_ms": 3.4, "latency_p99_ms": 42.0,
    })
    rows = {line.split("|")[1].strip(): line for line in table.splitlines() if "|" in line}
    assert "met" in rows["Latency over the newsroom mix, one comment, mean (ms)"]
    assert "MISSED" in rows["p99 (ms)"]
    assert "MISSED" in rows["Latency on en/jigsaw_test, one comment, mean (ms)"]
