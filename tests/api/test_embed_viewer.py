"""The widget's bootstrap tells a signed-in reader about a doubted name and unread notices."""

from __future__ import annotations

import pytest

from tests.conftest import Api, make_account, make_site, make_staff, make_story, token_for

pytestmark = pytest.mark.calendar

EMBED = "sites/daily/stories/1.1/embed"


def test_the_bootstrap_follows_a_doubted_name_until_its_owner_confirms_it(api: Api) -> None:
    site, _key = make_site()
    make_story(site, "1.1")
    account = make_account()
    reader = Api(token_for(account))
    moderator = Api(token_for(make_staff(sites=[site])))
    reader.post("sites/daily/stories/1.1/comments", {"body": "First words.", "accept_terms": True})
    assert reader.get(EMBED).json()["viewer"]["name_status"] == "ok"
    flagged = moderator.post(f"moderation/accounts/{account.pk}/name-flag")
    assert flagged.status_code == 200, flagged.json()
    assert reader.get(EMBED).json()["viewer"]["name_status"] == "flagged"
    held = reader.post("sites/daily/stories/1.1/comments",
                       {"body": "Held for my name.", "accept_terms": True}).json()
    assert (held["status"], held["guidelines"]) == ("pending", ["real-names"])
    assert reader.post("me/name/confirm").status_code == 200
    assert reader.get(EMBED).json()["viewer"]["name_status"] == "confirmed"
    assert api.get(EMBED).json()["viewer"] is None


def test_the_bootstrap_lists_this_sites_unread_notices_until_each_is_acknowledged(
    api: Api
) -> None:
    site, _key = make_site()
    make_story(site, "1.1")
    make_site("other", origins=["https://other.example"])
    account = make_account()
    reader = Api(token_for(account))
    moderator = Api(token_for(make_staff(sites=[site])))
    admin = Api(token_for(make_staff(role="admin")))
    actions = f"moderation/accounts/{account.pk}/actions"
    reader.post("sites/daily/stories/1.1/comments", {"body": "Hello.", "accept_terms": True})
    warned = moderator.post(actions, {"kind": "warn", "site": "daily", "guideline": "respect",
                                      "message": "Please keep it civil."})
    assert warned.status_code == 201, warned.json()
    everywhere = admin.post(actions, {"kind": "suspend", "guideline": "spam", "days": 3})
    assert everywhere.status_code == 201, everywhere.json()
    elsewhere = admin.post(actions, {"kind": "warn", "site": "other", "guideline": "spam",
                                     "message": "Not about this site."})
    assert elsewhere.status_code == 201, elsewhere.json()
    moderator.post(actions, {"kind": "note", "site": "daily", "message": "Moderators only."})

    notices = reader.get(EMBED).json()["viewer"]["notices"]
    assert [(n["kind"], n["site"], n["guideline"], n["message"]) for n in notices] == [
        ("warn", "daily", "respect", "Please keep it civil."),
        ("suspend", None, "spam", ""),
    ]
    assert notices[0]["ends_at"] is None and notices[1]["ends_at"] is not None
    assert reader.post(f"me/notices/{notices[0]['id']}/seen").status_code == 204
    left = reader.get(EMBED).json()["viewer"]["notices"]
    assert [n["kind"] for n in left] == ["suspend"]
    # The other site's warning is still unread, for that site's widget.
    assert [n["message"] for n in reader.get("me/notices").json()["notices"]] == [
        "", "Not about this site."]
