"""Moderation writes, one module per concern; every comment status change among them goes
through `moderation.transitions`.

- `settings`: a site's moderation settings and Submission Guidelines;
- `words`: the site's word list;
- `decisions`: moderators' decisions on comments and their undo;
- `reports`: readers' reports;
- `appeals`: appeals of rejections;
- `sanctions`: actions on accounts and their notices;
- `stories`: a story's settings, changed by its staff or its site's key;
- `notices`: notices of illegal content (DSA art. 16) and trusted flaggers (art. 22);
- `misuse`: warnings and suspensions for misuse (art. 23).

`notices` and `misuse` are imported as modules by their callers
(`from townhall.moderation.services import notices`).

The names below are the package's interface for the API and the dashboard.
"""

from townhall.moderation.services.appeals import (
    APPEAL_OUTCOMES,
    appeal_create,
    appeal_deadline,
    appeal_decide,
)
from townhall.moderation.services.decisions import (
    COMMENT_ACTIONS,
    comment_decide,
    comment_moderate,
    comments_decide_bulk,
    decision_undo,
    decisions_undo,
    rejection_email,
    undo_window,
)
from townhall.moderation.services.reports import report_create
from townhall.moderation.services.sanctions import (
    NEEDS_GUIDELINE,
    NEEDS_MESSAGE,
    account_act,
    account_action_lift,
    notice_acknowledge,
)
from townhall.moderation.services.settings import (
    SETTINGS_FIELDS,
    guidelines_publish,
    site_brand_update,
    site_moderation_update,
)
from townhall.moderation.services.stories import story_change
from townhall.moderation.services.words import word_rule_add, word_rule_remove

__all__ = [
    "APPEAL_OUTCOMES", "COMMENT_ACTIONS", "NEEDS_GUIDELINE", "NEEDS_MESSAGE", "SETTINGS_FIELDS",
    "account_act", "account_action_lift", "appeal_create", "appeal_deadline", "appeal_decide",
    "comment_decide", "comment_moderate", "comments_decide_bulk",
    "decision_undo", "decisions_undo", "guidelines_publish", "notice_acknowledge",
    "rejection_email", "report_create", "site_brand_update", "site_moderation_update",
    "story_change", "undo_window",
    "word_rule_add", "word_rule_remove",
]
