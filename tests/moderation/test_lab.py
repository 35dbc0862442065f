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
