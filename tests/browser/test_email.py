"""A reply email as the reader's mail client shows it, in headless Chromium: the publisher's
colour, logo and name, the reply quoted as text, and a link that opens the comment.

Screenshot for the README: docs/screenshots/email-reply.png.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from townhall.moderation.services import site_brand_update
from townhall.stories.models import Site, Story

from tests.browser.conftest import SCREENSHOTS, new_context
from tests.calm import post
from tests.conftest import Outbox, make_account, token_for

pytestmark = pytest.mark.browser
LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" width="150" height="36"><rect width="36" '
        'height="36" rx="8" fill="#fff"/><text x="46" y="25" font-family="sans-serif" '
        'font-size="20" font-weight="700" fill="#fff">Harbour</text></svg>')


def test_a_reply_email_shows_the_brand_and_its_link_opens_the_comment(
        api: Any, site: Site, story: Story, outbox: Outbox, browser: Any) -> None:
    site_brand_update(site=site, actor=None, title="Harbour Daily", brand_colour="#0b5394",
                      logo_url="https://news.example/logo.svg", home_url="https://news.example/")
    chloe = make_account(first_name="Chloé", last_name="Gagnon")
    parent = post(api, token_for(chloe), "The bridge will help cyclists a lot.")
    reply = post(api, token_for(make_account(first_name="Malik", last_name="Haddad")),
                 "Only if they build the bike lanes too.", parent_id=parent["id"])
    [message] = outbox.to(chloe.email)
    html = outbox.html(message)

    context = new_context(browser, viewport={"width": 720, "height": 820})
    page = context.new_page()
    opened: list[str] = []
    page.route("https://news.example/logo.svg", lambda route: route.fulfill(
        status=200, content_type="image/svg+xml", body=LOGO))
    page.route("https://news.example/1.100", lambda route: (
        opened.append(route.request.url),
        route.fulfill(status=200, content_type="text/html", body="<h1>The story</h1>")))
    page.set_content(html, wait_until="load")
    expect(page.get_by_role("heading", name="Malik Haddad replied to your comment")).to_be_visible()
    expect(page.get_by_role("img", name="Harbour Daily")).to_be_visible()
    bar = page.locator("td", has=page.get_by_role("img", name="Harbour Daily")).last
    assert bar.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(11, 83, 148)"
    expect(page.locator("blockquote")).to_have_text("Only if they build the bike lanes too.")
    expect(page.get_by_text("Sent by Harbour Daily.")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "email-reply.png"), full_page=True)

    link = page.get_by_role("link", name=f"https://news.example/1.100#comment-{reply['id']}")
    link.click()
    expect(page.get_by_role("heading", name="The story")).to_be_visible()
    assert opened == ["https://news.example/1.100"]  # the fragment stays in the browser
    assert page.url == f"https://news.example/1.100#comment-{reply['id']}"
    context.close()
