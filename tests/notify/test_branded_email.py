"""Emails look like the publisher: its name, colour and logo in an HTML twin of the text,
in the reader's language, with working links to the comment and to "My comments", and the
one-click unsubscribe header (RFC 8058)."""

from __future__ import annotations

from email.utils import parseaddr
from typing import Any

import pytest
from django.test import Client

from townhall.comments.models import Comment
from townhall.moderation.services import (
    comment_moderate,
    site_brand_update,
    site_moderation_update,
)
from townhall.stories.models import Site, Story

from tests.calm import post
from tests.conftest import Api, Outbox, make_account, make_staff, token_for, undo_window_passes

pytestmark = pytest.mark.calendar


@pytest.fixture
def branded(site: Site) -> Site:
    return site_brand_update(site=site, actor=None, title="Harbour Daily",
                             brand_colour="#0B5394", logo_url="https://news.example/logo.png",
                             home_url="https://news.example/")


def test_a_reply_email_carries_the_publishers_brand_in_text_and_html(
        api: Any, branded: Site, story: Story, outbox: Outbox) -> None:
    chloe = make_account(first_name="Chloé", last_name="Gagnon", language="fr")
    parent = post(api, token_for(chloe), "The bridge will help cyclists a lot.")
    post(api, token_for(make_account()), "Only <b>if</b> they build the lanes.",
         parent_id=parent["id"])

    [message] = outbox.to(chloe.email)
    assert parseaddr(message["From"])[0] == "Harbour Daily"
    assert message["Content-Language"] == "fr"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = outbox.body(message), outbox.html(message)
    assert "Harbour Daily" in text and "Townhall" not in text
    assert "Vous recevez ce courriel" in text
    assert html.startswith("<!doctype html>") and '<html lang="fr">' in html
    assert "background:#0b5394" in html and "color:#ffffff" in html  # white reads on dark blue
    assert '<img src="https://news.example/logo.png" alt="Harbour Daily"' in html
    link = f"https://news.example/1.100#comment-{parent['id'] + 1}"
    assert f'<a href="{link}"' in html
    # The reader's words are text in the HTML twin, never markup.
    assert "Only &lt;b&gt;if&lt;/b&gt; they build the lanes." in html
    assert "<b>if</b>" not in html
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    assert f'<a href="{unsubscribe}"' in html


def test_a_rejection_links_to_my_comments_and_a_light_colour_takes_dark_ink(
        api: Any, site: Site, story: Story, outbox: Outbox) -> None:
    site_brand_update(site=site, actor=None, title="Sunny Gazette", brand_colour="#ffd966",
                      logo_url="", home_url="")
    site_moderation_update(site=site, email_authors=True)
    author = make_account()
    comment = post(api, token_for(author), "A comment the desk will not publish.")
    comment_moderate(moderator=make_staff(sites=[site]), comment=Comment.objects.get(
        pk=comment["id"]), action="reject", guideline="respect")
    undo_window_passes()  # the author hears of it once the moderator can no longer undo
    [message] = [m for m in outbox.to(author.email) if "Sunny Gazette" in outbox.body(m)]
    text, html = outbox.body(message), outbox.html(message)
    assert "http://127.0.0.1:8000/accounts/comments/" in text
    assert '<a href="http://127.0.0.1:8000/accounts/comments/"' in html
    assert "background:#ffd966" in html and "color:#111111" in html
    assert ">Sunny Gazette<" in html  # no logo: the name in the bar


def test_the_verification_email_carries_the_brand_of_the_story_signed_up_on(
        api: Api, branded: Site, story: Story, outbox: Outbox) -> None:
    answer = api.post("accounts", {
        "email": "new@example.org", "password": "a long enough password", "first_name": "Ana",
        "last_name": "Silva", "return_to": "https://news.example/1.100"})
    assert answer.status_code == 201, answer.json()
    [message] = outbox.to("new@example.org")
    assert parseaddr(message["From"])[0] == "Harbour Daily"
    assert "Harbour Daily" in outbox.html(message)


def test_brand_settings_are_checked_and_a_refusal_changes_nothing(site: Site) -> None:
    staff = make_staff(role="admin")
    browser = Client()
    browser.force_login(staff)
    url = f"/moderation/sites/{site.name}/settings/"
    refused = browser.post(url, {"part": "brand", "title": "Daily", "brand_colour": "red",
                                 "logo_url": "", "home_url": ""})
    assert refused.status_code == 422
    refused = browser.post(url, {"part": "brand", "title": "Daily", "brand_colour": "#123456",
                                 "logo_url": "http://insecure.example/logo.png",
                                 "home_url": ""})
    assert refused.status_code == 422
    site.refresh_from_db()
    assert (site.title, site.brand_colour, site.logo_url) == ("The Daily Example", "#b3121b", "")
    saved = browser.post(url, {"part": "brand", "title": "Harbour Daily",
                               "brand_colour": "#0B5394", "logo_url": "", "home_url": ""})
    assert saved.status_code == 302
    site.refresh_from_db()
    assert (site.title, site.brand_colour) == ("Harbour Daily", "#0b5394")
    assert "Harbour Daily" in browser.get(url).content.decode()
