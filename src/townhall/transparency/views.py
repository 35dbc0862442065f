"""The public transparency report pages."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from townhall.moderation.models import NoticeGround
from townhall.stories.models import Site
from townhall.transparency import charts
from townhall.transparency.report import MonthReport, month_report, months_of


def _site(name: str) -> Site:
    site = Site.objects.filter(name=name).first()
    if site is None:
        raise Http404(_("Unknown site."))
    return site


def _language(request: HttpRequest, site: Site) -> str:
    wanted = request.GET.get("lang", "")
    return wanted if wanted in ("en", "fr") else site.default_language


def guideline_titles(site: Site, language: str) -> dict[str, str]:
    """Return guideline codes → titles in the language (codes stay when no title is known)."""
    try:
        model = apps.get_model("moderation", "GuidelineSet")
    except LookupError:
        return {}
    titles: dict[str, str] = {}
    # Older versions first, so the current wording wins.
    for row in model.objects.filter(site=site).order_by("version"):
        for item in row.items:
            title = item.get("title", {})
            titles[item["code"]] = title.get(language) or title.get("en") or item["code"]
    return titles


@require_GET
def latest(request: HttpRequest, site: str) -> HttpResponse:
    """Send readers to the current month's report."""
    found = _site(site)
    month = months_of(found)[0]
    suffix = f"?lang={request.GET['lang']}" if request.GET.get("lang") in ("en", "fr") else ""
    return HttpResponseRedirect(f"/transparency/{found.name}/{month:%Y-%m}/{suffix}")


@require_GET
def month_page(request: HttpRequest, site: str, year: int, month: int) -> HttpResponse:
    """One site's report for one month, with charts, in English or French (`?lang=`)."""
    found = _site(site)
    try:
        wanted = dt.date(year, month, 1)
    except ValueError:
        raise Http404(_("Unknown month.")) from None
    months = months_of(found)
    if wanted not in months:
        raise Http404(_("No report for this month."))
    language = _language(request, found)
    with translation.override(language):
        report = month_report(found, wanted)
        context = _context(report, months, language)
        response = render(request, "transparency/month.html", context)
    response["Content-Language"] = language
    response["Cache-Control"] = "public, max-age=300"
    return response


def _context(report: MonthReport, months: list[dt.date], language: str) -> dict[str, object]:
    month_name = formats.date_format(report.month, "F Y")
    titles = guideline_titles(report.site, language)
    by_guideline = [(titles.get(code, code) if code else _("Not specified"), count)
                    for code, count in report.rejected_by_guideline]
    deciders = [(_("People (moderators)"), report.decided_by.get("people", 0)),
                (_("Rules (word lists, limits)"), report.decided_by.get("rules", 0)),
                (_("The toxicity model"), report.decided_by.get("model", 0)),
                (_("Automatic (nothing objected)"), report.decided_by.get("automatic", 0))]
    outcomes = [(_("Published"), report.published), (_("Rejected"), report.rejected),
                (_("Still waiting for review"), report.pending),
                (_("Withdrawn by their authors"), report.withdrawn)]
    median = report.median_minutes_to_decision
    return {
        "title": _("Transparency report · %(site)s · %(month)s") % {
            "site": report.site.title or report.site.name, "month": month_name},
        "report": report, "month_name": month_name, "language": language,
        "other_language": "fr" if language == "en" else "en",
        "months": months, "outcomes": outcomes, "deciders": deciders,
        "by_guideline": by_guideline,
        "notice_grounds": [(str(NoticeGround(code).label) if code in NoticeGround.values
                            else code, count) for code, count in report.notices_by_ground],
        "median": _duration(median) if median is not None else None,
        "charts": {
            "daily": charts.daily_bars(
                report.per_day, title=_("Comments received per day"),
                desc=_("%(count)d comments received in %(month)s.") % {
                    "count": report.received, "month": month_name}),
            "outcomes": charts.share_bar(
                outcomes, title=_("What happened to the comments received"),
                desc=", ".join(f"{label}: {value}" for label, value in outcomes)),
            "deciders": charts.share_bar(
                deciders, title=_("Who decided"),
                desc=", ".join(f"{label}: {value}" for label, value in deciders)),
            "guidelines": charts.horizontal_bars(
                by_guideline, title=_("Rejections by guideline"),
                desc=", ".join(f"{label}: {value}" for label, value in by_guideline)),
        },
    }


def _duration(minutes: float) -> str:
    if minutes < 1:
        return _("under a minute")
    if minutes < 90:
        return _("%(n)d minutes") % {"n": round(minutes)}
    if minutes < 48 * 60:
        return _("%(n).1f hours") % {"n": minutes / 60}
    return _("%(n).1f days") % {"n": minutes / 1440}
