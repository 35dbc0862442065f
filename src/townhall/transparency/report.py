"""The numbers of a site's monthly transparency report, read from comments and the decision log."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.utils import timezone

from townhall.accounts.models import AuditEntry
from townhall.comments.models import Comment, Status
from townhall.core import clock
from townhall.moderation.models import Decision, Notice, NoticeOutcome, NoticeStatus, Source
from townhall.moderation.selectors import trusted_flagger_figures
from townhall.stories.models import Site

# Who decided, as the report groups it: people, rules, the model, or nobody (nothing objected).
DECIDERS: dict[str, str] = {Source.MODERATOR: "people", Source.RULE: "rules",
                             Source.MODEL: "model", Source.SYSTEM: "automatic"}


@dataclass
class MonthReport:
    site: Site
    month: dt.date
    received: int = 0
    published: int = 0
    held: int = 0
    rejected: int = 0
    pending: int = 0
    withdrawn: int = 0
    per_day: list[int] = field(default_factory=list)
    rejected_by_guideline: list[tuple[str, int]] = field(default_factory=list)
    decided_by: dict[str, int] = field(default_factory=dict)
    appeals: int = 0
    appeals_overturned: int = 0
    appeals_upheld: int = 0
    appeals_open: int = 0
    median_minutes_to_decision: float | None = None
    moderator_decisions: int = 0
    # Notices of illegal content (DSA art. 16) received this month, by ground, and what
    # became of them; trusted flaggers' share (art. 22); misuse measures (art. 23).
    median_hours_to_appeal_decision: float | None = None
    notices: int = 0
    notices_by_ground: list[tuple[str, int]] = field(default_factory=list)
    notices_restricted: int = 0
    notices_no_action: int = 0
    notices_void: int = 0
    notices_open: int = 0
    median_hours_to_notice_decision: float | None = None
    trusted_flaggers: list[dict[str, Any]] = field(default_factory=list)
    misuse_warnings: int = 0
    misuse_suspensions: int = 0

    @property
    def decisions(self) -> int:
        return sum(self.decided_by.values())

    def share(self, key: str) -> float:
        return self.decided_by.get(key, 0) / self.decisions if self.decisions else 0.0


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Return the start and end of a month on the installation's local clock."""
    start = timezone.make_aware(dt.datetime(month.year, month.month, 1))
    following = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return start, timezone.make_aware(dt.datetime(following.year, following.month, 1))


def months_of(site: Site) -> list[dt.date]:
    """Return the months a site has a report for, newest first (creation to now)."""
    first = timezone.localtime(site.created_at).date().replace(day=1)
    oldest = Comment.objects.filter(story__site=site).order_by("created_at").values_list(
        "created_at", flat=True).first()
    if oldest is not None:
        first = min(first, timezone.localtime(oldest).date().replace(day=1))
    current = timezone.localtime(clock.now()).date().replace(day=1)
    months: list[dt.date] = []
    cursor = current
    while cursor >= first and len(months) < 120:
        months.append(cursor)
        cursor = (cursor - dt.timedelta(days=1)).replace(day=1)
    return months


def _imported_ids(site: Site) -> Any:
    """Comments brought in by an import were not moderated here; they are left out."""
    try:
        model = apps.get_model("porting", "ImportedItem")
    except LookupError:
        return None
    return model.objects.filter(site=site, kind="comment").values("local_id")


def month_report(site: Site, month: dt.date) -> MonthReport:
    """Compute (or fetch from the cache) the report of one site and month."""
    start, end = month_bounds(month)
    current = start <= clock.now() < end
    key = f"transparency:{site.pk}:{month:%Y-%m}"
    cached = cache.get(key)
    if isinstance(cached, MonthReport):
        return cached
    report = _compute(site, month, start, end)
    cache.set(key, report, timeout=300 if current else 3600)
    return report


def year_report(site: Site, year: int) -> MonthReport:
    """Compute the figures of one site over a calendar year (the yearly export's)."""
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    return _compute(site, dt.date(year, 1, 1), start, end)


def _compute(site: Site, month: dt.date, start: dt.datetime, end: dt.datetime) -> MonthReport:
    report = MonthReport(site=site, month=month)
    comments = Comment.objects.filter(story__site=site, created_at__gte=start, created_at__lt=end)
    imported = _imported_ids(site)
    if imported is not None:
        comments = comments.exclude(pk__in=imported)
    rows = list(comments.values_list("pk", "status", "created_at"))
    report.received = len(rows)
    statuses = Counter(status for _pk, status, _at in rows)
    report.published = statuses.get(Status.PUBLISHED, 0)
    report.rejected = statuses.get(Status.REJECTED, 0)
    report.pending = statuses.get(Status.PENDING, 0)
    report.withdrawn = statuses.get(Status.DELETED, 0)
    days = (end - start).days
    report.per_day = [0] * days
    for _pk, _status, created in rows:
        report.per_day[min(days - 1, (timezone.localtime(created).date() - month).days)] += 1

    decisions = Decision.objects.filter(comment__story__site=site, created_at__gte=start,
                                        created_at__lt=end)
    if imported is not None:
        decisions = decisions.exclude(comment_id__in=imported)
    decision_rows = list(decisions.values_list("comment_id", "source", "new_status",
                                               "guideline", "created_at",
                                               "comment__created_at"))
    held = {cid for cid, source, new, *_rest in decision_rows
            if new == Status.PENDING and source != Source.AUTHOR}
    report.held = len(held)
    by_source: Counter[str] = Counter()
    rejections: dict[int, str] = {}
    waits = []
    for cid, source, new, guideline, decided_at, created_at in decision_rows:
        if source in DECIDERS:
            by_source[DECIDERS[source]] += 1
        if new == Status.REJECTED:
            rejections[cid] = guideline or ""
        if source == Source.MODERATOR:
            waits.append((decided_at - created_at).total_seconds() / 60)
    report.decided_by = {key: by_source.get(key, 0) for key in DECIDERS.values()}
    report.rejected_by_guideline = Counter(rejections.values()).most_common()
    report.moderator_decisions = len(waits)
    report.median_minutes_to_decision = statistics.median(waits) if waits else None
    _appeals(report, site, start, end)
    _notices(report, site, start, end)
    return report


def _notices(report: MonthReport, site: Site, start: dt.datetime, end: dt.datetime) -> None:
    rows = list(Notice.objects.filter(site=site, created_at__gte=start, created_at__lt=end)
                .values_list("ground", "status", "outcome", "created_at", "decided_at"))
    report.notices = len(rows)
    report.notices_by_ground = Counter(ground for ground, *_rest in rows).most_common()
    report.notices_restricted = sum(1 for r in rows if r[2] == NoticeOutcome.RESTRICTED)
    report.notices_no_action = sum(1 for r in rows if r[2] == NoticeOutcome.NO_ACTION)
    report.notices_void = sum(1 for r in rows if r[1] == NoticeStatus.VOID)
    report.notices_open = sum(1 for r in rows if r[4] is None)
    hours = [(r[4] - r[3]).total_seconds() / 3600 for r in rows if r[4] is not None]
    report.median_hours_to_notice_decision = (round(statistics.median(hours), 2)
                                              if hours else None)
    report.trusted_flaggers = [f for f in trusted_flagger_figures(since=start, until=end,
                                                                  site=site) if f["notices"]]
    actions = Counter(AuditEntry.objects.filter(
        site=site, created_at__gte=start, created_at__lt=end,
        action__in=("misuse.warn", "misuse.suspend")).values_list("action", flat=True))
    report.misuse_warnings = actions.get("misuse.warn", 0)
    report.misuse_suspensions = actions.get("misuse.suspend", 0)


def _appeals(report: MonthReport, site: Site, start: dt.datetime, end: dt.datetime) -> None:
    try:
        appeal = apps.get_model("moderation", "Appeal")
    except LookupError:
        return
    rows = list(appeal.objects.filter(comment__story__site=site, created_at__gte=start,
                                      created_at__lt=end)
                .values_list("status", "created_at", "decided_at"))
    statuses = Counter(status for status, _at, _decided in rows)
    hours = [(decided - at).total_seconds() / 3600 for _s, at, decided in rows if decided]
    report.median_hours_to_appeal_decision = round(statistics.median(hours), 2) if hours else None
    report.appeals = sum(statuses.values())
    report.appeals_open = statuses.get("open", 0)
    report.appeals_upheld = statuses.get("upheld", 0)
    report.appeals_overturned = statuses.get("overturned", 0)
