"""The yearly figures as CSV, in the shape of the DSA's harmonised transparency-report
templates (Commission Implementing Regulation (EU) 2024/2835): one row per figure, named by
the template's section (notices under art. 16, own-initiative moderation, complaints under
art. 20, misuse under art. 23, automated means, trusted flaggers under art. 22), with its
breakdown (a ground, a decider, a flagger) and the site it counts."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from townhall.moderation.models import NoticeGround
from townhall.stories.models import Site
from townhall.transparency.report import MonthReport, year_report

COLUMNS = ("site", "period_start", "period_end", "section", "metric", "breakdown", "value")


def _hours(median: float | None) -> object:
    """A median in hours, or an empty cell when nothing was decided."""
    return "" if median is None else median


def _rows(report: MonthReport) -> Iterator[tuple[str, str, str, object]]:
    """Yield (section, metric, breakdown, value) for one site's year."""
    yield "notices_art16", "notices_received", "", report.notices
    for ground, count in report.notices_by_ground:
        label = str(NoticeGround(ground).label) if ground in NoticeGround.values else ground
        yield "notices_art16", "notices_received_by_ground", label, count
    yield "notices_art16", "notices_from_trusted_flaggers", "", sum(
        f["notices"] for f in report.trusted_flaggers)
    yield "notices_art16", "actions_content_removed", "", report.notices_restricted
    yield "notices_art16", "no_action", "", report.notices_no_action
    yield "notices_art16", "notices_set_aside", "", report.notices_void
    yield "notices_art16", "notices_open", "", report.notices_open
    yield ("notices_art16", "median_hours_to_decision", "",
           _hours(report.median_hours_to_notice_decision))
    yield "notices_art16", "decided_by_automated_means_only", "", 0
    yield "own_initiative", "comments_received", "", report.received
    yield "own_initiative", "comments_held_for_review", "", report.held
    yield "own_initiative", "comments_removed", "", report.rejected
    for guideline, count in report.rejected_by_guideline:
        yield "own_initiative", "comments_removed_by_guideline", guideline or "unstated", count
    for decider, count in report.decided_by.items():
        yield "automated_means", "decisions_by", decider, count
    yield ("automated_means", "share_fully_automated", "",
           round(report.share("rules") + report.share("model") + report.share("automatic"), 4))
    yield "complaints_art20", "complaints_received", "", report.appeals
    yield "complaints_art20", "decisions_reversed", "", report.appeals_overturned
    yield "complaints_art20", "decisions_upheld", "", report.appeals_upheld
    yield "complaints_art20", "complaints_open", "", report.appeals_open
    yield ("complaints_art20", "median_hours_to_decision", "",
           _hours(report.median_hours_to_appeal_decision))
    yield "misuse_art23", "warnings", "", report.misuse_warnings
    yield "misuse_art23", "suspensions", "", report.misuse_suspensions
    for flagger in report.trusted_flaggers:
        yield "trusted_flaggers_art22", "notices", flagger["name"], flagger["notices"]
        yield "trusted_flaggers_art22", "content_removed", flagger["name"], flagger["restricted"]
        yield ("trusted_flaggers_art22", "median_hours_to_decision", flagger["name"],
               _hours(flagger["median_hours_to_decision"]))


def year_csv(year: int, *, sites: list[Site]) -> str:
    """Return the CSV of every site's figures for `year`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for site in sites:
        report = year_report(site, year)
        for section, metric, breakdown, value in _rows(report):
            writer.writerow((site.name, f"{year}-01-01", f"{year}-12-31", section, metric,
                             breakdown, value))
    return out.getvalue()
