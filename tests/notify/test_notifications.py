"""Readers hear about replies, features and decisions: by email (now or daily) and a count."""

from __future__ import annotations

import datetime as dt
from email.header import decode_header, make_header
from email.message import Message
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, TestCase

from townhall.core import clock
from townhall.notify import tasks
from townhall.notify.models import Notification
from townhall.stories.models import Story

from tests.calm import post
from tests.conftest import Outbox, make_account, make_staff, token_for, undo_window_passes

pytestmark = pytest.mark.calendar

def subject(message: Message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def test_a_reply_emails_the_author_in_their_language_with_a_working_unsubscribe(
    api: Any, story: Story, outbox: Outbox
) -> None:
    chloe = make_account(first_name="Chloé", last_name="Gagnon", language="fr")
    malik = make_account(first_name="Malik", last_name="Haddad")
    parent = post(api, token_for(chloe), "The bridge will help cyclists a lot.")
    post(api, token_for(malik), "Only if they build the bike lanes too.", parent_id=parent["id"])

    [message] = outbox.to(chloe.email)
    assert message["Content-Language"] == "fr"
    body = outbox.body(message)
    assert "Only if they build the bike lanes too." in body
    assert "https://news.example/1.100#comment-" in body
    link = outbox.link(chloe.email, "/notifications/unsubscribe/")
    assert message["List-Unsubscribe"] == f"<{link}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    page = Client().get(link.removeprefix("http://127.0.0.1:8000"))
    assert page.status_code == 200
    assert page["Content-Language"] == "fr"
    done = Client().post(link.removeprefix("http://127.0.0.1:8000"), {"email": "off"})
    assert done.status_code == 200
    assert chloe.email in done.content.decode()

    post(api, token_for(make_account()), "Bike lanes are in the plan.", parent_id=parent["id"])
    assert len(outbox.to(chloe.email)) == 1  # unsubscribed: no second email
    mine = api.as_(token_for(chloe)).get("me/notifications").json()
    assert mine["unread_count"] == 2  # the widget still counts both replies


def test_mail_clients_unsubscribe_with_a_one_click_post(api: Any, story: Story,
                                                         outbox: Outbox) -> None:
    amara, oren = make_account(), make_account()
    parent = post(api, token_for(amara), "First!")
    post(api, token_for(oren), "Second.", parent_id=parent["id"])
    link = outbox.link(amara.email, "/notifications/unsubscribe/")
    path = link.removeprefix("http://127.0.0.1:8000")
    response = Client().post(path, "List-Unsubscribe=One-Click",
                             content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert api.as_(token_for(amara)).get("me/notification-settings").json() == {"email": "off"}


def test_a_tampered_unsubscribe_link_is_refused(api: Any, story: Story, outbox: Outbox) -> None:
    amara, oren = make_account(), make_account()
    parent = post(api, token_for(amara), "First!")
    post(api, token_for(oren), "Second.", parent_id=parent["id"])
    path = outbox.link(amara.email, "/notifications/unsubscribe/").removeprefix(
        "http://127.0.0.1:8000")
    assert Client().post(path[:-3] + "xx/").status_code == 404
    assert api.as_(token_for(amara)).get("me/notification-settings").json() == {
        "email": "immediate"}


def test_the_widget_counts_unread_notifications_and_marks_them_read(api: Any, story: Story,
                                                                     outbox: Outbox) -> None:
    amara = make_account()
    me = api.as_(token_for(amara))
    parent = post(api, token_for(amara), "What about the ferry?")
    for _ in range(3):
        post(api, token_for(make_account()), "The ferry stays.", parent_id=parent["id"])
    listing = me.get("me/notifications").json()
    assert listing["unread_count"] == 3
    first = listing["notifications"][0]
    assert first["kind"] == "reply" and first["comment_id"] and not first["read"]
    assert me.post("me/notifications/read", {"ids": [first["id"]]}).json() == {
        "marked": 1, "unread_count": 2}
    assert me.post("me/notifications/read", {}).json()["unread_count"] == 0
    assert api.get("me/notifications").status_code == 401
    assert me.post("me/notifications/read", {"ids": "all"}).status_code == 422


def test_following_a_story_tells_about_new_comments_but_not_your_own(api: Any, story: Story,
                                                                       outbox: Outbox) -> None:
    follower, writer = make_account(), make_account()
    me = api.as_(token_for(follower))
    assert me.post("sites/daily/stories/1.100/follow").json() == {"following": True}
    assert me.get("sites/daily/stories/1.100/follow").json() == {"following": True,
                                                                "comment_ids": []}
    post(api, token_for(writer), "The council vote was close.")
    post(api, token_for(follower), "My own comment.")
    [message] = outbox.to(follower.email)
    assert subject(message) == "New comment on “Council approves the new bridge”"
    me.delete("sites/daily/stories/1.100/follow")
    post(api, token_for(writer), "Another one.")
    assert len(outbox.to(follower.email)) == 1


def test_following_a_conversation_tells_about_replies_under_it(api: Any, story: Story,
                                                                outbox: Outbox) -> None:
    author, follower, replier = make_account(), make_account(), make_account()
    root = post(api, token_for(author), "Where will the tolls go?")
    assert api.as_(token_for(follower)).post(f"comments/{root['id']}/follow").status_code == 200
    reply = post(api, token_for(replier), "To maintenance.", parent_id=root["id"])
    post(api, token_for(author), "Thanks.", parent_id=reply["id"])
    subjects = [subject(m) for m in outbox.to(follower.email)]
    assert subjects == ["New reply in a conversation you follow"] * 2
    assert [subject(m) for m in outbox.to(replier.email)] == [
        f"{author.display_name} replied to your comment"]


def test_an_author_who_unfollows_their_comment_hears_nothing(api: Any, story: Story,
                                                              outbox: Outbox) -> None:
    author = make_account()
    root = post(api, token_for(author), "Quiet please.")
    api.as_(token_for(author)).delete(f"comments/{root['id']}/follow")
    post(api, token_for(make_account()), "Hello!", parent_id=root["id"])
    assert outbox.to(author.email) == []


def test_unverified_or_muting_readers_are_not_emailed(api: Any, story: Story,
                                                      outbox: Outbox) -> None:
    author, rude = make_account(), make_account()
    root = post(api, token_for(author), "My view.")
    api.as_(token_for(author)).post(f"accounts/{rude.pk}/mute")
    post(api, token_for(rude), "Wrong view.", parent_id=root["id"])
    assert outbox.to(author.email) == []
    assert not Notification.objects.filter(account=author).exists()


def test_daily_digest_gathers_the_day_in_one_email(api: Any, story: Story, outbox: Outbox,
                                                   capsys: Any) -> None:
    amara = make_account(language="fr")
    me = api.as_(token_for(amara))
    assert me.put("me/notification-settings", {"email": "daily"}).json() == {"email": "daily"}
    assert me.put("me/notification-settings", {"email": "weekly"}).status_code == 422
    parent = post(api, token_for(amara), "Le pont est trop cher.")
    post(api, token_for(make_account()), "Pas du tout.", parent_id=parent["id"])
    post(api, token_for(make_account()), "Un peu.", parent_id=parent["id"])
    assert outbox.to(amara.email) == []
    call_command("send_digests")
    [digest] = outbox.to(amara.email)
    assert digest["Content-Language"] == "fr"
    assert "2" in subject(digest) and "The Daily Example" in subject(digest)  # the publisher
    body = outbox.body(digest)
    assert "Pas du tout." in body and "Un peu." in body
    assert "/notifications/unsubscribe/" in body
    call_command("send_digests")
    assert len(outbox.to(amara.email)) == 1  # nothing new: no second digest


def test_the_worker_sends_digests_at_the_scheduled_hour(api: Any, story: Story,
                                                        outbox: Outbox) -> None:
    amara = make_account()
    api.as_(token_for(amara)).put("me/notification-settings", {"email": "daily"})
    parent = post(api, token_for(amara), "Digest me.")
    post(api, token_for(make_account()), "Sure.", parent_id=parent["id"])
    tasks.schedule_due()
    tomorrow = clock.now() + dt.timedelta(days=1, minutes=1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert "send-digests" in tasks.schedule_due(now=tomorrow)
    tasks.run_due(now=tomorrow)
    assert len(outbox.to(amara.email)) == 1


def test_featuring_and_approving_a_held_comment_email_the_author(api: Any, story: Story,
                                                                 outbox: Outbox) -> None:
    from townhall.comments.models import Comment
    from townhall.moderation.services import comment_moderate

    author = make_account()
    moderator = make_staff(sites=[story.site])
    comment_id = post(api, token_for(author), "Read the council minutes.")["id"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        comment_moderate(moderator=moderator, comment=Comment.objects.get(pk=comment_id),
                         action="feature")
    assert outbox.to(author.email) == []  # not within the moderator's undo window
    undo_window_passes()
    [message] = outbox.to(author.email)
    assert subject(message) == "Your comment was featured"
    kinds = [n["kind"] for n in api.as_(token_for(author)).get("me/notifications").json()[
        "notifications"]]
    assert kinds == ["featured"]

    held_id = post(api, token_for(author), "Read the minutes.", review_requested=True)["id"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        comment_moderate(moderator=moderator, comment=Comment.objects.get(pk=held_id),
                         action="approve")
    undo_window_passes()
    assert len(outbox.to(author.email)) == 2
    kinds = [n["kind"] for n in api.as_(token_for(author)).get("me/notifications").json()[
        "notifications"]]
    assert sorted(kinds) == ["decision", "featured"]


def test_a_decision_undone_within_its_window_tells_the_author_nothing(
        api: Any, story: Story, outbox: Outbox) -> None:
    from townhall.comments.models import Comment
    from townhall.moderation.services import comment_decide, decision_undo

    author = make_account()
    moderator = make_staff(sites=[story.site])
    comment_id = post(api, token_for(author), "Read the minutes.", review_requested=True)["id"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        decision = comment_decide(moderator=moderator, comment=Comment.objects.get(pk=comment_id),
                                  action="reject", guideline="respect")
        decision_undo(moderator=moderator, decision=decision)
    assert undo_window_passes() == 1  # the rejection's notice ran, and found it undone
    assert outbox.to(author.email) == []
    assert api.as_(token_for(author)).get("me/notifications").json()["notifications"] == []
    assert Comment.objects.get(pk=comment_id).status == "pending"
