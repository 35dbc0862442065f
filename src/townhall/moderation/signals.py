"""A comment's life in moderation, for the layers above to act on (`docs/architecture.md`).

Every signal is sent inside the transaction that makes the change, by the one function that
owns it (`moderation.transitions`), so a job a receiver queues commits with the change; a
receiver that tells the outside world (live streams, metrics) waits for the commit.
"""

from django.dispatch import Signal

# A new comment was stored and judged: `comment`, `decision` (its first log row). It is
# followed at once by `comment_transitioned` with `old_status` "" (arrival).
comment_created = Signal()
# A comment's status was decided: `comment`, `old_status` ("" for a new comment),
# `new_status`, `decision` (the row that logs it; the status may be unchanged, e.g. a
# feature or a second rejection).
comment_transitioned = Signal()
# A reader reported a comment: `comment`, `report`.
comment_reported = Signal()
