"""What happens to a reader's notifications, for the layers above (`docs/architecture.md`).

Sent inside the changing transaction; a receiver that tells the outside world waits for the
commit.
"""

from django.dispatch import Signal

# A reader's notifications changed: some arrived, or some were read. `account_ids` (a set),
# `kind` ("notification.created" or "notification.read").
notifications_changed = Signal()
