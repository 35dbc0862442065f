"""Security test helpers: the figures file that docs/security.md quotes."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest


def figures_path() -> Path:
    """Return `$TOWNHALL_DATA_DIR/security-figures.json` (var/ by default)."""
    return Path(os.environ.get("TOWNHALL_DATA_DIR", "var")).resolve() / "security-figures.json"


def record_figures(section: str, values: dict[str, Any]) -> None:
    """Merge measured figures into the figures file, one section per backend and test."""
    from django.db import connection

    path = figures_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        data = {}
    data.setdefault(connection.vendor, {})[section] = values
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    print(f"[security figures] {connection.vendor} {section}: {json.dumps(values)}")


@pytest.fixture
def no_ratelimit(settings: Any) -> None:
    settings.TOWNHALL_RATELIMIT = False
