"""What moderation does when a doubted name is settled: judge the held comments again."""

from __future__ import annotations

from typing import Any

from townhall.accounts.models import Account
from townhall.comments import markup
from townhall.comments.models import Comment, Status
from townhall.moderation import pipeline
from townhall.moderation.models import Decision
from townhall.moderation.phases.real_names import NAME_PHASE
from townhall.moderation.transitions import VERDICT_STATUS, comment_judged


def release_name_holds(account: Account) -> int:
    """Run the pipeline again on comments held only for the name; return how many changed.

    A comment held for its name was never judged on its content, so every other phase runs
    now; what they hold stays held, with the new reason logged for moderators.
    """
    held = list(
        Comment.objects.filter(author=account, status=Status.PENDING)
        .select_related("story__site", "parent")
        .order_by("created_at", "id")
    )
    changed = 0
    for comment in held:
        latest = Decision.objects.filter(comment=comment).order_by("-created_at", "-id").first()
        if latest is None or latest.rule != NAME_PHASE:
            continue
        verdict = pipeline.run(pipeline.Submission(
            story=comment.story, text=markup.plain_text(comment.source), account=account,
            parent=comment.parent, comment=comment, is_edit=comment.edited_at is not None,
            language=comment.language,
        ))
        new_status = VERDICT_STATUS[verdict.action]
        changed += new_status != comment.status
        comment_judged(comment, verdict, new_status)
    return changed


def on_name_trusted(sender: Any, account: Account, **kwargs: Any) -> None:
    release_name_holds(account)
