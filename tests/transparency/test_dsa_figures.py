"""The monthly report and `townhall export-transparency --year Y` count notices by ground,
their outcomes and median time to decision, trusted flaggers' notices, appeals and their
reversals, automated against human decisions, and misuse measures."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from townhall.core import clock, proofofwork
from townhall.stories.models import Site

from tests.clock import Travel
from tests.conftest import Api, make_account, make_site, make_staff, make_story, token_for

MID_MONTH = dt.datetime(2027, 5, 14, 10, 0, tzinfo=ZoneInfo("America/Toronto"))


@pytest.fixture(autouse=True)
def _mid_month(travel: Travel, settings: Any) -> None:
    travel(MID_MONTH)
    settings.TOWNHALL_POW_BITS = 4


@pytest.fixture
def figures(db: None) -> Site:
    """On `daily`: two notices (one from a trusted flagger) decided, one open; an appeal of
    the removal, overturned by a second moderator."""
    site, _key = make_site()
    make_story(site, "s1")
    first, second = (Api(token_for(make_staff(sites=[site]))) for _ in range(2))
    admin = Api(token_for(make_staff(role="admin")))
    key = admin.post("moderation/trusted-flaggers", {"name": "Hate Watch",
                                                      "contact": "desk@hw.example"}).json()["key"]
    author = Api(token_for(make_account()))
    ids = [author.post("sites/daily/stories/s1/comments",
                       {"body": f"Opinion number {n}.", "accept_terms": True}).json()["id"]
           for n in range(3)]
    visitor = Api()
    for comment_id, ground in ((ids[0], "defamation"), (ids[2], "fraud")):
        issued = visitor.get("notices/challenge").json()
        visitor.post("notices", {
            "comment_id": comment_id, "ground": ground, "explanation": "Illegal, I think.",
            "name": "Claire Fontaine", "email": "claire@example.org", "good_faith": True,
            "challenge": issued["challenge"],
            "nonce": proofofwork.solve(issued["challenge"], issued["bits"])})
    Api().post("notices", {"comment_id": ids[1], "ground": "hate", "flagger_key": key,
                           "explanation": "Incites hatred against a group.", "good_faith": True})
    queue = first.get("moderation/notices").json()["notices"]
    flagged = next(n for n in queue if n["trusted_flagger"])
    defamation = next(n for n in queue if n["ground"] == "defamation")
    first.post(f"moderation/notices/{flagged['id']}/decision",
               {"outcome": "restrict", "guideline": "hate", "reasons": "Hate."})
    first.post(f"moderation/notices/{defamation['id']}/decision",
               {"outcome": "no_action", "reasons": "Fair comment."})
    author.post(f"comments/{ids[1]}/appeal", {"message": "Please look again."})
    second.post(f"moderation/appeals/{ids[1]}/decision", {"outcome": "overturn"})
    return site


def test_the_monthly_report_shows_notices_flaggers_and_appeals(figures: Site) -> None:
    month = clock.now().strftime("%Y-%m")
    page = Client().get(f"/transparency/daily/{month}/").content.decode()
    assert "Notices of illegal content" in page
    assert "Defamation" in page and "Fraud or scam" in page
    assert "Trusted flagger Hate Watch" in page
    french = Client().get(f"/transparency/daily/{month}/?lang=fr").content.decode()
    assert "Notifications de contenu illicite" in french and "Diffamation" in french


def test_the_yearly_csv_has_the_harmonised_sections(figures: Site) -> None:
    out = io.StringIO()
    call_command("export_transparency", year=clock.now().year, stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    value = {(r["section"], r["metric"], r["breakdown"]): r["value"] for r in rows}
    assert value[("notices_art16", "notices_received", "")] == "3"
    assert value[("notices_art16", "notices_received_by_ground", "Defamation")] == "1"
    assert value[("notices_art16", "notices_from_trusted_flaggers", "")] == "1"
    assert value[("notices_art16", "actions_content_removed", "")] == "1"
    assert value[("notices_art16", "no_action", "")] == "1"
    assert value[("notices_art16", "notices_open", "")] == "1"
    assert value[("notices_art16", "median_hours_to_decision", "")] != ""
    assert value[("complaints_art20", "complaints_received", "")] == "1"
    assert value[("complaints_art20", "decisions_reversed", "")] == "1"
    assert int(value[("automated_means", "decisions_by", "people")]) >= 2
    assert value[("trusted_flaggers_art22", "notices", "Hate Watch")] == "1"
    assert {r["site"] for r in rows} == {"daily"}
    assert "claire" not in out.getvalue()


def test_the_yearly_csv_refuses_an_unknown_site(figures: Site) -> None:
    with pytest.raises(CommandError):
        call_command("export_transparency", year=2027, site="nowhere", stdout=io.StringIO())
    empty = io.StringIO()
    call_command("export_transparency", year=2001, site="daily", stdout=empty)
    rows = list(csv.DictReader(io.StringIO(empty.getvalue())))
    assert rows and all(r["value"] in ("0", "", "0.0") for r in rows)
