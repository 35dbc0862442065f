"""The youth story of the demo newsroom in a real browser: handles only, never a real name."""

from __future__ import annotations

import json
import re
import time
import urllib.request
from typing import Any

import jwt
import pytest

from townhall.demo import newsroom

from tests.youth.conftest import CHROMIUM_ARGS, SSO_SECRET

YOUTH_STORY = "3.9001"


def publisher_token(**claims: Any) -> str:
    now = int(time.time())
    body = {"sub": "pupil-7", "email": "ngozi.pupil@reader.example", "email_verified": True,
            "given_name": "Ngozi", "family_name": "Okonjo-Iweala", "iat": now, "exp": now + 300}
    body.update(claims)
    return jwt.encode(body, SSO_SECRET, algorithm="HS256")


def call(base: str, method: str, path: str, body: Any, token: str | None = None) -> Any:
    request = urllib.request.Request(
        f"{base}/api/v1/{path}", method=method, data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json",
                 **({"Authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def youth_commenters() -> list[str]:
    sample = newsroom.sample_for(YOUTH_STORY)
    assert sample is not None
    people = [(first, last) for first, last, _bodies in sample.comments]
    people += [(first, last) for first, last, *_text in getattr(sample, "replies", [])]
    return [part for person in people for part in person]


PAGE_HTML = """() => {
  const parts = [document.documentElement.outerHTML];
  for (const el of document.querySelectorAll("*")) {
    if (el.shadowRoot) parts.push(el.shadowRoot.innerHTML);
  }
  return parts.join("\\n");
}"""


@pytest.mark.browser
def test_the_youth_story_page_shows_no_real_name(demo_server: str) -> None:
    from playwright.sync_api import sync_playwright

    names = [*youth_commenters(), "Ngozi", "Okonjo", "Iweala"]
    assert len(names) > 4
    session = call(demo_server, "POST", "sso/demo", {"token": publisher_token()})["token"]
    body = "Our class planted sunflowers by the fence."
    call(demo_server, "POST", f"sites/demo/stories/{YOUTH_STORY}/comments",
         {"body": body, "accept_terms": True}, session)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{demo_server}/demo/stories/{YOUTH_STORY}/")
        account = page.evaluate("token => Townhall.login(token)", publisher_token())
        assert account["email"] == "ngozi.pupil@reader.example"
        widget = page.locator(".townhall-embed")
        widget.get_by_text(body).wait_for(timeout=15_000)
        widget.get_by_text(re.compile(r"Signed in as [A-Z][a-z]+ [A-Z][a-z]+ \d{2}")).wait_for()
        html = page.evaluate(PAGE_HTML)
        browser.close()
    leaked = [name for name in names if name.casefold() in html.casefold()]
    assert not leaked, f"the youth page shows {leaked}"
    assert "ngozi.pupil@reader.example" not in html
