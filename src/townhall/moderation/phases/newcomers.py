"""NewCommenters: a site may hold the first comments of a new account."""

from __future__ import annotations

from townhall.comments.models import Comment, Status
from townhall.moderation.pipeline import Finding, Submission


class NewCommenters:
    """Hold an account's first comments on a site until a moderator has approved enough."""

    name = "new_commenters"

    def run(self, submission: Submission) -> Finding | None:
        needed = submission.config.new_commenter_holds
        if submission.content_only or submission.account is None or not needed:
            return None
        history = submission.history
        site_id = submission.story.site_id
        published = sum(1 for r in history.rows
                        if r.site_id == site_id and r.status == Status.PUBLISHED)
        if published < needed and not history.complete:
            published = Comment.objects.filter(
                author=submission.account, story__site_id=site_id, status=Status.PUBLISHED,
            )[:needed].count()
        if published >= needed:
            return None
        return Finding(self.name, "hold",
                       reason=f"new commenter: {published} of {needed} comments approved")
