"""Publisher sign-in in a real browser: the page calls `Townhall.login(token)`."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import jwt
import pytest
from playwright.sync_api import expect

from townhall.accounts.sso import sso_configure
from townhall.demo import newsroom
from townhall.stories.models import Site

from tests.browser.conftest import Session

pytestmark = pytest.mark.browser

SECRET = "browser-test-publisher-secret-0123456789"
LOGIN = """async (token) => {
  try { return {ok: true, account: await Townhall.login(token)}; }
  catch (error) { return {ok: false, message: String((error && error.message) || error)}; }
}"""


def publisher_token(secret: str = SECRET, **claims: Any) -> str:
    now = int(time.time())
    body = {"sub": "subscriber-1001", "email": "ana.lima@reader.example",
            "email_verified": True, "given_name": "Ana", "family_name": "Lima",
            "iat": now, "exp": now + 300, "jti": uuid.uuid4().hex}
    body.update(claims)
    return jwt.encode(body, secret, algorithm="HS256")


def open_story(session: Session, external_id: str) -> Any:
    sso_configure(site=Site.objects.get(name=newsroom.SITE_NAME), hs256_secret=SECRET)
    session.page.goto(f"{session.server}/demo/stories/{external_id}/")
    widget = session.widget()
    widget.scroll_into_view_if_needed()
    expect(widget.locator("ul.list li").first).to_be_visible()
    return widget


def test_townhall_login_signs_a_publisher_reader_in_and_refuses_bad_tokens(
    open_page: Any
) -> None:
    session = open_page()
    widget = open_story(session, "1.7001")
    now = int(time.time())
    header, _payload, signature = publisher_token().split(".")
    tampered = f"{header}.{publisher_token(sub='someone-else').split('.')[1]}.{signature}"
    for token in (tampered, publisher_token(iat=now - 4000, exp=now - 3600),
                  publisher_token(secret="not-the-publisher-secret-at-all-0123456789")):
        result = session.page.evaluate(LOGIN, token)
        assert result["ok"] is False and result["message"], result
    expect(widget.get_by_text("Signed in as")).to_have_count(0)
    result = session.page.evaluate(LOGIN, publisher_token())
    assert result["ok"] is True, result
    assert result["account"]["display_name"] == "Ana Lima"
    expect(widget.get_by_text("Signed in as Ana Lima")).to_be_visible()
    widget.get_by_role("textbox").first.fill("Signed in by my newspaper, posting here.")
    widget.get_by_label("I have read the community policy").check()
    widget.get_by_role("button", name="Post comment").click()
    expect(widget.locator("li.c", has_text="Signed in by my newspaper")).to_contain_text(
        "Ana Lima")
    session.page.reload()
    expect(session.widget().get_by_text("Signed in as Ana Lima")).to_be_visible()
    assert session.unexpected_errors(401) == []


def test_a_publisher_reader_in_a_youth_story_appears_under_a_handle(open_page: Any) -> None:
    session = open_page()
    widget = open_story(session, "3.9001")
    token = publisher_token(sub="pupil-7", email="ngozi.pupil@reader.example",
                            given_name="Ngozi", family_name="Okonjo-Iweala")
    assert session.page.evaluate(LOGIN, token)["ok"] is True
    expect(widget.get_by_text(re.compile(r"^Signed in as \w+ \w+ \d+$"))).to_be_visible()
    everything = session.page.evaluate(
        "() => document.documentElement.outerHTML + [...document.querySelectorAll("
        "'.townhall-embed')].map(h => h.shadowRoot.innerHTML).join('')")
    assert [n for n in ("Ngozi", "Okonjo", "Iweala", "ngozi.pupil") if n in everything] == []
