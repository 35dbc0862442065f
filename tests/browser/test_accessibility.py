"""WCAG 2.2 AA, measured with axe-core (vendored, tests/browser/vendor/axe-core) in Chromium:
the widget signed out and signed in (a moderator's notice, composer, thread, notification
centre), in French and in
a youth community, the account pages and the dashboard pages, in English and French. No page
may have a serious or critical violation; each page's counts are printed and written to
$TOWNHALL_DATA_DIR/axe-figures.json.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from townhall.demo.newsroom import MODERATOR_EMAIL, MODERATOR_PASSWORD

from tests.browser.conftest import DESKTOP, PHONE, Session, _requests_finished, new_context
from tests.browser.test_widget import open_story, sign_in
from tests.browser.test_widget_notices import act, demo_site
from tests.conftest import PASSWORD, make_account

pytestmark = pytest.mark.browser
AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
# The WCAG 2.0, 2.1 and 2.2 success criteria at levels A and AA.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FIGURES: dict[str, dict[str, int]] = {}


def audit(page: Any, name: str) -> list[dict[str, Any]]:
    """Run axe on the page (open shadow roots included); record and return the serious and
    critical violations, each with the elements it found."""
    page.add_script_tag(content=AXE)
    result = page.evaluate("""async (tags) => {
        const r = await axe.run(document, { runOnly: { type: "tag", values: tags },
                                            resultTypes: ["violations"] });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
    }""", TAGS)
    counts = {"critical": 0, "serious": 0, "moderate": 0, "minor": 0}
    for violation in result:
        counts[violation["impact"] or "minor"] += 1
    FIGURES[name] = counts
    print(f"axe {name}: {counts}")
    _write_figures()
    serious = [v for v in result if v["impact"] in ("serious", "critical")]
    for violation in serious:
        print(f"  {violation['impact']} {violation['id']}: {violation['help']} "
              f"{violation['nodes']}")
    return serious


def _write_figures() -> None:
    directory = os.environ.get("TOWNHALL_DATA_DIR")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        (Path(directory) / "axe-figures.json").write_text(json.dumps(FIGURES, indent=1))


@pytest.fixture
def axe_page(newsroom_site: Any, browser: Any, server_url: str) -> Any:
    """Pages that bypass the demo's Content-Security-Policy, so axe can be injected."""
    contexts: list[Any] = []

    def make(viewport: dict[str, int] | None = None, locale: str = "en-CA") -> Session:
        context = new_context(browser, viewport=viewport or DESKTOP, locale=locale,
                              bypass_csp=True, reduced_motion="reduce")
        context.set_default_timeout(10_000)
        contexts.append(context)
        return Session(page=context.new_page(), server=server_url)

    yield make
    for context in contexts:
        context.close()
    _requests_finished()


def test_the_widget_has_no_serious_violation_signed_out_signed_in_french_and_youth(
        axe_page: Any) -> None:
    reader = make_account(first_name="Tomas", last_name="Lindgren",
                          email_address="tomas@example.org")
    # A moderator's warning waits for the reader: the signed-in page shows the notice too.
    act(reader, demo_site(), kind="warn", guideline="respect",
        message="Please keep it civil: attack the argument, not the person.")
    found: dict[str, list[dict[str, Any]]] = {}

    session = axe_page()
    open_story(session, "1.7001")
    found["widget signed out"] = audit(session.page, "widget signed out")
    widget = session.widget()
    sign_in(widget, "tomas@example.org")
    expect(widget.locator("button.bell")).to_be_visible()
    expect(widget.get_by_role("region", name="A warning from the moderators")).to_be_visible()
    widget.locator(".account textarea").fill("The night crossing matters to the early shift.")
    found["widget signed in: notice, composer and thread"] = audit(
        session.page, "widget signed in: notice, composer and thread")
    widget.locator("button.bell").click()
    expect(widget.locator(".bell-panel h3")).to_be_focused()
    found["widget notification centre"] = audit(session.page, "widget notification centre")

    french = axe_page(viewport=PHONE, locale="fr-CA")
    open_story(french, "2.8001")
    found["widget French, phone"] = audit(french.page, "widget French, phone")
    youth = axe_page()
    open_story(youth, "3.9001")
    found["widget youth"] = audit(youth.page, "widget youth")
    assert {page: v for page, v in found.items() if v} == {}


def test_account_and_dashboard_pages_have_no_serious_violation_in_english_and_french(
        axe_page: Any) -> None:
    reader = make_account(first_name="Tomas", last_name="Lindgren",
                          email_address="tomas@example.org")
    found: dict[str, list[dict[str, Any]]] = {}
    session = axe_page()
    page = session.page
    page.goto(f"{session.server}/accounts/sign-in/")
    found["account sign-in"] = audit(page, "account sign-in")
    page.fill("#email", reader.email)
    page.fill("#password", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/accounts/profile/")
    for path, name in [("/accounts/profile/", "my account"), ("/accounts/comments/", "my comments"),
                       ("/accounts/notifications/", "notifications"),
                       ("/accounts/profile/?lang=fr", "my account, French"),
                       ("/accounts/notifications/?lang=fr", "notifications, French")]:
        page.goto(f"{session.server}{path}")
        found[name] = audit(page, name)

    desk = axe_page()
    page = desk.page
    page.goto(f"{desk.server}/moderation/sign-in/")
    found["dashboard sign-in"] = audit(page, "dashboard sign-in")
    page.fill("#email", MODERATOR_EMAIL)
    page.fill("#password", MODERATOR_PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/moderation/queue/**")
    for path, name in [("/moderation/queue/pending/", "queue"),
                       ("/moderation/queue/pending/?lang=fr", "queue, French"),
                       ("/moderation/queue/reported/", "reported queue"),
                       ("/moderation/picks/", "editor's picks"),
                       ("/moderation/stories/", "stories"),
                       ("/moderation/stats/", "stats"),
                       ("/moderation/audit/", "audit log"),
                       ("/moderation/sites/demo/settings/", "site settings"),
                       ("/moderation/staff/", "staff")]:
        page.goto(f"{desk.server}{path}")
        found[name] = audit(page, name)
    assert {page: v for page, v in found.items() if v} == {}
