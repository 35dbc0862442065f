"""Authorisation: one account cannot touch another's comments; moderators stay on their sites."""

from __future__ import annotations

import json

import pytest

from townhall.comments.models import Comment, Like
from townhall.moderation.posting import comment_create

from tests.conftest import Api, make_account, make_site, make_staff, make_story, token_for


@pytest.fixture
def two_sites(db: None) -> dict[str, object]:
    daily, _ = make_site("daily")
    other, _ = make_site("other", origins=["https://other.example"])
    open_story = make_story(daily, "open")
    held_story = make_story(daily, "held", moderation_mode="pre")
    other_story = make_story(other, "elsewhere", moderation_mode="pre")
    alice, bob = make_account(first_name="Alice", last_name="Okafor"), make_account()
    published, _ = comment_create(account=alice, story=open_story, body="Alice speaks",
                                  accept_terms=True)
    pending, _ = comment_create(account=alice, story=held_story, body="Alice waits",
                                accept_terms=True)
    foreign, _ = comment_create(account=bob, story=other_story, body="Bob elsewhere",
                                accept_terms=True)
    assert published.status == "published" and pending.status == "pending"
    return {"daily": daily, "other": other, "alice": alice, "bob": bob,
            "published": published, "pending": pending, "foreign": foreign}


def test_an_account_cannot_edit_or_delete_another_accounts_comment(two_sites: dict) -> None:
    bob = Api(token_for(two_sites["bob"]))
    for comment in (two_sites["published"], two_sites["pending"]):
        edit = bob.patch(f"comments/{comment.pk}", {"body": "Hijacked"})
        delete = bob.delete(f"comments/{comment.pk}")
        assert edit.status_code in {403, 404} and delete.status_code in {403, 404}
        assert edit.json()["errors"][0]["field"] == "id"
        row = Comment.objects.get(pk=comment.pk)
        assert row.source.startswith("Alice") and row.status == comment.status
    assert Api().patch(f"comments/{two_sites['published'].pk}", {"body": "x"}).status_code == 401


def test_liking_twice_counts_once(two_sites: dict) -> None:
    bob = Api(token_for(two_sites["bob"]))
    target = two_sites["published"]
    answers = [bob.post(f"comments/{target.pk}/like").json() for _ in range(3)]
    assert [a["like_count"] for a in answers] == [1, 1, 1]
    assert Like.objects.filter(comment=target).count() == 1
    own = Api(token_for(two_sites["alice"])).post(f"comments/{target.pk}/like")
    assert own.status_code == 409


def test_pending_comments_are_invisible_to_everyone_but_their_author(two_sites: dict) -> None:
    pending = two_sites["pending"]
    alice = Api(token_for(two_sites["alice"]))
    bob = Api(token_for(two_sites["bob"]))
    mine = alice.get("sites/daily/stories/held/comments").json()
    assert [c["id"] for c in mine["my_pending"]] == [pending.pk]
    for viewer in (bob, Api()):
        thread = viewer.get("sites/daily/stories/held/comments").json()
        assert thread["comments"] == [] and thread["my_pending"] == []
        assert "Alice waits" not in json.dumps(thread)
    for attempt in (bob.post(f"comments/{pending.pk}/like"),
                    bob.post(f"comments/{pending.pk}/reports", {"reason": "other",
                                                              "text": "peek"}),
                    bob.patch(f"comments/{pending.pk}", {"body": "peek"})):
        assert attempt.status_code == 404, attempt.json()
    # An unknown id answers exactly the same: nothing tells that the pending one exists.
    unknown = bob.post("comments/99999999/like")
    assert unknown.json() == bob.post(f"comments/{pending.pk}/like").json()
    assert "Alice waits" not in json.dumps(bob.get("me/comments").json())
    # Readers cannot reach the moderation API at all.
    assert bob.get(f"moderation/comments/{pending.pk}").status_code == 403
    assert bob.get("moderation/queues/pending").status_code == 403


def test_a_moderator_of_one_site_cannot_see_or_act_on_another(two_sites: dict) -> None:
    moderator = Api(token_for(make_staff(sites=[two_sites["daily"]])))
    queue = moderator.get("moderation/queues/pending").json()
    ids = {c["id"] for c in queue["comments"]}
    assert two_sites["pending"].pk in ids
    assert two_sites["foreign"].pk not in ids
    assert "Bob elsewhere" not in json.dumps(queue)
    foreign = two_sites["foreign"]
    assert moderator.get(f"moderation/comments/{foreign.pk}").status_code == 404
    decided = moderator.post(f"moderation/comments/{foreign.pk}/decisions",
                             {"action": "approve"})
    assert decided.status_code == 404
    bulk = moderator.post("moderation/decisions",
                          {"action": "approve", "ids": [two_sites["pending"].pk, foreign.pk]})
    assert bulk.status_code == 404
    assert Comment.objects.get(pk=foreign.pk).status == "pending"
    assert Comment.objects.get(pk=two_sites["pending"].pk).status == "pending"  # all or none
    assert moderator.get("moderation/sites/other/settings").status_code in {403, 404}
    assert moderator.patch("moderation/sites/other/settings",
                           {"flood_limit": 1}).status_code in {403, 404}
    assert moderator.get("moderation/sites/other/stories/x").status_code in {403, 404, 405}
    # Its own site works.
    assert moderator.get("moderation/sites/daily/settings").status_code == 200
    assert moderator.post(f"moderation/comments/{two_sites['pending'].pk}/decisions",
                          {"action": "approve"}).status_code == 200


def test_a_moderator_never_reaches_an_account_seen_only_on_another_site(two_sites: dict) -> None:
    """Found by the probe: a moderator of one site read any account's email and history."""
    from django.test import Client

    from townhall.moderation.models import AccountAction
    from townhall.moderation.services import account_act

    daily_moderator = make_staff(sites=[two_sites["daily"]])
    other_moderator = make_staff(sites=[two_sites["other"]])
    bob = two_sites["bob"]  # commented on "other" only
    account_act(moderator=other_moderator, account=bob, kind="note", site=two_sites["other"],
                message="Private: spoke to his editor.")
    api = Api(token_for(daily_moderator))
    detail = api.get(f"moderation/accounts/{bob.pk}")
    unknown = api.get("moderation/accounts/999999")
    assert detail.status_code == unknown.status_code == 404
    assert detail.json()["errors"] == unknown.json()["errors"]
    warned = api.post(f"moderation/accounts/{bob.pk}/actions",
                      {"kind": "warn", "site": "daily", "guideline": "respect",
                       "message": "Mind your tone."})
    assert warned.status_code == 404
    assert not AccountAction.objects.filter(account=bob, kind="warn").exists()
    names = api.get(f"moderation/accounts/{bob.pk}/names")
    assert names.status_code == 404

    client = Client()
    client.force_login(daily_moderator)
    page = client.get(f"/moderation/accounts/{bob.pk}/")
    assert page.status_code == 404 and bob.email not in page.content.decode()
    posted = client.post(f"/moderation/accounts/{bob.pk}/",
                         {"kind": "warn", "site": "daily", "guideline": "respect",
                          "message": "Mind your tone."})
    assert posted.status_code == 404
    assert not AccountAction.objects.filter(account=bob, kind="warn").exists()


def test_an_account_on_two_sites_shows_each_moderator_only_their_sites_record(
    two_sites: dict
) -> None:
    from django.test import Client

    from townhall.moderation.services import account_act

    alice = two_sites["alice"]
    comment_create(account=alice, story=Comment.objects.get(pk=two_sites["foreign"].pk).story,
                   body="Alice elsewhere too", accept_terms=True)
    daily_moderator = make_staff(sites=[two_sites["daily"]])
    other_moderator = make_staff(sites=[two_sites["other"]])
    account_act(moderator=other_moderator, account=alice, kind="note", site=two_sites["other"],
                message="Private note of the other desk.")
    other_decision = Api(token_for(other_moderator)).post(
        f"moderation/comments/{Comment.objects.get(source='Alice elsewhere too').pk}/decisions",
        {"action": "reject", "guideline": "respect"})
    assert other_decision.status_code == 200, other_decision.content

    detail = Api(token_for(daily_moderator)).get(f"moderation/accounts/{alice.pk}")
    assert detail.status_code == 200
    text = json.dumps(detail.json())
    assert "Private note of the other desk." not in text
    assert all(d["comment_id"] != Comment.objects.get(source="Alice elsewhere too").pk
               for d in detail.json()["history"])
    client = Client()
    client.force_login(daily_moderator)
    page = client.get(f"/moderation/accounts/{alice.pk}/").content.decode()
    assert "Private note of the other desk." not in page
    assert "Alice elsewhere too" not in page
    assert "Private note of the other desk." in json.dumps(
        Api(token_for(other_moderator)).get(f"moderation/accounts/{alice.pk}").json())
