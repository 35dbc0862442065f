"""Owns what happens after a write, away from the request: background tasks (the in-process
thread or `townhall worker`), follows, mutes, notifications (email now or as a daily digest,
one-click unsubscribe) and signed webhooks with retries."""
