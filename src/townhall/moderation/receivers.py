"""What moderation does when the layers below announce a change (connected in `apps.py`)."""

from __future__ import annotations

from typing import Any

from townhall.accounts import signals as account_signals
from townhall.accounts.models import Account
from townhall.comments.models import Comment
from townhall.moderation import names, postconfig
from townhall.moderation import signals as moderation_signals
from townhall.moderation.defaults import site_moderation_setup
from townhall.moderation.models import AppealStatus, Decision, Notice, Report
from townhall.moderation.posting import comments_erase_author
from townhall.moderation.services.notices import notices_tell_appeal
from townhall.stories import signals as story_signals
from townhall.stories.models import Site


def _site_created(sender: Any, *, site: Site, **kwargs: Any) -> None:
    site_moderation_setup(site=site)


def _account_erasing(sender: Any, *, account: Account, **kwargs: Any) -> None:
    comments_erase_author(account=account)
    # What the person wrote in reports is theirs too; the reports themselves stay counted.
    Report.objects.filter(account=account).update(text="")
    # Notices they filed keep their reference and outcome, not who filed them.
    Notice.objects.filter(account=account).update(account=None, name="", email="")


def _appeal_decided(sender: Any, *, comment: Comment, decision: Decision,
                    **kwargs: Any) -> None:
    # However an appeal was decided (its own form, or Approve / Reject on the appealed
    # comment's card), the notifiers whose notices removed the comment hear how it ended.
    if (decision.rule or "").startswith("appeal_"):
        notices_tell_appeal(comment=comment,
                            overturned=decision.rule == f"appeal_{AppealStatus.OVERTURNED}")


def connect() -> None:
    postconfig.connect()
    story_signals.site_created.connect(_site_created, dispatch_uid="moderation.site_setup")
    account_signals.account_erasing.connect(_account_erasing,
                                            dispatch_uid="moderation.erase_author")
    account_signals.name_trusted.connect(names.on_name_trusted,
                                         dispatch_uid="moderation.release_name_holds")
    moderation_signals.comment_transitioned.connect(
        _appeal_decided, dispatch_uid="moderation.notices_tell_appeal")
