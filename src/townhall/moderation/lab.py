"""Find the model lab (`model/townhall_lab`, outside the runtime package) for the commands."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

from django.core.management.base import CommandError

# src/townhall/moderation/lab.py -> the checkout's root.
CHECKOUT_LAB = Path(__file__).resolve().parents[3] / "model"


def lab_module(name: str) -> ModuleType:
    """Import `townhall_lab.<name>`, from the path or from the source checkout's `model/`."""
    if CHECKOUT_LAB.is_dir() and str(CHECKOUT_LAB) not in sys.path:
        sys.path.append(str(CHECKOUT_LAB))
    try:
        return importlib.import_module(f"townhall_lab.{name}")
    except ImportError as error:
        raise CommandError(
            f"The model lab is not available ({error}). It lives in the source checkout's "
            "model/ folder and needs the dev extra (scikit-learn): from a checkout run "
            "`make model` or `make evaluate-model`.") from None
