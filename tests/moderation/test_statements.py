"""Statements of reasons (DSA art. 17): every rejection tells its author, in their language,
what was restricted, the ground, whether automated means detected or decided it, and the
redress; the text is read from the decision record."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from townhall.stories.models import Site

from tests.conftest import (
    PASSWORD,
    Api,
    Outbox,
    make_account,
    make_site,
    make_staff,
    make_story,
    token_for,
    undo_window_passes,
)

PATH = "sites/daily/stories/s1/comments"


@pytest.fixture
def site(db: None) -> Site:
    site, _key = make_site()
    make_story(site, "s1", title="Council approves the new bridge")
    return site


@pytest.fixture
def moderator(site: Site) -> Api:
    return Api(token_for(make_staff(sites=[site])))


def post(client: Api, body: str) -> dict[str, Any]:
    response = client.post(PATH, {"body": body, "accept_terms": True})
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_moderators_rejection_of_a_model_hold_gives_the_author_a_statement(
    site: Site, moderator: Api, outbox: Outbox
) -> None:
    author = Api(token_for(make_account(email_address="ines@example.org")))
    held = post(author, "Only an idiot would vote for this bridge.")
    moderator.post(f"moderation/comments/{held['id']}/decisions",
                   {"action": "reject", "guideline": "respect", "note": "No insults, please."})

    mine = author.get("me/comments").json()["comments"][0]
    statement = mine["statement"]
    assert statement["restriction"] == "comment_removed"
    assert statement["ground"] == "guideline"
    assert statement["guideline"] == {"code": "respect",
                                      "title": "Be respectful: no personal attacks"}
    assert statement["detected_by"] == "model" and statement["model_version"] == "fake-1"
    assert statement["decided_by"] == "person" and statement["automated_detection"] is True
    assert statement["automated_decision"] == "not"
    assert statement["appeal_until"] == mine["appeal_until"]
    text = "\n".join(statement["text"])
    assert "Be respectful" in text and "No insults, please." in text
    assert "language model (version fake-1)" in text and "taken by a person" in text
    assert "out-of-court dispute settlement body" in text and "courts" in text

    undo_window_passes()
    email = outbox.body(outbox.to("ines@example.org")[-1])
    assert "Statement of reasons" in email and "language model (version fake-1)" in email


def test_a_word_rule_rejection_is_stated_as_fully_automated(site: Site, moderator: Api) -> None:
    added = moderator.post("moderation/sites/daily/words",
                           {"phrase": "bridgetroll", "action": "block", "guideline": "respect"})
    assert added.status_code == 201, added.json()
    author = Api(token_for(make_account()))
    made = post(author, "You are a bridgetroll.")
    assert made["status"] == "rejected"

    statement = author.get("me/comments").json()["comments"][0]["statement"]
    assert statement["detected_by"] == "rule" and statement["decided_by"] == "rule"
    assert statement["automated_decision"] == "fully" and statement["rule"]
    assert "automated means alone" in " ".join(statement["text"])


def test_a_french_author_reads_the_statement_in_french(site: Site, moderator: Api) -> None:
    author = Api(token_for(make_account(language="fr")))
    held = post(author, "Only an idiot would say that.")
    moderator.post(f"moderation/comments/{held['id']}/decisions",
                   {"action": "reject", "guideline": "respect"})

    statement = author.get("me/comments").json()["comments"][0]["statement"]
    assert statement["language"] == "fr"
    text = " ".join(statement["text"])
    assert "Ce qui a été restreint" in text and "modèle de langue" in text
    assert "règlement extrajudiciaire" in text


def test_the_widget_shows_the_statement_beside_the_rejected_comment(
    site: Site, moderator: Api
) -> None:
    author = Api(token_for(make_account()))
    held = post(author, "What a moron.")
    moderator.post(f"moderation/comments/{held['id']}/decisions",
                   {"action": "reject", "guideline": "respect"})
    thread = author.get("sites/daily/stories/s1/comments").json()
    rejected = thread["my_rejected"][0]
    assert rejected["statement"]["decision_id"] and rejected["statement"]["text"]


def test_published_and_pending_comments_have_no_statement(site: Site) -> None:
    author = Api(token_for(make_account()))
    post(author, "A fine bridge.")
    post(author, "Only an idiot would disagree.")
    rows = author.get("me/comments").json()["comments"]
    assert [r["statement"] for r in rows] == [None, None]


def test_another_reader_never_sees_an_authors_statement(site: Site, moderator: Api) -> None:
    author = Api(token_for(make_account()))
    held = post(author, "What an idiot.")
    moderator.post(f"moderation/comments/{held['id']}/decisions",
                   {"action": "reject", "guideline": "respect"})
    other = Api(token_for(make_account()))
    assert other.get("me/comments").json()["comments"] == []
    assert other.get("sites/daily/stories/s1/comments").json()["my_rejected"] == []


def test_the_my_comments_page_shows_the_statement_in_french(site: Site, moderator: Api) -> None:
    account = make_account(language="fr")
    held = post(Api(token_for(account)), "What an idiot.")
    moderator.post(f"moderation/comments/{held['id']}/decisions",
                   {"action": "reject", "guideline": "respect"})
    client = Client()
    assert client.post("/accounts/sign-in/", {"email": account.email,
                                              "password": PASSWORD}).status_code == 302
    page = client.get("/accounts/comments/").content.decode()
    assert "Exposé des motifs" in page and "Ce qui a été restreint" in page


def test_a_sites_longer_appeal_window_is_stated_and_applied(site: Site, moderator: Api) -> None:
    import datetime as dt

    from townhall.moderation.models import Decision

    moderator.patch("moderation/sites/daily/settings", {"appeal_days": 365})
    author = Api(token_for(make_account()))
    held = post(author, "What an idiot.")
    moderator.post(f"moderation/comments/{held['id']}/decisions",
                   {"action": "reject", "guideline": "respect"})
    decided = Decision.objects.get(comment_id=held["id"], rule="reject").created_at
    mine = author.get("me/comments").json()["comments"][0]
    until = dt.datetime.fromisoformat(mine["statement"]["appeal_until"].replace("Z", "+00:00"))
    assert abs(until - (decided + dt.timedelta(days=365))) < dt.timedelta(seconds=1)
    assert mine["appeal_until"] == mine["statement"]["appeal_until"]
    refused = moderator.patch("moderation/sites/daily/settings", {"appeal_days": 90})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "appeal_days"


def test_a_hold_that_lasts_past_a_day_gets_a_statement(site: Site, travel: Any) -> None:
    import datetime as dt

    from townhall.core import clock

    author = Api(token_for(make_account()))
    held = post(author, "Only an idiot would build it there.")
    assert author.get("me/comments").json()["comments"][0]["statement"] is None
    travel(clock.now() + dt.timedelta(hours=25))
    statement = author.get("me/comments").json()["comments"][0]["statement"]
    assert statement["restriction"] == "comment_held" and statement["appeal_until"] is None
    assert statement["detected_by"] == "model" and statement["decided_by"] == "model"
    text = " ".join(statement["text"])
    assert "held for review since" in text and "you will be told the decision" in text
    assert held["status"] == "pending"
