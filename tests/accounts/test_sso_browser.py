"""Publisher sign-in through the widget: `Townhall.login(token)` on a demo story page."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest

from tests.youth.conftest import CHROMIUM_ARGS, SSO_SECRET, demo_server

__all__ = ["demo_server"]


def publisher_token(secret: str = SSO_SECRET, **claims: Any) -> str:
    now = int(time.time())
    body = {"sub": "subscriber-1001", "email": "ana.lima@reader.example", "email_verified": True,
            "given_name": "Ana", "family_name": "Lima", "iat": now, "exp": now + 300}
    body.update(claims)
    return jwt.encode(body, secret, algorithm="HS256")


LOGIN = """async (token) => {
  try { return {ok: true, account: await Townhall.login(token)}; }
  catch (error) { return {ok: false, message: String(error && error.message || error)}; }
}"""


@pytest.mark.browser
def test_townhall_login_signs_a_publisher_reader_in_and_refuses_bad_tokens(
    demo_server: str
) -> None:
    from playwright.sync_api import sync_playwright

    now = int(time.time())
    header, _payload, signature = publisher_token().split(".")
    tampered = f"{header}.{publisher_token(sub='someone-else').split('.')[1]}.{signature}"
    expired = publisher_token(iat=now - 4000, exp=now - 3600)
    wrong_key = publisher_token(secret="not-the-publisher-secret-at-all-0123456789")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{demo_server}/demo/stories/1.7001/")
        widget = page.locator(".townhall-embed")
        for token in (tampered, expired, wrong_key):
            result = page.evaluate(LOGIN, token)
            assert result["ok"] is False and result["message"], result
        assert widget.get_by_text("Signed in as").count() == 0
        result = page.evaluate(LOGIN, publisher_token())
        assert result["ok"] is True, result
        assert result["account"]["display_name"] == "Ana Lima"
        widget.get_by_text("Signed in as Ana Lima").wait_for(timeout=15_000)
        page.reload()
        widget.get_by_text("Signed in as Ana Lima").wait_for(timeout=15_000)
        browser.close()
