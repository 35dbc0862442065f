"""A story's settings changed by its staff or its site's key: one write for the API and the
dashboard alike, recorded in the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from townhall.accounts.audit import audit_record, diff
from townhall.accounts.models import Account
from townhall.stories import services as story_services
from townhall.stories.models import Story

#: What the audit log keeps of a story before and after a change.
AUDITED_FIELDS = ("closes_at", "moderation_mode", "title", "url", "language", "community")

#: Leave the closing time as it is.
UNCHANGED: Any = object()


def _snapshot(story: Story) -> dict[str, Any]:
    values = {name: getattr(story, name) for name in AUDITED_FIELDS}
    return {name: value.isoformat() if isinstance(value, dt.datetime) else value
            for name, value in values.items()}


@transaction.atomic
def story_change(*, story: Story, actor: Account | None, closes_at: Any = UNCHANGED,
                 **fields: Any) -> Story:
    """Edit a story's fields and its closing time (now, later, or None to reopen).

    `actor` is the staff account, or None for the site's API key. The change and its audit
    row ("story.change", each changed field before and after) commit together; a change
    that changes nothing records nothing.
    """
    before = _snapshot(story)
    if fields:
        story, _created = story_services.story_upsert(
            site=story.site, external_id=story.external_id, **fields)
    if closes_at is not UNCHANGED:
        story = story_services.story_set_closing(story=story, closes_at=closes_at)
    changed = diff(before, _snapshot(story))
    if changed:
        audit_record("story.change", actor=actor, site=story.site, story=story,
                     changes=changed)
    return story
