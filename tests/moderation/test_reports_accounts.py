"""Reader reports, account actions and notices, guidelines and site settings."""

from __future__ import annotations

from typing import Any

import pytest

from townhall.comments.models import Comment
from townhall.moderation.models import Decision, GuidelineSet
from townhall.stories.models import Site

from tests.conftest import (
    Api,
    make_account,
    make_commenter,
    make_site,
    make_staff,
    make_story,
    token_for,
)

PATH = "sites/daily/stories/s1/comments"


@pytest.fixture
def site(db: None) -> Site:
    site, _key = make_site()
    make_story(site, "s1")
    return site


@pytest.fixture
def moderator(site: Site) -> Api:
    return Api(token_for(make_staff(sites=[site])))


def post(client: Api, body: str) -> dict[str, Any]:
    response = client.post(PATH, {"body": body, "accept_terms": True})
    assert response.status_code == 201, response.json()
    return response.json()


def test_three_reports_in_good_standing_hold_a_comment_and_staff_see_reasons(
    site: Site, moderator: Api
) -> None:
    comment = post(Api(token_for(make_account())), "A contested opinion.")
    banned = make_commenter(site)
    moderator.post(f"moderation/accounts/{banned.pk}/actions",
                   {"kind": "ban", "site": "daily", "guideline": "respect"})
    reporters = [Api(token_for(banned))] + [Api(token_for(make_account())) for _ in range(3)]
    reasons = ["respect", "respect", "other", "hate"]
    texts = ["", "", "Feels like trolling", ""]
    for n, (client, reason) in enumerate(zip(reporters, reasons, strict=True)):
        made = client.post(f"comments/{comment['id']}/reports", {"reason": reason,
                                                                 "text": texts[n]})
        assert made.status_code == 201, made.json()
        status = Comment.objects.get(pk=comment["id"]).status
        assert status == ("pending" if n == 3 else "published"), n
    decision = Decision.objects.filter(comment_id=comment["id"]).last()
    assert decision is not None and decision.rule == "reader_reports"
    assert decision.guideline in ("respect", "hate")
    reported = moderator.get("moderation/queues/reported").json()["comments"]
    assert reported[0]["report_count"] == 4
    assert sorted(r["reason"] for r in reported[0]["reports"]) == sorted(reasons)
    moderator.post(f"moderation/comments/{comment['id']}/decisions", {"action": "approve"})
    assert moderator.get("moderation/queues/reported").json()["comments"] == []


def test_one_report_per_account_and_none_on_your_own(site: Site) -> None:
    author = Api(token_for(make_account()))
    comment = post(author, "Mine.")
    reader = Api(token_for(make_account()))
    assert reader.post(f"comments/{comment['id']}/reports", {"reason": "spam"}).status_code == 201
    again = reader.post(f"comments/{comment['id']}/reports", {"reason": "spam"})
    assert again.status_code == 409 and again.json()["errors"][0]["code"] == "already_reported"
    assert author.post(f"comments/{comment['id']}/reports",
                       {"reason": "spam"}).status_code == 409
    bad = Api(token_for(make_account())).post(f"comments/{comment['id']}/reports",
                                              {"reason": "nonsense"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "reason"
    other = Api(token_for(make_account())).post(f"comments/{comment['id']}/reports",
                                                {"reason": "other"})
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "text"
    assert Api().post(f"comments/{comment['id']}/reports", {"reason": "spam"}).status_code == 401


def test_a_warning_is_shown_to_the_author_until_acknowledged(site: Site, moderator: Api) -> None:
    account = make_commenter(site)
    author = Api(token_for(account))
    warned = moderator.post(f"moderation/accounts/{account.pk}/actions",
                            {"kind": "warn", "site": "daily", "guideline": "respect",
                             "message": "Please keep it civil."})
    assert warned.status_code == 201
    notices = author.get("me/notices").json()["notices"]
    assert [(n["kind"], n["message"]) for n in notices] == [("warn", "Please keep it civil.")]
    assert author.post(f"me/notices/{notices[0]['id']}/seen").status_code == 204
    assert author.get("me/notices").json()["notices"] == []
    stranger = Api(token_for(make_account()))
    assert stranger.post(f"me/notices/{notices[0]['id']}/seen").status_code == 404


def test_ban_everywhere_is_for_admins_and_can_reject_all_comments(site: Site,
                                                                 moderator: Api) -> None:
    account = make_account()
    author = Api(token_for(account))
    ids = [post(author, f"Comment {n} here.")["id"] for n in range(2)]
    everywhere = moderator.post(f"moderation/accounts/{account.pk}/actions",
                                {"kind": "ban", "guideline": "respect"})
    assert everywhere.status_code == 403
    admin = Api(token_for(make_staff(role="admin")))
    banned = admin.post(f"moderation/accounts/{account.pk}/actions",
                        {"kind": "ban", "guideline": "threats", "reject_comments": True})
    assert banned.status_code == 201, banned.json()
    assert set(Comment.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        "rejected"}
    record = admin.get(f"moderation/accounts/{account.pk}").json()
    assert record["rejected"] == 2 and record["sanctions"][0]["kind"] == "ban"
    assert [h["rule"] for h in record["history"]][:2] == ["ban", "ban"]
    assert Api().get(PATH).json()["comments"] == []


def test_account_actions_validate_their_input(site: Site, moderator: Api) -> None:
    account = make_commenter(site)
    cases = [({"kind": "nap", "site": "daily"}, "kind"),
             ({"kind": "suspend", "site": "daily", "guideline": "respect"}, "days"),
             ({"kind": "suspend", "site": "daily", "guideline": "respect", "days": 999}, "days"),
             ({"kind": "ban", "site": "daily"}, "guideline"),
             ({"kind": "note", "site": "daily"}, "message")]
    for body, field in cases:
        response = moderator.post(f"moderation/accounts/{account.pk}/actions", body)
        assert response.status_code == 422, body
        assert response.json()["errors"][0]["field"] == field
    note = moderator.post(f"moderation/accounts/{account.pk}/actions",
                          {"kind": "note", "site": "daily", "message": "Knows the mayor."})
    assert note.status_code == 201
    unknown = moderator.post(f"moderation/accounts/{account.pk}/actions",
                             {"kind": "note", "site": "nowhere", "message": "x"})
    assert unknown.status_code == 404


def test_guidelines_are_public_in_both_languages(site: Site) -> None:
    english = Api().get("sites/daily/guidelines?lang=en").json()
    assert english["version"] == 1 and len(english["guidelines"]) == 9
    assert english["guidelines"][0] == {
        "code": "respect", "title": "Be respectful: no personal attacks",
        "explanation": english["guidelines"][0]["explanation"]}
    french = Api().get("sites/daily/guidelines?lang=fr").json()
    assert french["guidelines"][0]["title"].startswith("Soyez respectueux")
    assert french["translations"]["en"] == english["guidelines"]
    assert Api().get("sites/daily/guidelines?lang=de").status_code == 422
    page = Api().client.get("/guidelines/daily/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Be respectful: no personal attacks" in html and "Soyez respectueux" in html


def test_staff_publish_a_new_version_of_the_guidelines(site: Site, moderator: Api) -> None:
    items = Api().get("sites/daily/guidelines").json()["translations"]
    merged = [{"code": e["code"], "title": {"en": e["title"], "fr": f["title"]},
               "explanation": {"en": e["explanation"], "fr": f["explanation"]}}
              for e, f in zip(items["en"], items["fr"], strict=True)]
    merged.append({"code": "elections", "title": {"en": "No election ads", "fr": "Pas de pub"},
                   "explanation": {"en": "During the campaign.", "fr": "Pendant la campagne."}})
    published = moderator.put("moderation/sites/daily/guidelines", {"items": merged})
    assert published.status_code == 200, published.json()
    assert published.json()["version"] == 2
    assert GuidelineSet.objects.filter(site=site).count() == 2
    merged[-1]["title"]["fr"] = ""
    bad = moderator.put("moderation/sites/daily/guidelines", {"items": merged})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "items.9.title.fr"
    reader = Api(token_for(make_account()))
    assert reader.put("moderation/sites/daily/guidelines", {"items": merged}).status_code == 403


def test_settings_refuse_bad_values_naming_the_field(site: Site, moderator: Api) -> None:
    for body, field in [({"toxicity_hold": 1.5}, "toxicity_hold"),
                        ({"toxicity_hold": 0.9, "toxicity_reject": 0.5}, "toxicity_reject"),
                        ({"link_policy": "maybe"}, "link_policy"),
                        ({"link_domains": ["not a domain"]}, "link_domains"),
                        ({"new_commenter_holds": -1}, "new_commenter_holds"),
                        ({"trusted_skips": ["sanctions"]}, "trusted_skips"),
                        ({"colour": "red"}, "colour")]:
        response = moderator.patch("moderation/sites/daily/settings", body)
        assert response.status_code == 422, body
        assert response.json()["errors"][0]["field"] == field
    ok = moderator.patch("moderation/sites/daily/settings", {"report_threshold": 5}).json()
    assert ok["report_threshold"] == 5 and ok["new_commenter_holds"] == 0
