"""Real names through the API: sign-up checks, changes, approvals, doubts and their history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from townhall.accounts.models import Account
from townhall.comments.models import Comment
from townhall.core import clock
from townhall.moderation.models import Decision
from townhall.stories.models import Site

from tests.conftest import PASSWORD, Api, make_account, make_site, make_staff, make_story, token_for

pytestmark = pytest.mark.calendar

THREAD = "sites/daily/stories/1.100/comments"


@pytest.fixture
def site(db: None) -> Site:
    site, _key = make_site()
    make_story(site)
    return site


@pytest.fixture
def moderator(site: Site) -> Api:
    return Api(token_for(make_staff(sites=[site])))


def sign_up(api: Api, first: str, last: str, **headers: str) -> Any:
    n = Account.objects.count() + 1
    return api.post("accounts", {"email": f"person{n}@example.org", "password": PASSWORD,
                                 "first_name": first, "last_name": last}, **headers)


def post(reader: Api, body: str = "A thought about the bridge.") -> dict[str, Any]:
    response = reader.post(THREAD, {"body": body, "accept_terms": True})
    assert response.status_code == 201, response.json()
    return response.json()


def public_names(api: Api) -> list[str]:
    return [c["author"]["display_name"] for c in Api().get(THREAD).json()["comments"]]


def later(monkeypatch: pytest.MonkeyPatch, **delta: float) -> None:
    moment = clock.now() + dt.timedelta(**delta)
    monkeypatch.setattr(clock, "now", lambda: moment)


def test_real_names_from_many_cultures_sign_up(api: Api) -> None:
    for first, last in [("Nguyễn", "Văn An"), ("Aoife", "Ní Bhriain"),
                        ("Ngozi", "Okonjo-Iweala"), ("Li", "Na")]:
        response = sign_up(api, first, last)
        assert response.status_code == 201, (first, last, response.json())
        assert response.json()["display_name"] == f"{first} {last}"


def test_pseudonyms_are_refused_naming_the_field_and_the_rule(api: Api) -> None:
    for first, last, code in [("TrollMaster99", "Smith", "handle"),
                              ("Concerned", "Citizen", "slogan"),
                              ("Mickey", "Mouse", "placeholder")]:
        response = sign_up(api, first, last)
        assert response.status_code == 422, (first, last)
        error = response.json()["errors"][0]
        assert error["field"] in {"first_name", "last_name"}
        assert error["code"] == code
        assert len(error["message"]) > 20
    assert Account.objects.count() == 0


def test_the_publishers_own_name_is_refused_on_its_pages(api: Api, site: Site) -> None:
    response = sign_up(api, "The Daily", "Example", Origin="https://news.example")
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "publisher_name"


def test_name_history_shows_moderators_every_name_with_when_and_why(
    api: Api, site: Site, moderator: Api
) -> None:
    created = sign_up(api, "Amara", "okafor")
    assert created.json()["display_name"] == "Amara Okafor"
    account = Account.objects.get(pk=created.json()["id"])
    account.email_verified_at = clock.now()
    account.save()
    reader = Api(token_for(account))
    renamed = reader.patch("me", {"first_name": "Amara", "last_name": "Okafor-Diallo"})
    assert renamed.status_code == 200 and renamed.json()["pending_approval"] is False
    post(reader)
    history = moderator.get(f"moderation/accounts/{account.pk}/names").json()
    assert [(e["display_name"], e["event"]) for e in history["history"]] == [
        ("Amara Okafor", "signup"), ("Amara Okafor-Diallo", "change")]
    assert history["email"] == account.email
    assert Api(token_for(make_account())).get(
        f"moderation/accounts/{account.pk}/names").status_code == 404


def test_moderators_see_only_accounts_active_on_their_sites(site: Site) -> None:
    reader = make_account()
    post(Api(token_for(reader)))
    elsewhere, _key = make_site("elsewhere")
    outsider = Api(token_for(make_staff(sites=[elsewhere])))
    admin = Api(token_for(make_staff(role="admin")))
    path = f"moderation/accounts/{reader.pk}/names"
    assert outsider.get(path).status_code == 404
    assert outsider.get("moderation/accounts/999999/names").status_code == 404
    assert Api().get(path).status_code == 401
    assert admin.get(path).status_code == 200


def test_a_second_change_within_30_days_answers_429_until_the_interval_passes(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = make_account(first_name="Lucas", last_name="Gagnon")
    reader = Api(token_for(account))
    assert reader.patch("me", {"first_name": "Luc", "last_name": "Gagnon"}).status_code == 200
    too_soon = reader.patch("me", {"first_name": "Lucas", "last_name": "Gagnon-Roy"})
    assert too_soon.status_code == 429
    assert too_soon.json()["errors"][0]["code"] == "name_changed_recently"
    assert 29 * 86400 < int(too_soon["Retry-After"]) <= 30 * 86400
    assert reader.get("me").json()["display_name"] == "Luc Gagnon"
    later(monkeypatch, days=30, seconds=1)
    reader = Api(token_for(account))  # sessions last 30 days too
    assert reader.patch("me", {"first_name": "Lucas",
                               "last_name": "Gagnon-Roy"}).status_code == 200


def test_fixing_case_or_accents_is_not_a_change_that_counts(site: Site) -> None:
    reader = Api(token_for(make_account(first_name="Chloe", last_name="Moreau")))
    assert reader.patch("me", {"first_name": "Zoé", "last_name": "Moreau"}).status_code == 200
    fixed = reader.patch("me", {"first_name": "zoe", "last_name": "MOREAU"})
    assert fixed.status_code == 200, fixed.json()
    assert fixed.json()["display_name"] == "Zoe Moreau"


def test_a_refused_new_name_answers_422_and_keeps_the_old_one(site: Site) -> None:
    reader = Api(token_for(make_account(first_name="Noah", last_name="Lindqvist")))
    refused = reader.patch("me", {"first_name": "Noah", "last_name": "@noah_l"})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "last_name"
    assert refused.json()["errors"][0]["code"]
    assert reader.get("me").json()["display_name"] == "Noah Lindqvist"


def test_a_change_after_published_comments_waits_for_a_moderator(
    site: Site, moderator: Api
) -> None:
    account = make_account(first_name="Malik", last_name="Haddad")
    reader = Api(token_for(account))
    post(reader)
    asked = reader.patch("me", {"first_name": "Malik", "last_name": "Haddad-Nasser"})
    assert asked.status_code == 202
    body = asked.json()
    assert body["pending_approval"] is True and body["display_name"] == "Malik Haddad"
    assert body["pending_name"]["display_name"] == "Malik Haddad-Nasser"
    assert public_names(Api()) == ["Malik Haddad"]
    waiting = moderator.get("moderation/name-changes").json()
    assert [(w["account_id"], w["requested_name"]) for w in waiting] == [
        (account.pk, "Malik Haddad-Nasser")]
    assert Api(token_for(make_account())).get("moderation/name-changes").status_code == 403
    approved = moderator.post(f"moderation/accounts/{account.pk}/pending-name/approve")
    assert approved.status_code == 200
    assert approved.json()["display_name"] == "Malik Haddad-Nasser"
    assert public_names(Api()) == ["Malik Haddad-Nasser"]
    assert reader.get("me").json()["pending_name"] is None
    events = [(e["event"], e["display_name"], (e["actor"] or {}).get("id"))
              for e in approved.json()["history"]][1:]
    staff_id = Account.objects.get(role="moderator").pk
    assert events == [("requested", "Malik Haddad-Nasser", None),
                      ("change", "Malik Haddad-Nasser", staff_id)]


def test_a_declined_change_keeps_the_name_and_can_be_withdrawn_next_time(
    site: Site, moderator: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = make_account(first_name="Inès", last_name="Singh")
    reader = Api(token_for(account))
    post(reader)
    reader.patch("me", {"first_name": "Inès", "last_name": "Kaur"})
    declined = moderator.post(f"moderation/accounts/{account.pk}/pending-name/decline",
                              {"note": "Please write to us first."})
    assert declined.json()["display_name"] == "Inès Singh"
    assert declined.json()["history"][-1]["event"] == "declined"
    assert moderator.post(
        f"moderation/accounts/{account.pk}/pending-name/approve").status_code == 404
    later(monkeypatch, days=31)
    reader = Api(token_for(account))
    assert reader.patch("me", {"first_name": "Inès", "last_name": "Kaur"}).status_code == 202
    assert reader.delete("me/pending-name").status_code == 204
    assert reader.get("me").json()["pending_name"] is None
    assert reader.delete("me/pending-name").status_code == 404


def test_with_approval_turned_off_a_change_applies_at_once(site: Site, settings: Any) -> None:
    settings.TOWNHALL_NAME_CHANGE_APPROVAL = False
    reader = Api(token_for(make_account(first_name="Oren", last_name="Tremblay")))
    post(reader)
    done = reader.patch("me", {"first_name": "Oren", "last_name": "Tremblay-Cohen"})
    assert done.status_code == 200 and done.json()["pending_approval"] is False
    assert public_names(Api()) == ["Oren Tremblay-Cohen"]


def test_a_flagged_name_holds_the_next_comment_until_its_owner_confirms(
    site: Site, moderator: Api
) -> None:
    account = make_account(first_name="Zoë", last_name="Nakamura")
    reader = Api(token_for(account))
    post(reader, "Before the flag.")
    flagged = moderator.post(f"moderation/accounts/{account.pk}/name-flag",
                             {"note": "Looks like a character's name"})
    assert flagged.json()["name_status"] == "flagged"
    assert reader.get("me").json()["name_status"] == "flagged"
    held = post(reader, "After the flag.")
    assert held["status"] == "pending" and "real-names" in held["guidelines"]
    thread = Api().get(THREAD).json()["comments"]
    assert [c["body"] for c in thread] == ["Before the flag."]
    confirmed = reader.post("me/name/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["name_status"] == "confirmed"
    assert Comment.objects.get(pk=held["id"]).status == "published"
    assert Decision.objects.filter(comment_id=held["id"]).last().new_status == "published"
    assert reader.post("me/name/confirm").json()["errors"][0]["code"] == "name_not_flagged"
    events = [e["event"] for e in moderator.get(
        f"moderation/accounts/{account.pk}/names").json()["history"]]
    assert events == ["signup", "flagged", "confirmed"]


def test_confirming_releases_only_what_the_name_held(site: Site, moderator: Api) -> None:
    account = make_account()
    reader = Api(token_for(account))
    post(reader, "First words.")
    moderator.post(f"moderation/accounts/{account.pk}/name-flag")
    Api(token_for(make_staff(role="admin"))).patch(
        "sites/daily/stories/1.100", {"moderation_mode": "pre"})
    held = post(reader, "Held twice over.")
    reader.post("me/name/confirm")
    assert Comment.objects.get(pk=held["id"]).status == "pending"
    assert Decision.objects.filter(comment_id=held["id"]).last().rule == "pre_moderation"


def test_a_flagged_account_may_change_its_name_at_once(
    site: Site, moderator: Api
) -> None:
    account = make_account(first_name="Aiyana", last_name="Gagnon")
    reader = Api(token_for(account))
    assert reader.patch("me", {"first_name": "Aiyana", "last_name": "Begay"}).status_code == 200
    post(reader)
    moderator.post(f"moderation/accounts/{account.pk}/name-flag")
    held = post(reader, "Waiting for my name.")
    asked = reader.patch("me", {"first_name": "Aiyana", "last_name": "Begay-Tso"})
    assert asked.status_code == 202, asked.json()
    assert Comment.objects.get(pk=held["id"]).status == "pending"
    moderator.post(f"moderation/accounts/{account.pk}/pending-name/approve")
    assert reader.get("me").json()["name_status"] == "ok"
    assert Comment.objects.get(pk=held["id"]).status == "published"


def test_a_doubtful_name_at_sign_up_is_flagged_automatically(
    api: Api, site: Site, settings: Any, moderator: Api
) -> None:
    settings.TOWNHALL_NAME_SUSPICION_THRESHOLD = 0.5
    created = sign_up(api, "Wolf", "Wolf")
    assert created.status_code == 201
    account = Account.objects.get(pk=created.json()["id"])
    assert account.name_status == "flagged"
    plain = sign_up(api, "Amara", "Lindqvist")
    assert Account.objects.get(pk=plain.json()["id"]).name_status == "ok"
    account.email_verified_at = clock.now()
    account.save()
    held = post(Api(token_for(account)), "Hello neighbours.")
    assert held["status"] == "pending" and held["guidelines"] == ["real-names"]
    history = moderator.get(f"moderation/accounts/{account.pk}/names").json()["history"]
    assert history[-1]["event"] == "flagged" and history[-1]["note"].startswith("automatic")


def test_a_moderator_sets_a_name_through_the_policy_and_clears_the_doubt(
    site: Site, moderator: Api
) -> None:
    account = make_account(first_name="Mateo", last_name="Moreau")
    post(Api(token_for(account)))
    moderator.post(f"moderation/accounts/{account.pk}/name-flag")
    path = f"moderation/accounts/{account.pk}/name"
    refused = moderator.put(path, {"first_name": "Mickey", "last_name": "Mouse"})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "first_name"
    done = moderator.put(path, {"first_name": "Mateo", "last_name": "Moreau Silva",
                                "note": "as on the letter"})
    assert done.status_code == 200
    assert (done.json()["display_name"], done.json()["name_status"]) == (
        "Mateo Moreau Silva", "ok")
    assert done.json()["history"][-1]["event"] == "moderator"
    assert done.json()["history"][-1]["note"] == "as on the letter"
