"""The public monthly transparency report: right numbers, both languages, charts, no script."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from townhall.core import clock
from townhall.stories.models import Story

from tests.clock import Travel
from tests.conftest import make_account, make_staff, token_for
from tests.notify.conftest import post

pytestmark = pytest.mark.calendar

# Mid-month and mid-day in the report's time zone: the whole test runs inside one month.
MID_MONTH = dt.datetime(2027, 5, 14, 10, 0, tzinfo=ZoneInfo("America/Toronto"))


@pytest.fixture(autouse=True)
def _mid_month(travel: Travel) -> None:
    travel(MID_MONTH)


def _month() -> str:
    month = f"{timezone.localtime(clock.now()):%Y-%m}"
    assert month == "2027-05"
    return month


def _moderate(api: Any, staff: str, comment_id: int, **body: Any) -> None:
    response = api.as_(staff).post(f"moderation/comments/{comment_id}/decisions", body)
    assert response.status_code == 200, response.content


def test_the_report_counts_outcomes_deciders_guidelines_and_appeals(api: Any,
                                                                    story: Story) -> None:
    staff = token_for(make_staff(sites=[story.site]))
    second_staff = token_for(make_staff(sites=[story.site]))
    authors = [make_account() for _ in range(4)]
    ids = [post(api, token_for(a), f"Opinion number {n}.")["id"] for n, a in enumerate(authors)]
    _moderate(api, staff, ids[0], action="reject", guideline="respect")
    _moderate(api, staff, ids[1], action="reject", guideline="respect")
    appeal = api.as_(token_for(authors[1])).post(f"comments/{ids[1]}/appeal",
                                                 {"message": "I was polite."})
    assert appeal.status_code == 201, appeal.content
    decided = api.as_(second_staff).post(f"moderation/appeals/{ids[1]}/decision",
                                         {"outcome": "overturn"})
    assert decided.status_code == 200, decided.content

    redirect = Client().get("/transparency/daily/")
    assert redirect.status_code == 302 and redirect["Location"].endswith(f"/{_month()}/")
    page = Client().get(f"/transparency/daily/{_month()}/")
    html = page.content.decode()
    assert page.status_code == 200 and page["Content-Language"] == "en"
    assert "<script" not in html and "script-src 'self'" in page["Content-Security-Policy"]
    figures = {label: number for number, label in
               re.findall(r"<strong>([^<]+)</strong><span>([^<]+)</span>", html)}
    assert figures["comments received"] == "4"
    assert figures["published"] == "3"  # two left alone, one restored on appeal
    assert figures["rejected"] == "1"
    assert figures["appeals"] == "1"
    assert html.count("<svg") == 4
    assert "Appeals received</th><td>1" in html
    assert "Comment restored (appeal accepted)</th><td>1" in html
    assert re.search(r"People \(moderators\) — 3 \(", html)  # two rejections + the appeal
    assert re.search(r"Automatic \(nothing objected\) — 4 \(", html)

    french = Client().get(f"/transparency/daily/{_month()}/?lang=fr")
    assert french.status_code == 200 and french["Content-Language"] == "fr"
    assert 'lang="fr"' in french.content.decode()


def test_unknown_sites_and_months_are_not_found(db: None, story: Story) -> None:
    client = Client()
    assert client.get("/transparency/nope/").status_code == 404
    assert client.get("/transparency/daily/1999-01/").status_code == 404
    assert client.get("/transparency/daily/2024-13/").status_code == 404
