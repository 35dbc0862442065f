"""Figures for the dashboard's charts: the last seven days, hour by hour or day by day."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncHour
from django.utils import timezone

from townhall.comments.models import Comment, Status
from townhall.core import clock
from townhall.moderation.models import Decision, Source

DAYS = 7


@dataclass
class Week:
    hours: list[dt.datetime]
    comments_per_hour: list[int]
    queue_size: list[int | None]
    days: list[dt.date]
    median_minutes: list[float | None]
    rejections_by_guideline: list[tuple[str, int]]
    model_holds: int
    model_holds_approved: int

    @property
    def model_approved_share(self) -> float | None:
        if not self.model_holds:
            return None
        return self.model_holds_approved / self.model_holds


def _scope(query: Any, site_ids: list[int] | None, path: str) -> Any:
    return query if site_ids is None else query.filter(**{f"{path}__in": site_ids})


def week(site_ids: list[int] | None, *, now: dt.datetime | None = None) -> Week:
    """Return the last seven days' figures for the given sites (None: every site)."""
    now = now or clock.now()
    # Whole local days, today included (its remaining hours stay empty).
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    start = midnight - dt.timedelta(days=DAYS - 1)
    hours = [start + dt.timedelta(hours=n) for n in range(DAYS * 24)]

    per_hour = [0] * len(hours)
    comments = _scope(Comment.objects.filter(created_at__gte=start), site_ids, "story__site_id")
    for row in comments.annotate(hour=TruncHour("created_at", tzinfo=dt.UTC)).values(
            "hour").annotate(n=Count("id")):
        slot = _slot(row["hour"], start)
        if slot is not None:
            per_hour[slot] += row["n"]

    decisions = _scope(Decision.objects.filter(created_at__gte=start), site_ids,
                       "comment__story__site_id")
    delta = [0] * len(hours)
    for old, new, at in decisions.filter(
        Q(new_status=Status.PENDING) | Q(old_status=Status.PENDING)
    ).exclude(old_status=new_status_ref()).values_list("old_status", "new_status", "created_at"):
        slot = _slot(at, start)
        if slot is None:
            continue
        delta[slot] += (1 if new == Status.PENDING else 0) - (1 if old == Status.PENDING else 0)
    pending_now = _scope(Comment.objects.filter(status=Status.PENDING), site_ids,
                         "story__site_id").count()
    queue: list[int | None] = [None] * len(hours)
    size = pending_now
    current = _slot(now, start)
    for n in range(len(hours) - 1, -1, -1):
        if current is not None and n > current:
            continue
        queue[n] = max(size, 0)
        size -= delta[n]

    days = [(start + dt.timedelta(days=n, hours=12)).date() for n in range(DAYS)]
    waits: list[list[float]] = [[] for _ in days]
    for at, created in decisions.filter(source=Source.MODERATOR).values_list(
            "created_at", "comment__created_at"):
        slot = _slot(at, start)
        if slot is not None:
            waits[slot // 24].append((at - created).total_seconds() / 60)
    medians = [round(statistics.median(w), 1) if w else None for w in waits]

    rejections = list(
        decisions.filter(new_status=Status.REJECTED).exclude(guideline="")
        .values_list("guideline").annotate(n=Count("id")).order_by("-n", "guideline")
    )
    held_by_model = set(decisions.filter(source=Source.MODEL, new_status=Status.PENDING)
                        .values_list("comment_id", flat=True))
    outcomes: dict[int, str] = {}
    for comment_id, new in (Decision.objects.filter(comment_id__in=held_by_model,
                                                    source=Source.MODERATOR)
                            .order_by("created_at", "id").values_list("comment_id",
                                                                      "new_status")):
        outcomes[comment_id] = new
    return Week(
        hours=hours, comments_per_hour=per_hour, queue_size=queue, days=days,
        median_minutes=medians, rejections_by_guideline=[(g, n) for g, n in rejections],
        model_holds=len(outcomes),
        model_holds_approved=sum(1 for v in outcomes.values() if v == Status.PUBLISHED),
    )


def new_status_ref() -> Any:
    from django.db.models import F

    return F("new_status")


def _slot(moment: dt.datetime, start: dt.datetime) -> int | None:
    seconds = (moment - start).total_seconds()
    if seconds < 0 or seconds >= DAYS * 86400:
        return None
    return int(seconds // 3600)
