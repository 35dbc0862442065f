"""What happens to sites and stories, for the layers above to act on (`docs/architecture.md`).

Each signal carries ids or the row itself, never a rendering; receivers connect in their own
app's `ready()`. A signal is sent inside the transaction that makes the change (so a job a
receiver queues commits with it); a receiver that tells the outside world waits for the
commit (`transaction.on_commit`). `story_versions_changed` alone is sent after the commit.
"""

from django.dispatch import Signal

# A site was created, in its creating transaction: `site`.
site_created = Signal()
# Stories' versions moved (their readers' view changed), after commit: `changes`, a list of
# (story id, new version).
story_versions_changed = Signal()
# A story was closed, reopened or given a closing time: `story`.
story_closing_changed = Signal()
