"""One session for the widget and the account pages on Townhall's own origin, in Chromium:
signing in in the widget signs the pages in, signing out of the pages signs the widget out,
and a reader signed in on the pages finds the widget signed in."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Session
from tests.browser.test_widget import open_story, sign_in
from tests.conftest import PASSWORD, make_account

pytestmark = pytest.mark.browser


def test_signing_in_or_out_on_either_side_is_one_session(open_page: Any) -> None:
    make_account(first_name="Tomas", last_name="Lindgren", email_address="tomas@example.org")
    session: Session = open_page()
    widget = open_story(session, "1.7001")
    sign_in(widget, "tomas@example.org")
    expect(widget.get_by_text("Signed in as Tomas Lindgren")).to_be_visible()

    page = session.page
    page.goto(f"{session.server}/accounts/profile/")
    expect(page.get_by_role("heading", name="My account", exact=True)).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()

    widget = open_story(session, "1.7001")
    expect(widget.get_by_role("button", name="Create account")).to_be_visible()
    expect(widget.get_by_text("Signed in as Tomas Lindgren")).to_have_count(0)

    # Signed in on the pages first: the widget needs no second sign-in.
    page.goto(f"{session.server}/accounts/sign-in/")
    page.fill("#email", "tomas@example.org")
    page.fill("#password", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/accounts/profile/")
    widget = open_story(session, "1.7001")
    expect(widget.get_by_text("Signed in as Tomas Lindgren")).to_be_visible()
    # And signing out in the widget ends the pages' session.
    widget.get_by_role("button", name="Sign out").click()
    expect(widget.get_by_role("button", name="Create account")).to_be_visible()
    page.goto(f"{session.server}/accounts/profile/")
    expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()
    assert session.unexpected_errors() == []
