"""Turn moderators' decisions into labelled examples for the toxicity model.

A moderator who approves a comment the model held says the model was wrong (label 0); a
moderator who rejects a comment under a guideline says it breaks the rules (label 1). Only
each comment's latest moderator decision counts, so a reversed call teaches the reversal.
"""

from __future__ import annotations

from townhall.comments.models import Status
from townhall.moderation.models import Decision, Source
from townhall.stories.models import Site

__all__ = ["moderator_examples"]

LANGUAGES = ("en", "fr")
APPROVALS = ("approve", "appeal_overturned")
REJECTIONS = ("reject", "appeal_upheld")


def moderator_examples(*, site: Site | None = None) -> list[tuple[str, int, str]]:
    """Return ``(text, label, language)`` for every comment a moderator decided, in the order
    of their decisions."""
    decisions = Decision.objects.filter(
        source=Source.MODERATOR, rule__in=APPROVALS + REJECTIONS
    ).select_related("comment")
    if site is not None:
        decisions = decisions.filter(comment__story__site=site)
    latest: dict[int, Decision] = {}
    for decision in decisions.order_by("created_at", "id"):
        latest[decision.comment_id] = decision
    held_by_model = set(
        Decision.objects.filter(
            comment_id__in=latest, source=Source.MODEL, new_status=Status.PENDING
        ).values_list("comment_id", flat=True)
    )
    examples: list[tuple[str, int, str]] = []
    # Oldest decision first, so that a replay can split them by time.
    for comment_id, decision in sorted(latest.items(),
                                       key=lambda item: (item[1].created_at, item[1].pk)):
        comment = decision.comment
        language = comment.language if comment.language in LANGUAGES else "en"
        if decision.rule in REJECTIONS and decision.guideline:
            examples.append((comment.source, 1, language))
        elif decision.rule in APPROVALS and comment_id in held_by_model:
            examples.append((comment.source, 0, language))
    return examples
