"""Move Townhall's clock in a test: to a fixed moment that keeps ticking from there."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from townhall.core import clock

Travel = Callable[[dt.datetime], dt.datetime]


@pytest.fixture
def travel(monkeypatch: Any) -> Travel:
    """Return a function that sets the product's clock to `moment` (aware) and returns it."""

    def to(moment: dt.datetime) -> dt.datetime:
        assert moment.tzinfo is not None, "travel to an aware moment"
        monkeypatch.setattr(clock, "_offset", moment - timezone.now())
        return moment

    return to
