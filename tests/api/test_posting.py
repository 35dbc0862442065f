"""Posting rules: terms, closed stories, limits, pre-moderation, edits, likes, authorship."""

from __future__ import annotations

import datetime as dt

import pytest

from townhall.comments.models import Comment
from townhall.core import clock
from townhall.moderation.models import Decision
from townhall.stories.models import Site

from tests.conftest import Api, make_account, make_site, make_staff, make_story, token_for

pytestmark = pytest.mark.calendar

@pytest.fixture
def setup(db: None) -> tuple[Api, str, str]:
    site, key = make_site()
    make_story(site, "s1")
    return Api(token_for(make_account())), key, "sites/daily/stories/s1/comments"


def test_missing_accept_terms_answers_422_naming_the_field(setup: tuple[Api, str, str]) -> None:
    reader, _key, path = setup
    for body in ({"body": "Hello"}, {"body": "Hello", "accept_terms": False}):
        response = reader.post(path, body)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "accept_terms"
    assert Comment.objects.count() == 0


def test_a_closed_story_answers_409_story_closed(setup: tuple[Api, str, str]) -> None:
    reader, key, path = setup
    closed = Api(key).patch("sites/daily/stories/s1", {"action": "close"})
    assert closed.json()["is_open"] is False
    response = reader.post(path, {"body": "Too late?", "accept_terms": True})
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "story_closed"
    Api(key).patch("sites/daily/stories/s1", {"action": "reopen"})
    assert reader.post(path, {"body": "Open again.", "accept_terms": True}).status_code == 201


def test_a_scheduled_close_takes_effect_when_its_time_passes(
    setup: tuple[Api, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    reader, key, path = setup
    when = clock.now() + dt.timedelta(hours=2)
    story = Api(key).patch("sites/daily/stories/s1", {"closes_at": when.isoformat()}).json()
    assert story["is_open"] is True and story["closes_at"]
    assert reader.post(path, {"body": "Still open", "accept_terms": True}).status_code == 201
    later = when + dt.timedelta(seconds=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert reader.post(path, {"body": "Now closed", "accept_terms": True}).status_code == 409


def test_body_limits_and_unknown_fields_are_refused(setup: tuple[Api, str, str]) -> None:
    reader, _key, path = setup
    for body, field in [({"body": "   ", "accept_terms": True}, "body"),
                        ({"body": "x" * 2001, "accept_terms": True}, "body"),
                        ({"body": "hi", "accept_terms": True, "colour": "red"}, "colour"),
                        ({"accept_terms": True}, "body")]:
        response = reader.post(path, body)
        assert response.status_code == 422, body
        assert response.json()["errors"][0]["field"] == field


def test_html_is_escaped_and_links_get_safe_rel(setup: tuple[Api, str, str]) -> None:
    reader, _key, path = setup
    body = ('<script>alert(1)</script> see [the plan](https://city.example/plan) '
            'and [x](javascript:alert(1)) *really*')
    html = reader.post(path, {"body": body, "accept_terms": True}).json()["body_html"]
    assert "<script>" not in html and "javascript:" not in html.replace("[x](javascript", "")
    assert '<a href="https://city.example/plan" rel="nofollow ugc noopener">the plan</a>' in html
    assert "&lt;script&gt;" in html
    assert "<em>really</em>" in html


def test_pre_moderated_story_holds_comments_and_shows_them_only_to_their_author(
    setup: tuple[Api, str, str]
) -> None:
    reader, key, path = setup
    Api(key).patch("sites/daily/stories/s1", {"moderation_mode": "pre"})
    posted = reader.post(path, {"body": "Waiting for a moderator.", "accept_terms": True})
    assert posted.status_code == 201 and posted.json()["status"] == "pending"
    assert Api().get(path).json()["comments"] == []
    mine = reader.get(path).json()
    assert [c["id"] for c in mine["my_pending"]] == [posted.json()["id"]]
    stranger = Api(token_for(make_account()))
    assert stranger.get(path).json()["my_pending"] == []
    decision = Decision.objects.get(comment_id=posted.json()["id"])
    assert (decision.rule, decision.new_status) == ("pre_moderation", "pending")


def test_each_comment_records_the_terms_version_its_author_accepted(
    setup: tuple[Api, str, str]
) -> None:
    reader, _key, path = setup
    posted = reader.post(path, {"body": "Noted.", "accept_terms": True}).json()
    assert Comment.objects.get(pk=posted["id"]).terms_version == 1


def test_only_the_author_edits_or_deletes_and_only_within_the_window(
    setup: tuple[Api, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    reader, _key, path = setup
    comment = reader.post(path, {"body": "Original", "accept_terms": True}).json()
    other = Api(token_for(make_account()))
    assert other.patch(f"comments/{comment['id']}", {"body": "Hijack"}).status_code == 403
    assert other.delete(f"comments/{comment['id']}").status_code == 403
    assert Api().delete(f"comments/{comment['id']}").status_code == 401
    later = clock.now() + dt.timedelta(minutes=6)
    monkeypatch.setattr(clock, "now", lambda: later)
    late = reader.patch(f"comments/{comment['id']}", {"body": "Too late"})
    assert late.status_code == 409
    assert late.json()["errors"][0]["code"] == "edit_window_closed"
    assert Comment.objects.get(pk=comment["id"]).source == "Original"


def test_edits_keep_the_history(setup: tuple[Api, str, str]) -> None:
    reader, _key, path = setup
    comment = reader.post(path, {"body": "Frist", "accept_terms": True}).json()
    reader.patch(f"comments/{comment['id']}", {"body": "First"})
    reader.patch(f"comments/{comment['id']}", {"body": "First, really"})
    stored = Comment.objects.get(pk=comment["id"])
    assert [r.source for r in stored.revisions.all()] == ["Frist", "First"]


def test_like_once_unlike_and_no_likes_on_own_comment(setup: tuple[Api, str, str]) -> None:
    reader, _key, path = setup
    comment = reader.post(path, {"body": "Like me", "accept_terms": True}).json()
    fan = Api(token_for(make_account()))
    assert fan.post(f"comments/{comment['id']}/like").json()["like_count"] == 1
    assert fan.post(f"comments/{comment['id']}/like").json()["like_count"] == 1
    assert fan.delete(f"comments/{comment['id']}/like").json() == {"liked": False,
                                                                  "like_count": 0}
    assert reader.post(f"comments/{comment['id']}/like").status_code == 409


def test_a_pending_comment_of_someone_else_cannot_be_seen_or_liked(
    setup: tuple[Api, str, str]
) -> None:
    reader, key, path = setup
    Api(key).patch("sites/daily/stories/s1", {"moderation_mode": "pre"})
    comment = reader.post(path, {"body": "Held", "accept_terms": True}).json()
    other = Api(token_for(make_account()))
    assert other.post(f"comments/{comment['id']}/like").status_code == 404
    assert other.patch(f"comments/{comment['id']}", {"body": "x"}).status_code == 404


def test_replying_to_a_comment_of_another_story_is_refused(setup: tuple[Api, str, str]) -> None:
    reader, _key, path = setup
    make_story(Site.objects.get(name="daily"), "s2")
    elsewhere = reader.post("sites/daily/stories/s2/comments",
                            {"body": "Other story", "accept_terms": True}).json()
    response = reader.post(path, {"body": "Reply", "parent_id": elsewhere["id"],
                                  "accept_terms": True})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "parent_id"


def test_same_idempotency_key_creates_one_comment(setup: tuple[Api, str, str]) -> None:
    reader, _key, path = setup
    body = {"body": "Posted twice over a bad network", "accept_terms": True}
    first = reader.post(path, body, **{"Idempotency-Key": "abc-123"})
    again = reader.post(path, body, **{"Idempotency-Key": "abc-123"})
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert Comment.objects.count() == 1


def test_staff_of_the_site_can_close_a_story_but_readers_cannot(
    setup: tuple[Api, str, str]
) -> None:
    reader, _key, _path = setup
    assert reader.patch("sites/daily/stories/s1", {"action": "close"}).status_code == 403
    other_site, _ = make_site("elsewhere")
    outsider = Api(token_for(make_staff(sites=[other_site])))
    assert outsider.patch("sites/daily/stories/s1", {"action": "close"}).status_code == 403
    moderator = Api(token_for(make_staff(sites=[Site.objects.get(name="daily")])))
    assert moderator.patch("sites/daily/stories/s1", {"action": "close"}).json()["is_open"] is False


def test_story_changes_through_the_api_are_in_the_audit_log_like_the_dashboards(
    setup: tuple[Api, str, str]
) -> None:
    from townhall.accounts.models import AuditEntry

    _reader, key, _path = setup
    site = Site.objects.get(name="daily")
    moderator = make_staff(sites=[site], first_name="Lea", last_name="Morin")
    assert Api(key).patch("sites/daily/stories/s1", {"action": "close"}).status_code == 200
    Api(token_for(moderator)).patch("sites/daily/stories/s1",
                                    {"action": "reopen", "moderation_mode": "pre"})
    Api(key).patch("sites/daily/stories/s1", {"moderation_mode": "pre"})  # no change
    entries = list(AuditEntry.objects.filter(action="story.change").order_by("id"))
    assert [(e.actor_id, e.story.external_id) for e in entries] == [
        (None, "s1"), (moderator.pk, "s1")]
    assert entries[0].changes["closes_at"][0] is None and entries[0].changes["closes_at"][1]
    assert entries[1].changes["moderation_mode"] == ["post", "pre"]
    assert entries[1].changes["closes_at"][1] is None
