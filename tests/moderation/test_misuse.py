"""Misuse (DSA art. 23): authors of manifestly illegal comments and notifiers of manifestly
unfounded notices are warned, then suspended for a set time, with a statement of reasons."""

from __future__ import annotations

from typing import Any

import pytest

from townhall.core import proofofwork
from townhall.stories.models import Site

from tests.conftest import Api, Outbox, make_account, make_site, make_staff, make_story, token_for


@pytest.fixture(autouse=True)
def _easy_work(settings: Any) -> None:
    settings.TOWNHALL_POW_BITS = 4
    settings.TOWNHALL_MISUSE_WARN_AFTER = 1
    settings.TOWNHALL_MISUSE_SUSPEND_AFTER = 2
    settings.TOWNHALL_MISUSE_SUSPEND_DAYS = 30


@pytest.fixture
def site(db: None) -> Site:
    site, _key = make_site()
    make_story(site, "s1")
    return site


@pytest.fixture
def moderator(site: Site) -> Api:
    return Api(token_for(make_staff(sites=[site])))


def comment(author: Api, body: str) -> int:
    made = author.post("sites/daily/stories/s1/comments", {"body": body, "accept_terms": True})
    assert made.status_code == 201, made.json()
    return int(made.json()["id"])


def file(comment_id: int, email: str = "claire@example.org") -> Any:
    visitor = Api()
    issued = visitor.get("notices/challenge").json()
    return visitor.post("notices", {
        "comment_id": comment_id, "ground": "hate", "explanation": "This incites hatred.",
        "name": "Claire Fontaine", "email": email, "good_faith": True,
        "challenge": issued["challenge"],
        "nonce": proofofwork.solve(issued["challenge"], issued["bits"])})


def decide(moderator: Api, outcome: str, **flags: Any) -> dict[str, Any]:
    notice_id = moderator.get("moderation/notices").json()["notices"][0]["id"]
    decided = moderator.post(f"moderation/notices/{notice_id}/decision",
                             {"outcome": outcome, "reasons": "Reviewed.", **flags})
    assert decided.status_code == 200, decided.json()
    return dict(decided.json())


def test_an_author_of_manifestly_illegal_comments_is_warned_then_suspended(
    site: Site, moderator: Api
) -> None:
    author = Api(token_for(make_account(language="fr")))
    file(comment(author, "First hateful comment."))
    decide(moderator, "restrict", guideline="hate", manifestly_illegal=True)
    warned = author.get("me/notices").json()["notices"]
    assert [n["kind"] for n in warned] == ["warn"]
    assert "manifestement illicite" in warned[0]["message"]

    file(comment(author, "Second hateful comment."))
    decide(moderator, "restrict", guideline="hate", manifestly_illegal=True)
    kinds = [n["kind"] for n in author.get("me/notices").json()["notices"]]
    assert "suspend" in kinds
    refused = author.post("sites/daily/stories/s1/comments",
                          {"body": "Am I still here?", "accept_terms": True})
    assert refused.json()["status"] == "rejected"  # the sanctions phase rejects it


def test_a_removal_not_marked_manifest_does_not_count(site: Site, moderator: Api) -> None:
    author = Api(token_for(make_account()))
    file(comment(author, "A borderline comment."))
    decide(moderator, "restrict", guideline="hate")
    assert author.get("me/notices").json()["notices"] == []


def test_a_notifier_of_manifestly_unfounded_notices_is_warned_then_refused(
    site: Site, moderator: Api, outbox: Outbox
) -> None:
    author = Api(token_for(make_account()))
    target = comment(author, "A calm opinion about the bridge.")
    file(target)
    decide(moderator, "no_action", manifestly_unfounded=True)
    assert "Warning" in outbox.body(outbox.to("claire@example.org")[-1])
    file(target)
    decide(moderator, "no_action", manifestly_unfounded=True)
    assert "refused until" in outbox.body(outbox.to("claire@example.org")[-1])
    refused = file(target)
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["code"] == "notices_suspended"
    assert file(target, email="someone.else@example.org").status_code == 201


def test_a_suspension_or_ban_comes_with_its_statement_of_reasons(
    site: Site, moderator: Api, outbox: Outbox
) -> None:
    account = make_account(language="fr", email_address="odile@example.org")
    author = Api(token_for(account))
    comment(author, "Bonjour tout le monde.")
    acted = moderator.post(f"moderation/accounts/{account.pk}/actions",
                           {"kind": "suspend", "site": "daily", "guideline": "respect",
                            "days": 7, "message": "Insultes répétées."})
    assert acted.status_code in (200, 201), acted.json()
    [notice] = author.get("me/notices").json()["notices"]
    text = " ".join(notice["statement"])
    assert "Ce qui a été restreint" in text and "Insultes répétées." in text
    assert "règlement extrajudiciaire" in text
    email = outbox.body(outbox.to("odile@example.org")[-1])
    assert "Exposé des motifs" in email and "Insultes répétées." in email
    warned = moderator.post(f"moderation/accounts/{account.pk}/actions",
                            {"kind": "warn", "site": "daily", "guideline": "respect",
                             "message": "Dernier avertissement."})
    assert warned.status_code in (200, 201)
    kinds = {n["kind"]: n["statement"] for n in author.get("me/notices").json()["notices"]}
    assert kinds["warn"] is None
