"""What other apps' writes set off here: follows, notifications, webhook events, counters.

`comments.services` calls `comment_created` and `comment_status_changed` inside its
transaction; `stories.services` calls `story_closing_changed`. Reports and decisions, which
are rows other services insert, are picked up from `post_save` (insertions only).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from townhall.comments.models import Comment, Status
from townhall.notify.models import Follow, WebhookEvent
from townhall.stories.models import Story


def comment_created(comment: Comment) -> None:
    """The author follows the replies to their comment; webhooks hear of it; count it."""
    from townhall.notify import webhooks
    from townhall.ops import metrics

    # The comment is new, so no one follows it yet: insert without looking first.
    Follow.objects.create(account_id=comment.author_id, story_id=comment.story_id,
                          comment=comment)
    webhooks.comment_event(comment, WebhookEvent.COMMENT_CREATED)
    labels = {"site": comment.story.site.name, "status": comment.status}
    transaction.on_commit(lambda: metrics.inc("townhall_comments_posted_total", labels))


def comment_status_changed(comment: Comment, old: str, new: str) -> None:
    """Tell followers about a newly published comment; tell webhooks about publish/reject."""
    from townhall.notify import services, webhooks

    if new == Status.PUBLISHED:
        services.notifications_for_published(comment)
        webhooks.comment_event(comment, WebhookEvent.COMMENT_PUBLISHED)
    elif new == Status.REJECTED:
        webhooks.comment_event(comment, WebhookEvent.COMMENT_REJECTED)


def story_closing_changed(story: Story) -> None:
    """Announce a story closed now (scheduled closings are swept by a periodic job)."""
    from townhall.notify import webhooks

    webhooks.story_closed(story)


def _report_saved(sender: Any, instance: Any, created: bool, raw: bool = False,
                  **kwargs: Any) -> None:
    if created and not raw:
        from townhall.notify import webhooks

        webhooks.comment_reported(instance.comment, reason=getattr(instance, "reason", ""),
                                  report_id=instance.pk)


def _decision_saved(sender: Any, instance: Any, created: bool, raw: bool = False,
                    **kwargs: Any) -> None:
    if created and not raw:
        from townhall.ops import metrics

        labels = {"source": instance.source, "new_status": instance.new_status}
        transaction.on_commit(lambda: metrics.inc("townhall_decisions_total", labels))
        if instance.source == "moderator":
            _tell_author(instance)


def _tell_author(decision: Any) -> None:
    """Tell the author what a moderator decided about their comment.

    Rejections and appeal answers are emailed by `moderation.services` itself, so they only
    count in the widget here; features and approvals of held comments are emailed from here.
    """
    from townhall.notify.models import Kind
    from townhall.notify.services import notify_account

    comment = decision.comment
    rule = decision.rule or ""
    if rule == "feature":
        notify_account(comment.author, Kind.FEATURED, comment)
    elif rule == "approve" and decision.old_status == Status.PENDING:
        notify_account(comment.author, Kind.DECISION, comment, new_status=Status.PUBLISHED)
    elif rule == "reject":
        notify_account(comment.author, Kind.DECISION, comment, email=False,
                       new_status=Status.REJECTED, guideline=decision.guideline)
    elif rule.startswith("appeal_"):
        outcome = "upheld" if rule == "appeal_upheld" else "overturned"
        notify_account(comment.author, Kind.APPEAL, comment, email=False, outcome=outcome)


def connect() -> None:
    from django.apps import apps

    post_save.connect(_decision_saved, sender="moderation.Decision",
                      dispatch_uid="townhall.notify.decision_metrics")
    try:
        apps.get_model("moderation", "Report")
    except LookupError:
        return
    post_save.connect(_report_saved, sender="moderation.Report",
                      dispatch_uid="townhall.notify.report_webhook")
