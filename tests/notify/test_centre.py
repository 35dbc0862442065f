"""The notification centre's server side: followed stories, muted names that reveal no youth
nickname, and the account page that sets what the widget's bell sets (the reader's own live
stream is tested in tests/live/test_reader_events.py)."""

from __future__ import annotations

from django.test import Client

from townhall.notify import selectors, services
from townhall.notify.models import Kind, Notification, Preference
from townhall.stories.models import Community

from tests.calm import post
from tests.conftest import PASSWORD, Api, make_account, make_site, make_story, token_for


def test_followed_stories_and_muted_names(api: Api, db: None) -> None:
    site, _key = make_site("daily")
    general = make_story(site, "1.100", title="Harbour ferry returns")
    youth = make_story(site, "1.200", title="Ask a scientist", community=Community.YOUTH)
    reader, named, nicknamed = make_account(), make_account(), make_account()
    me = api.as_(token_for(reader))
    post(api, token_for(named), "Signed with my name.")
    post(api, token_for(nicknamed), "Only ever under a nickname.", story=youth.external_id)
    me.post(f"sites/daily/stories/{general.external_id}/follow")
    assert me.get("me/follows").json() == {"stories": [
        {"site": "daily", "external_id": "1.100", "title": "Harbour ferry returns",
         "url": general.url}]}
    me.post(f"accounts/{named.pk}/mute")
    me.post(f"accounts/{nicknamed.pk}/mute")
    accounts = me.get("me/mutes").json()["accounts"]
    assert {a["id"]: a["display_name"] for a in accounts} == {
        named.pk: named.display_name, nicknamed.pk: ""}


def test_the_account_page_sets_emails_unmutes_unfollows_and_reads(db: None) -> None:
    site, _key = make_site("daily")
    story = make_story(site, "1.100", title="Harbour ferry returns")
    reader, loud = make_account(), make_account()
    services.follow_add(account=reader, story=story)
    services.mute_add(account=reader, muted=loud)
    services.notify_account(reader, Kind.DECISION, None, email=False, new_status="published")
    browser = Client()
    assert browser.post("/accounts/sign-in/", {"email": reader.email, "password": PASSWORD},
                        follow=True).status_code == 200

    page = browser.get("/accounts/notifications/?lang=fr")
    text = page.content.decode()
    assert page.status_code == 200
    assert "1 non lue" in text and "Harbour ferry returns" in text

    assert browser.post("/accounts/notifications/", {"action": "email", "email": "daily"}
                        ).status_code == 302
    assert Preference.objects.get(account=reader).email == "daily"
    refused = browser.post("/accounts/notifications/", {"action": "email", "email": "weekly"})
    assert refused.status_code == 422
    assert Preference.objects.get(account=reader).email == "daily"  # nothing lost
    browser.post("/accounts/notifications/", {"action": "unmute", "account": str(loud.pk)})
    browser.post("/accounts/notifications/", {"action": "unfollow", "story": str(story.pk)})
    browser.post("/accounts/notifications/", {"action": "read"})
    assert selectors.muted_ids(reader) == set()
    assert selectors.followed_stories(reader) == []
    assert not Notification.objects.filter(account=reader, read_at__isnull=True).exists()
    assert browser.post("/accounts/notifications/", {"action": "shout"}).status_code == 422
    assert Client().get("/accounts/notifications/").status_code == 302  # signed out: sign in
