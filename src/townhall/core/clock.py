"""One place to ask the time, so tests can move it.

Every timestamp Townhall writes or compares comes from `now()`, model field defaults
included, so moving `_offset` (the tests' `travel` fixture does) moves the whole product's
clock while it keeps ticking.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

_offset = dt.timedelta(0)


def now() -> dt.datetime:
    """Return the current aware datetime."""
    return timezone.now() + _offset
