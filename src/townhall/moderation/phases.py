"""The configured list of moderation phases (see pipeline.py for how they run)."""

from __future__ import annotations

from collections.abc import Sequence

from townhall.moderation.pipeline import Phase, PreModeration


def configured_phases() -> Sequence[Phase]:
    """Return the phases in order."""
    return [PreModeration()]
