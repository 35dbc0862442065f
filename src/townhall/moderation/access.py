"""Resolve objects for staff, checking their role line by line.

Admins reach everything; moderators reach comments, accounts' records and settings of the
sites they moderate; site staff reach story settings only. Anything else answers 404, the
same as an id that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from townhall.accounts.models import Account, PendingName, SsoIdentity
from townhall.comments.models import Comment
from townhall.core.errors import NotFound, PermissionDenied
from townhall.moderation.models import AccountAction, Appeal, Decision, Notice
from townhall.moderation.selectors import moderated_site_ids, staff_site_ids
from townhall.stories.models import Site, SiteRole, Story


def require_moderator(viewer: Account | None) -> Account:
    """Return the viewer if they moderate at least one site (or are an admin)."""
    if viewer is None or not viewer.is_active:
        raise PermissionDenied(_("Only moderators can do this."))
    if viewer.is_admin:
        return viewer
    if viewer.is_staff and moderated_site_ids(viewer):
        return viewer
    raise PermissionDenied(_("Only moderators can do this."))


def require_admin(viewer: Account | None) -> Account:
    if viewer is None or not viewer.is_active or not viewer.is_admin:
        raise PermissionDenied(_("Only administrators can do this."))
    return viewer


def can_moderate_site(viewer: Account, site_id: int) -> bool:
    ids = moderated_site_ids(viewer)
    return ids is None or site_id in ids


def access_comment_as_moderator(comment_id: int, viewer: Account) -> Comment:
    """Return a comment on one of the moderator's sites."""
    comment = (Comment.objects.select_related("story__site", "author", "parent__author")
               .filter(pk=comment_id).first())
    if comment is None or not can_moderate_site(viewer, comment.story.site_id):
        raise NotFound(_("Unknown comment."), field="id")
    return comment


def access_decision_as_moderator(decision_id: int, viewer: Account) -> Decision:
    """Return a decision on a comment of one of the moderator's sites."""
    decision = (Decision.objects.select_related("comment__story__site", "actor")
                .filter(pk=decision_id).first())
    if decision is None or not can_moderate_site(viewer, decision.comment.story.site_id):
        raise NotFound(_("Unknown decision."), field="id")
    return decision


def access_notice_as_moderator(notice_id: int, viewer: Account) -> Notice:
    """Return a notice of illegal content about a comment on one of the moderator's sites."""
    notice = (Notice.objects.select_related("site", "comment__story__site", "comment__author",
                                            "trusted_flagger", "reviewer", "decided_by")
              .filter(pk=notice_id).first())
    if notice is None or not can_moderate_site(viewer, notice.site_id):
        raise NotFound(_("Unknown notice."), field="id")
    return notice


def access_site_as_moderator(name: str, viewer: Account) -> Site:
    site = Site.objects.filter(name=name).first()
    if site is None or not can_moderate_site(viewer, site.pk):
        raise NotFound(_("Unknown site."), field="site")
    return site


def access_site_as_staff(name: str, viewer: Account) -> Site:
    """Return a site where the viewer is an admin, a moderator or site staff."""
    site = Site.objects.filter(name=name).first()
    ids = staff_site_ids(viewer) if viewer.is_active else []
    if site is None or (ids is not None and site.pk not in ids):
        raise NotFound(_("Unknown site."), field="site")
    return site


def access_story_as_staff(story_id: int, viewer: Account) -> Story:
    story = Story.objects.select_related("site").filter(pk=story_id).first()
    ids = staff_site_ids(viewer) if viewer.is_active else []
    if story is None or (ids is not None and story.site_id not in ids):
        raise NotFound(_("Unknown story."), field="story")
    return story


def is_staff_anywhere(account: Any) -> bool:
    """Say whether an account may enter the dashboard: an admin, or staff of some site."""
    if not getattr(account, "is_authenticated", False) or not account.is_active:
        return False
    return bool(account.is_admin or SiteRole.objects.filter(account=account).exists())


def access_account_action(action_id: int, viewer: Account) -> AccountAction:
    """Return a ban, suspension or mark on a site the viewer moderates, or a site-wide one
    (which only an admin may then lift: `account_action_lift` says so)."""
    found = AccountAction.objects.select_related("site").filter(pk=action_id).first()
    if found is None or not viewer.is_active or (
            found.site_id is not None and not can_moderate_site(viewer, found.site_id)):
        raise NotFound(_("Unknown action."), field="id")
    return found


def _accounts_on_sites(site_ids: Iterable[int]) -> Q:
    """Match accounts that commented on, or signed in through, one of these sites."""
    ids = list(site_ids)
    commenters = Comment.objects.filter(story__site_id__in=ids).values("author_id")
    linked = SsoIdentity.objects.filter(site_id__in=ids).values("account_id")
    return Q(pk__in=commenters) | Q(pk__in=linked)


def account_on_moderated_sites(account_id: int, moderator: Account) -> Account:
    """Return an account a staff member may look after: one active on their sites.

    Anything else (unknown id, an account only seen on other sites, a viewer who is not staff)
    is the same 404, so ids cannot be probed. The names API uses this rule as it is.
    """
    if not moderator.is_staff:
        raise NotFound(_("Unknown account."), field="account_id")
    query = Account.objects.filter(pk=account_id)
    sites = moderated_site_ids(moderator)
    if sites is not None:
        query = query.filter(_accounts_on_sites(sites))
    account = query.select_related("pending_name").first()
    if account is None:
        raise NotFound(_("Unknown account."), field="account_id")
    return account


def access_account_as_moderator(account_id: int, viewer: Account) -> Account:
    """Return an account a moderator looks after: one that commented on, or signs in through,
    a site they moderate (any account for admins). Anything else answers the same 404."""
    require_moderator(viewer)
    return account_on_moderated_sites(account_id, viewer)


def pending_name_changes(moderator: Account, *, limit: int = 100) -> list[PendingName]:
    """Return the name changes waiting for this moderator, oldest first."""
    query = PendingName.objects.select_related("account")
    sites = moderated_site_ids(moderator)
    if sites is not None:
        query = query.filter(
            account_id__in=Account.objects.filter(_accounts_on_sites(sites)).values("pk"))
    return list(query.order_by("requested_at", "id")[:limit])


def access_appeal_as_moderator(comment_id: int, viewer: Account) -> Appeal:
    appeal = (Appeal.objects.select_related("comment__story__site", "account")
              .filter(comment_id=comment_id).first())
    if appeal is None or not can_moderate_site(viewer, appeal.comment.story.site_id):
        raise NotFound(_("Unknown appeal."), field="id")
    return appeal
