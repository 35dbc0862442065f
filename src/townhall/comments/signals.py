"""What happens to comments outside moderation, for the layers above (`docs/architecture.md`).

Sent inside the changing transaction; a receiver that tells the outside world waits for the
commit. Status changes are announced by `moderation.signals.comment_transitioned`.
"""

from django.dispatch import Signal

# What readers see of a published comment changed without a status change: `comment`,
# `kind` ("comment.liked" or "comment.edited").
comment_changed = Signal()
