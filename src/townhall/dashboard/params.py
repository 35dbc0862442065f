"""Values typed into the dashboard's and account pages' forms and queries."""

from __future__ import annotations

# The largest id a database row can have (a signed 64-bit column).
LARGEST_ID = 2**63 - 1


def row_id(raw: str) -> int | None:
    """Return the id of a row as typed, or None when no row can have it (not ASCII digits,
    past 64 bits): such an id is as unknown as any other, and must not reach the database."""
    if raw and raw.isascii() and raw.isdigit() and int(raw) <= LARGEST_ID:
        return int(raw)
    return None
