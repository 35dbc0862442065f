"""Moderation reads: guidelines, site settings, word rules, sanctions, queues, records,
histories and statistics. Page-sized reads fetch related rows once per batch."""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection
from django.db.models import Case, Count, Max, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from townhall.accounts.models import Account, AuditEntry, Role
from townhall.comments.models import Comment, Status
from townhall.core import clock, rowsql
from townhall.core.errors import Invalid
from townhall.moderation.defaults import DEFAULT_TRUSTED_SKIPS
from townhall.moderation.guidelines import CATEGORIES, DEFAULT_GUIDELINES
from townhall.moderation.models import (
    AccountAction,
    ActionKind,
    Appeal,
    AppealStatus,
    Decision,
    GuidelineSet,
    Notice,
    NoticeNote,
    NoticeStatus,
    Report,
    SiteModeration,
    Source,
    TrustedFlagger,
)
from townhall.stories.models import Site, SiteRole, Story

QUEUES = ("pending", "reported", "unreviewed", "approved", "rejected", "appeals")
QUEUE_SORTS = ("oldest", "risk", "newest", "story")
QUEUE_PAGE = 50
SANCTIONS = (ActionKind.BAN, ActionKind.SUSPEND, ActionKind.ALWAYS_REVIEW)


# --- Site configuration -------------------------------------------------------------


def site_settings(site: Site) -> SiteModeration:
    """Return the site's moderation settings (the defaults, unsaved, for a site set up before
    they existed: `defaults.site_moderation_setup` stores them on the first write or post)."""
    config = SiteModeration.objects.filter(site=site).first()
    if config is None:
        config = SiteModeration(site=site, trusted_skips=list(DEFAULT_TRUSTED_SKIPS))
    config.site = site
    return config


def guidelines_current(site: Site) -> GuidelineSet:
    """Return the newest version of the site's Submission Guidelines."""
    row = GuidelineSet.objects.filter(site=site).first()
    return row if row is not None else GuidelineSet(site=site, version=1,
                                                    items=DEFAULT_GUIDELINES)


def guideline_codes(site: Site) -> list[str]:
    return [item["code"] for item in guidelines_current(site).items]


# --- Accounts -----------------------------------------------------------------------


def _in_force(query: QuerySet[AccountAction]) -> QuerySet[AccountAction]:
    now = clock.now()
    return query.filter(lifted_at__isnull=True).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))


def sanctions_in_force(account: Account, site: Site) -> dict[str, AccountAction]:
    """Return the account's bans, suspensions and always-review marks that apply on a site."""
    rows = _in_force(AccountAction.objects.filter(
        account=account, kind__in=(*SANCTIONS, ActionKind.TRUST),
    ).filter(Q(site=site) | Q(site__isnull=True)))
    found: dict[str, AccountAction] = {}
    for row in rows:
        found.setdefault(row.kind, row)
    return found


class HistoryRow(NamedTuple):
    id: int
    story_id: int
    site_id: int
    created_at: dt.datetime
    status: str
    guideline: str
    fingerprint: str


HISTORY_ROWS = 30


@dataclass(frozen=True)
class AuthorHistory:
    """An author's newest comments, newest first: at most HISTORY_ROWS, or all of them
    (`complete`). The phases that look back share it; each falls back to its own query
    in the rare case the rows cannot answer it."""

    rows: list[HistoryRow]
    complete: bool

    def since(self, moment: dt.datetime) -> list[HistoryRow] | None:
        """Return the rows created at or after `moment`, or None if some may be missing."""
        found = [r for r in self.rows if r.created_at >= moment]
        if len(found) == len(self.rows) and not self.complete:
            return None
        return found


def author_history(account: Account) -> AuthorHistory:
    """Read an author's newest comments in one indexed query (author, -created_at), written
    by hand because every post asks it (see core/rowsql.py)."""
    comments, stories = rowsql.table(Comment), rowsql.table(Story)
    sql = (f"SELECT c.id, c.story_id, s.site_id, c.created_at, c.status, c.guideline, "  # noqa: S608
           f"c.fingerprint FROM {comments} c INNER JOIN {stories} s ON s.id = c.story_id "
           f"WHERE c.author_id = %s ORDER BY c.created_at DESC, c.id DESC LIMIT %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [account.pk, HISTORY_ROWS + 1])
        found = cursor.fetchall()
    moment = rowsql.field_converter(Comment, "created_at")
    rows = [HistoryRow(i, story, site, moment(at), status, guideline, mark)
            for i, story, site, at, status, guideline, mark in found]
    return AuthorHistory(rows=rows[:HISTORY_ROWS], complete=len(rows) <= HISTORY_ROWS)


def account_trusted(account: Account, site: Site, config: SiteModeration, *,
                    active: dict[str, AccountAction] | None = None) -> bool:
    """Trusted: marked so by a moderator, or a long record on the site without rejections.

    `active`: the account's sanctions on the site, when the caller has read them already.
    """
    if active is None:
        active = sanctions_in_force(account, site)
    if any(k in active for k in SANCTIONS):
        return False
    if ActionKind.TRUST in active:
        return True
    if not config.trusted_after:
        return False
    counts = Comment.objects.filter(author=account, story__site=site).aggregate(
        published=Count("id", filter=Q(status=Status.PUBLISHED)),
        rejected=Count("id", filter=Q(status=Status.REJECTED)),
    )
    return counts["rejected"] == 0 and counts["published"] >= config.trusted_after


@dataclass
class AuthorRecord:
    account_id: int
    comments: int = 0
    published: int = 0
    rejected: int = 0
    pending: int = 0
    actions: list[AccountAction] = field(default_factory=list)

    @property
    def sanctions(self) -> list[AccountAction]:
        return [a for a in self.actions if a.kind in SANCTIONS and a.lifted_at is None
                and (a.ends_at is None or a.ends_at > clock.now())]

    @property
    def flags(self) -> list[str]:
        return sorted({a.kind for a in self.actions if a.lifted_at is None
                       and a.kind in (ActionKind.TRUST, ActionKind.PSEUDONYM)})


def author_records(account_ids: list[int], viewer: Account) -> dict[int, AuthorRecord]:
    """Return each author's record (comment counts and actions) on the sites the viewer
    moderates, in two queries."""
    ids = list(dict.fromkeys(account_ids))
    if not ids:
        return {}
    records = {i: AuthorRecord(i) for i in ids}
    sites = moderated_site_ids(viewer)
    comments = Comment.objects.filter(author_id__in=ids)
    actions = AccountAction.objects.filter(account_id__in=ids).exclude(kind=ActionKind.NOTE)
    if sites is not None:
        comments = comments.filter(story__site_id__in=sites)
        actions = actions.filter(Q(site_id__in=sites) | Q(site__isnull=True))
    rows = (
        comments.values("author_id").annotate(
            total=Count("id"),
            published=Count("id", filter=Q(status=Status.PUBLISHED)),
            rejected=Count("id", filter=Q(status=Status.REJECTED)),
            pending=Count("id", filter=Q(status=Status.PENDING)),
        )
    )
    for row in rows:
        record = records[row["author_id"]]
        record.comments, record.published = row["total"], row["published"]
        record.rejected, record.pending = row["rejected"], row["pending"]
    for action in actions:
        records[action.account_id].actions.append(action)
    return records


def notices_for(account: Account) -> list[AccountAction]:
    """Return warnings and sanctions the author has not acknowledged yet."""
    return list(
        AccountAction.objects.filter(
            account=account, kind__in=(ActionKind.WARN, ActionKind.SUSPEND, ActionKind.BAN),
            seen_at__isnull=True, lifted_at__isnull=True,
        ).select_related("site").order_by("created_at")
    )


# --- Scope --------------------------------------------------------------------------


def moderated_site_ids(viewer: Account) -> list[int] | None:
    """Return the ids of the sites a moderator works on; None means every site (admins)."""
    if viewer.is_admin:
        return None
    return list(SiteRole.objects.filter(account=viewer, kind=SiteRole.Kind.MODERATOR)
                .values_list("site_id", flat=True))


def staff_site_ids(viewer: Account) -> list[int] | None:
    """Return the ids of the sites where the viewer has any staff role (None: every site)."""
    if viewer.is_admin:
        return None
    return list(SiteRole.objects.filter(account=viewer).values_list("site_id", flat=True))


def stories_for_staff(viewer: Account, *, site: str = "", title: str = "",
                      limit: int = 100) -> list[Story]:
    """The newest stories of the sites the viewer works for, by site name and title words."""
    query = Story.objects.select_related("site").order_by("-created_at")
    ids = staff_site_ids(viewer)
    if ids is not None:
        query = query.filter(site_id__in=ids)
    if site:
        query = query.filter(site__name=site)
    if title:
        query = query.filter(title__icontains=title)
    return list(query[:limit])


class StaffList(NamedTuple):
    roles: list[SiteRole]
    admins: list[Account]


def staff_list() -> StaffList:
    """Every site role, by person then site, and the administrators of every site."""
    roles = SiteRole.objects.select_related("site", "account").order_by(
        "account__last_name", "site__name")
    admins = Account.objects.filter(role=Role.ADMIN, is_active=True)
    return StaffList(roles=list(roles), admins=list(admins))


def visible_sites(viewer: Account, *, moderation: bool = True) -> list[Site]:
    ids = moderated_site_ids(viewer) if moderation else staff_site_ids(viewer)
    query = Site.objects.all() if ids is None else Site.objects.filter(pk__in=ids)
    return list(query.order_by("name"))


# --- Queues -------------------------------------------------------------------------


@dataclass
class QueueFilters:
    site: str = ""
    story: str = ""
    language: str = ""
    guideline: str = ""
    min_score: float | None = None
    author: int | None = None
    category: str = ""
    sort: str = "oldest"


def _queue_base(queue: str) -> QuerySet[Comment]:
    comments = Comment.objects.all()
    if queue == "pending":
        return comments.filter(status=Status.PENDING)
    if queue == "reported":
        return comments.filter(report_count__gt=0, status__in=(Status.PUBLISHED, Status.PENDING))
    if queue == "unreviewed":
        return comments.filter(status=Status.PUBLISHED, reviewed_at__isnull=True)
    if queue == "approved":
        return comments.filter(status=Status.PUBLISHED, reviewed_at__isnull=False)
    if queue == "rejected":
        return comments.filter(status=Status.REJECTED)
    if queue == "appeals":
        return comments.filter(appeal__status=AppealStatus.OPEN)
    raise Invalid("queue", "invalid_choice",
                  _("Choose one of: %(choices)s.") % {"choices": ", ".join(QUEUES)})


def _scoped(query: QuerySet[Comment], site_ids: list[int] | None) -> QuerySet[Comment]:
    return query if site_ids is None else query.filter(story__site_id__in=site_ids)


def queue_query(viewer: Account, queue: str, filters: QueueFilters) -> QuerySet[Comment]:
    """Return the comments of a queue the viewer may moderate, filtered (not yet ordered)."""
    query = _scoped(_queue_base(queue), moderated_site_ids(viewer))
    if filters.site:
        query = query.filter(story__site__name=filters.site)
    if filters.story:
        query = query.filter(story__external_id=filters.story)
    if filters.language:
        query = query.filter(language=filters.language)
    if filters.guideline:
        query = query.filter(guideline=filters.guideline)
    if filters.min_score is not None:
        query = query.filter(risk__gte=filters.min_score)
    if filters.author:
        query = query.filter(author_id=filters.author)
    if filters.category:
        if filters.category not in CATEGORIES:
            raise Invalid("category", "invalid_choice", _("Choose one of: %(choices)s.")
                          % {"choices": ", ".join(CATEGORIES)})
        query = query.filter(category=filters.category)
    return query


def _order(sort: str, queue: str) -> tuple[str, ...]:
    if sort == "risk":
        return ("-risk", "created_at", "id")
    if sort == "story":
        # One story's comments together (the newest stories first), each story's oldest first.
        return ("-story_id", "created_at", "id")
    if sort == "newest" or queue in ("approved", "rejected"):
        return ("-created_at", "-id")
    return ("created_at", "id")


def _encode(values: list[Any]) -> str:
    raw = json.dumps(values, separators=(",", ":"), default=str)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str) -> list[Any]:
    try:
        data = json.loads(base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()))
        if not isinstance(data, list) or len(data) != 3:
            raise ValueError
        return data
    except (ValueError, TypeError, UnicodeError):
        raise Invalid("cursor", "invalid_cursor",
                      _("This page link is not valid; start again.")) from None


def _after(query: QuerySet[Comment], order: tuple[str, ...], cursor: str) -> QuerySet[Comment]:
    _sort, key, ident = _decode(cursor)
    try:
        ident = int(ident)
        if order[0] == "-risk":
            risk, created = float(key[0]), dt.datetime.fromisoformat(key[1])
            return query.filter(Q(risk__lt=risk) | Q(risk=risk, created_at__gt=created)
                                | Q(risk=risk, created_at=created, id__gt=ident))
        if order[0] == "-story_id":
            story, created = int(key[0]), dt.datetime.fromisoformat(key[1])
            return query.filter(Q(story_id__lt=story) | Q(story_id=story, created_at__gt=created)
                                | Q(story_id=story, created_at=created, id__gt=ident))
        moment = dt.datetime.fromisoformat(key)
    except (ValueError, TypeError, IndexError):
        raise Invalid("cursor", "invalid_cursor",
                      _("This page link is not valid; start again.")) from None
    if order[0] == "-created_at":
        return query.filter(Q(created_at__lt=moment) | Q(created_at=moment, id__lt=ident))
    return query.filter(Q(created_at__gt=moment) | Q(created_at=moment, id__gt=ident))


@dataclass
class QueuePage:
    queue: str
    comments: list[Comment]
    records: dict[int, AuthorRecord]
    next_cursor: str | None


def queue_page(viewer: Account, queue: str, filters: QueueFilters, *, cursor: str | None = None,
               limit: int = QUEUE_PAGE) -> QueuePage:
    """Return one page of a queue with everything a card shows, in a fixed number of queries."""
    if filters.sort not in QUEUE_SORTS:
        raise Invalid("sort", "invalid_choice",
                      _("Choose one of: %(choices)s.") % {"choices": ", ".join(QUEUE_SORTS)})
    if not 1 <= limit <= 200:
        raise Invalid("limit", "out_of_range", _("Choose a limit from 1 to 200."))
    order = _order(filters.sort, queue)
    query = queue_query(viewer, queue, filters).select_related(
        "story__site", "author", "parent__author", "appeal__rejected_by",
    )
    if cursor:
        query = _after(query, order, cursor)
    rows = list(query.order_by(*order)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    if queue == "reported" and rows:
        reports: dict[int, list[Report]] = {}
        for report in Report.objects.filter(comment_id__in=[c.pk for c in rows],
                                            resolved_at__isnull=True):
            reports.setdefault(report.comment_id, []).append(report)
        for comment in rows:
            comment.open_reports = reports.get(comment.pk, [])  # type: ignore[attr-defined]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        key: Any = last.created_at.isoformat()
        if order[0] == "-risk":
            key = [last.risk, key]
        elif order[0] == "-story_id":
            key = [last.story_id, key]
        next_cursor = _encode([filters.sort, key, last.pk])
    for comment, seen in zip(rows, latest_decision_ids([c.pk for c in rows]), strict=True):
        comment.seen_decision = seen  # type: ignore[attr-defined]
    return QueuePage(queue, rows, author_records([c.author_id for c in rows], viewer),
                     next_cursor)


PICKS_LIMIT = 200


def editors_picks(viewer: Account, *, site: str = "",
                  limit: int = PICKS_LIMIT) -> list[tuple[Story, list[Comment]]]:
    """Return the featured comments the viewer may moderate, by story: the stories with the
    newest picks first, each story's picks newest first (as the thread's Featured tab)."""
    query = _scoped(Comment.objects.filter(status=Status.PUBLISHED, featured_at__isnull=False),
                    moderated_site_ids(viewer))
    if site:
        query = query.filter(story__site__name=site)
    stories: dict[int, tuple[Story, list[Comment]]] = {}
    for comment in query.select_related("story__site", "author").order_by("-featured_at",
                                                                          "-id")[:limit]:
        stories.setdefault(comment.story_id, (comment.story, []))[1].append(comment)
    return list(stories.values())


def latest_decision_ids(comment_ids: list[int]) -> list[int | None]:
    """Return the id of each comment's newest decision, in order (one query): a card sends it
    back with a decision, so one moderator cannot overwrite another's unseen."""
    if not comment_ids:
        return []
    newest = dict(Decision.objects.filter(comment_id__in=comment_ids).values("comment_id")
                  .annotate(newest=Max("id")).values_list("comment_id", "newest"))
    return [newest.get(i) for i in comment_ids]


# The decisions a moderator can undo (their rows keep what they changed, in `before`).
UNDOABLE_RULES = ("approve", "reject", "feature", "unfeature")


def is_undoable(decision: Decision) -> bool:
    """Whether the decision is a moderator's that can be undone (when it is the newest)."""
    return (decision.source == Source.MODERATOR and decision.rule in UNDOABLE_RULES
            and bool(decision.before))


def latest_decision(comment: Comment) -> Decision | None:
    """Return the comment's newest decision (the last one written), with its actor."""
    return Decision.objects.filter(comment=comment).select_related("actor").order_by("-id").first()


def queue_counts(viewer: Account, site: str = "") -> dict[str, int]:
    """Return how many comments wait in each queue the viewer may moderate."""
    site_ids = moderated_site_ids(viewer)
    counts = {}
    for queue in QUEUES:
        query = _scoped(_queue_base(queue), site_ids)
        if site:
            query = query.filter(story__site__name=site)
        counts[queue] = query.count()
    return counts


# --- Histories and reports ----------------------------------------------------------


def comment_history(comment: Comment) -> list[Decision]:
    return list(Decision.objects.filter(comment=comment).select_related("actor"))


def account_history(account: Account, viewer: Account, *, limit: int = 200) -> list[Decision]:
    """Return the decisions on the account's comments on the sites the viewer moderates."""
    query = Decision.objects.filter(comment__author=account)
    sites = moderated_site_ids(viewer)
    if sites is not None:
        query = query.filter(comment__story__site_id__in=sites)
    return list(query.select_related("actor", "comment__story")
                .order_by("-created_at", "-id")[:limit])


def account_actions(account: Account, viewer: Account) -> list[AccountAction]:
    """Return the actions on the account that the viewer may read: those of the sites they
    moderate, and the installation-wide ones except administrators' private notes."""
    query = AccountAction.objects.filter(account=account)
    sites = moderated_site_ids(viewer)
    if sites is not None:
        query = query.filter(Q(site_id__in=sites)
                             | (Q(site__isnull=True) & ~Q(kind=ActionKind.NOTE)))
    return list(query.select_related("actor", "site"))


def reports_of(comment: Comment) -> list[Report]:
    return list(Report.objects.filter(comment=comment).select_related("account"))


def decisions_for_export(viewer: Account, *, site: str = "", since: dt.datetime | None = None,
                         account_id: int | None = None) -> QuerySet[Decision]:
    """Return decisions the viewer may see, oldest first, with what a CSV row needs."""
    query = Decision.objects.select_related("actor", "comment__story__site", "comment__author")
    site_ids = moderated_site_ids(viewer)
    if site_ids is not None:
        query = query.filter(comment__story__site_id__in=site_ids)
    if site:
        query = query.filter(comment__story__site__name=site)
    if since is not None:
        query = query.filter(created_at__gte=since)
    if account_id is not None:
        query = query.filter(comment__author_id=account_id)
    return query.order_by("created_at", "id")


def my_comments(account: Account, *, limit: int = 100) -> list[Comment]:
    """Return the author's comments with their appeal, newest first."""
    return list(
        Comment.objects.filter(author=account).exclude(status=Status.DELETED)
        .select_related("story__site", "appeal").order_by("-created_at", "-id")[:limit]
    )


def rejection_notes(comment_ids: list[int]) -> dict[int, Decision]:
    """Return the latest decision that rejected each comment (one query)."""
    found: dict[int, Decision] = {}
    for decision in (Decision.objects.filter(comment_id__in=comment_ids,
                                             new_status=Status.REJECTED)
                     .order_by("comment_id", "created_at", "id")):
        found[decision.comment_id] = decision
    return found


def appeal_days_by_site(site_ids: list[int]) -> dict[int, int]:
    """Return how many days each site's decisions may be appealed (one query)."""
    chosen = dict(SiteModeration.objects.filter(site_id__in=set(site_ids),
                                                appeal_days__isnull=False)
                  .values_list("site_id", "appeal_days"))
    return {pk: chosen.get(pk) or settings.TOWNHALL_APPEAL_DAYS for pk in site_ids}


def appeal_deadline(rejection: Decision | None, *, days: int | None = None
                    ) -> dt.datetime | None:
    """Return until when a rejection may be appealed: `days` (by default its site's appeal
    window, or TOWNHALL_APPEAL_DAYS) after it."""
    if rejection is None:
        return None
    if days is None:
        site_id = Comment.objects.filter(pk=rejection.comment_id).values_list(
            "story__site_id", flat=True).first()
        days = appeal_days_by_site([site_id] if site_id is not None else []).get(
            site_id or 0, settings.TOWNHALL_APPEAL_DAYS)
    return rejection.created_at + dt.timedelta(days=days)


def rejected_of(story: Story, account: Account, *, limit: int = 20) -> list[Comment]:
    """Return the account's rejected comments on the story, newest first, with appeals."""
    return list(Comment.objects.filter(story=story, author=account, status=Status.REJECTED)
                .select_related("author", "appeal").order_by("-created_at", "-id")[:limit])


def appealed_rejection(comment: Comment) -> Decision | None:
    """Return the rejection an appeal is about: the comment's newest one."""
    return (Decision.objects.filter(comment=comment, new_status=Status.REJECTED)
            .select_related("actor").order_by("-created_at", "-id").first())


def open_appeal(comment: Comment) -> Appeal | None:
    return Appeal.objects.filter(comment=comment).first()


def reported_ids(account: Account, comment_ids: list[int]) -> set[int]:
    """Return which of these comments the account has reported (one query)."""
    if not comment_ids:
        return set()
    return set(Report.objects.filter(account=account, comment_id__in=comment_ids)
               .values_list("comment_id", flat=True))


# --- Notices of illegal content -------------------------------------------------------


def notices_queue(viewer: Account, *, status: str = "", site: str = "",
                  limit: int = 100) -> list[Notice]:
    """Return notices on the viewer's sites: trusted flaggers' first, then oldest first."""
    query = Notice.objects.select_related("site", "comment__story", "comment__author",
                                          "trusted_flagger", "reviewer")
    site_ids = moderated_site_ids(viewer)
    if site_ids is not None:
        query = query.filter(site_id__in=site_ids)
    if site:
        query = query.filter(site__name=site)
    if status:
        query = query.filter(status=status)
    else:
        query = query.filter(status__in=(NoticeStatus.RECEIVED, NoticeStatus.IN_REVIEW))
    # Trusted flaggers' notices first (DSA art. 22), each group oldest first.
    flagged = Case(When(trusted_flagger__isnull=False, then=Value(0)), default=Value(1))
    return list(query.order_by(flagged, "created_at", "id")[:limit])


def notice_counts(viewer: Account) -> dict[str, int]:
    """Return how many notices of the viewer's sites wait in each open status."""
    query = Notice.objects.filter(status__in=(NoticeStatus.RECEIVED, NoticeStatus.IN_REVIEW))
    site_ids = moderated_site_ids(viewer)
    if site_ids is not None:
        query = query.filter(site_id__in=site_ids)
    counts = {row["status"]: row["n"] for row in query.values("status").annotate(n=Count("id"))}
    return {s: counts.get(s, 0) for s in (NoticeStatus.RECEIVED, NoticeStatus.IN_REVIEW)}


def notice_history(notice: Notice) -> list[AuditEntry]:
    """Return the audit entries of one notice, oldest first."""
    return list(AuditEntry.objects.filter(action__startswith="notice.",
                                          changes__reference=notice.reference)
                .select_related("actor").order_by("created_at", "id"))


def notice_notes(notice: Notice) -> list[NoticeNote]:
    return list(NoticeNote.objects.filter(notice=notice).select_related("author"))


def notices_of_decisions(decision_ids: list[int]) -> dict[int, Notice]:
    """Return the notice that led to each decision (one query)."""
    if not decision_ids:
        return {}
    return {n.decision_id: n for n in Notice.objects.filter(decision_id__in=decision_ids)
            .select_related("trusted_flagger") if n.decision_id is not None}


def _median_hours(spans: list[dt.timedelta]) -> float | None:
    if not spans:
        return None
    ordered = sorted(spans)
    middle = len(ordered) // 2
    seconds = (ordered[middle].total_seconds() if len(ordered) % 2
               else (ordered[middle - 1] + ordered[middle]).total_seconds() / 2)
    return round(seconds / 3600, 2)


def trusted_flagger_figures(*, since: dt.datetime | None = None,
                            until: dt.datetime | None = None,
                            site: Site | None = None) -> list[dict[str, Any]]:
    """Return each trusted flagger's notices, decisions, removals and median hours from
    notice to decision (DSA art. 22), over a span and a site when given."""
    query = Notice.objects.filter(trusted_flagger__isnull=False)
    if since is not None:
        query = query.filter(created_at__gte=since)
    if until is not None:
        query = query.filter(created_at__lt=until)
    if site is not None:
        query = query.filter(site=site)
    rows: dict[int, list[tuple[Any, ...]]] = {}
    for row in query.values_list("trusted_flagger_id", "status", "outcome", "created_at",
                                 "decided_at"):
        rows.setdefault(row[0], []).append(row)
    out = []
    for flagger in TrustedFlagger.objects.all():
        mine = rows.get(flagger.pk, [])
        decided = [r for r in mine if r[4] is not None]
        out.append({"id": flagger.pk, "name": flagger.name, "contact": flagger.contact,
                    "expertise": flagger.expertise, "active": flagger.active,
                    "notices": len(mine), "decided": len(decided),
                    "restricted": sum(1 for r in decided if r[2] == "restricted"),
                    "median_hours_to_decision": _median_hours([r[4] - r[3] for r in decided])})
    return out
