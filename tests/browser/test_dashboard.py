"""The moderator dashboard in headless Chromium: keyboard moderation, bulk reject, bans.

Screenshots for the README land in docs/screenshots/dashboard-*.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from townhall.comments.models import Comment
from townhall.moderation import phases
from townhall.moderation.models import AccountAction, Decision

from tests.browser.conftest import beside_the_server, launch, new_context
from tests.conftest import PASSWORD, Api, make_account, make_site, make_staff, make_story, token_for
from tests.moderation.conftest import FakeScorer

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PATH = "sites/daily/stories/1.7001/comments"


@pytest.fixture(autouse=True)
def _browser_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Playwright's sync API keeps an event loop in this thread; the test reads the database
    # between browser steps, which Django would otherwise refuse.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    phases.use_scorer(FakeScorer())
    yield
    phases.use_scorer(None)


@pytest.fixture
def newsroom(transactional_db: None) -> dict[str, Any]:
    site, _key = make_site(origins=["http://localhost"])
    make_story(site, "1.7001", title="Harbour ferry returns to service after winter storms",
               url="https://news.example/1.7001")
    make_story(site, "1.7002", title="Council approves the new bridge",
               url="https://news.example/1.7002")
    moderator = make_staff(sites=[site])
    bodies = [
        ("The late run is great news for anyone working at the hospital.", {}),
        ("Only an idiot would believe the city will keep this schedule.", {}),
        ("How will they count riders at night? Many of us have passes.",
         {"review_requested": True}),
        ("What a load of sh1t, the ferry was late again.", {}),
        ("Buy cheap tickets at https://tickets-deal.example/now", {}),
    ]
    ids = []
    for body, extra in bodies:
        response = Api(token_for(make_account())).post(
            PATH, {"body": body, "accept_terms": True, **extra})
        ids.append(response.json()["id"])
    return {"site": site, "moderator": moderator, "ids": ids}


def sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/moderation/sign-in/")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url(f"{base}/moderation/queue/pending/")


def browser_page(playwright: Any) -> tuple[Any, Any]:
    browser = launch(playwright, CHROMIUM_ARGS)
    page = new_context(browser, viewport={"width": 1360, "height": 900}).new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.errors = errors  # type: ignore[attr-defined]
    return browser, page


@pytest.mark.browser
def test_a_moderator_clears_the_queue_with_the_keyboard_alone(
    live_server: Any, newsroom: dict[str, Any]
) -> None:
    from playwright.sync_api import expect, sync_playwright

    civil, rude, asked, swear, spam = newsroom["ids"]
    assert Comment.objects.get(pk=civil).status == "published"
    with sync_playwright() as playwright:
        browser, page = browser_page(playwright)
        sign_in(page, live_server.url, newsroom["moderator"].email)
        expect(page.locator(".card")).to_have_count(4)
        expect(page.locator(".card mark").first).to_have_text("idiot")
        expect(page.locator(".card.is-current")).to_have_count(1)
        page.screenshot(path=str(SHOTS / "dashboard-queue.png"), full_page=True)

        # Oldest first: rude, asked, swear, spam. Reject, approve, reject, reject.
        page.keyboard.press("r")
        page.keyboard.press("1")
        expect(page.locator(f"#comment-{rude}[data-decided]")).to_be_visible()
        expect(page.locator(f"#comment-{asked}.is-current")).to_be_visible()
        page.keyboard.press("a")
        expect(page.locator(f"#comment-{asked}[data-decided]")).to_be_visible()
        page.keyboard.press("r")
        page.keyboard.press("4")
        expect(page.locator(f"#comment-{swear}[data-decided]")).to_be_visible()
        page.keyboard.press("r")
        page.keyboard.press("6")
        expect(page.locator(f"#comment-{spam}[data-decided]")).to_be_visible()
        expect(page.locator('[data-count="pending"]')).to_have_text("0")
        page.screenshot(path=str(SHOTS / "dashboard-queue-cleared.png"), full_page=True)

        statuses = dict(Comment.objects.values_list("id", "status"))
        assert [statuses[i] for i in (rude, asked, swear, spam)] == [
            "rejected", "published", "rejected", "rejected"]
        guidelines = dict(Decision.objects.filter(source="moderator").values_list(
            "comment_id", "guideline"))
        assert guidelines == {rude: "respect", asked: "", swear: "obscenity", spam: "spam"}

        # The unreviewed queue: feature the civil comment with the keyboard.
        page.goto(f"{live_server.url}/moderation/queue/unreviewed/")
        expect(page.locator(f"#comment-{civil}.is-current")).to_be_visible()
        page.keyboard.press("f")
        expect(page.locator(f"#comment-{civil}[data-decided]")).to_contain_text("Featured")
        assert Comment.objects.get(pk=civil).featured_at is not None

        page.goto(f"{live_server.url}/moderation/comments/{rude}/")
        expect(page.locator("table.history tbody tr")).to_have_count(2)
        page.screenshot(path=str(SHOTS / "dashboard-comment-history.png"), full_page=True)
        assert page.errors == []  # type: ignore[attr-defined]
        browser.close()


@pytest.mark.browser
def test_bulk_reject_and_ban_in_the_browser(live_server: Any,
                                            newsroom: dict[str, Any]) -> None:
    from playwright.sync_api import expect, sync_playwright

    _civil, rude, asked, swear, spam = newsroom["ids"]
    with sync_playwright() as playwright:
        browser, page = browser_page(playwright)
        sign_in(page, live_server.url, newsroom["moderator"].email)
        page.locator(f"#comment-{swear} input[name=ids]").check()
        page.locator(f"#comment-{spam} input[name=ids]").check()
        expect(page.locator("[data-bulk-count] strong")).to_have_text("2")
        page.select_option("#bulk select[name=guideline]", "spam")
        page.click("#bulk button[value=reject]")
        expect(page.locator(".flash")).to_contain_text("2")
        expect(page.locator(".card")).to_have_count(2)
        assert set(Comment.objects.filter(pk__in=[swear, spam]).values_list(
            "status", flat=True)) == {"rejected"}

        # Open the author of the rude comment with "o" and ban them on this site.
        page.locator(f"#comment-{rude}").click(position={"x": 5, "y": 5})
        page.keyboard.press("o")
        page.wait_for_url("**/moderation/accounts/*/")
        page.select_option("select[name=kind]", "ban")
        page.select_option("#account-action select[name=guideline]", "respect")
        page.check("input[name=reject_comments]")
        page.click("#account-action button[type=submit]")
        expect(page.locator("table").first).to_contain_text("Ban")
        page.screenshot(path=str(SHOTS / "dashboard-account.png"), full_page=True)
        author = Comment.objects.get(pk=rude).author
        assert AccountAction.objects.get(account=author).kind == "ban"
        assert Comment.objects.get(pk=rude).status == "rejected"

        page.goto(f"{live_server.url}/moderation/stats/")
        expect(page.locator("svg.chart")).to_have_count(4)
        page.screenshot(path=str(SHOTS / "dashboard-charts.png"), full_page=True)
        page.goto(f"{live_server.url}/moderation/sites/daily/settings/")
        page.screenshot(path=str(SHOTS / "dashboard-settings.png"))
        page.goto(f"{live_server.url}/moderation/queue/pending/?lang=fr")
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        assert Comment.objects.get(pk=asked).status == "pending"
        assert page.errors == []  # type: ignore[attr-defined]
        browser.close()


@pytest.mark.browser
def test_a_moderator_decides_with_the_mouse_and_with_taps_on_a_phone(
    live_server: Any, newsroom: dict[str, Any]
) -> None:
    """The keyboard path worked while a click on Approve or Reject sent no `action`."""
    from playwright.sync_api import expect, sync_playwright

    _civil, rude, asked, swear, spam = newsroom["ids"]

    def status_of(comment_id: int) -> str:
        return beside_the_server(lambda: Comment.objects.get(pk=comment_id).status)

    with sync_playwright() as playwright:
        browser, page = browser_page(playwright)
        sign_in(page, live_server.url, newsroom["moderator"].email)
        card = page.locator(f"#comment-{rude}")
        card.locator("select[data-guidelines]").select_option(index=0)
        card.get_by_role("button", name="Reject").click()
        expect(page.locator(f"#comment-{rude}[data-decided]")).to_contain_text("Rejected")
        # A click on the shortcut hint inside the button is a click on the button.
        page.locator(f"#comment-{asked} button[value=approve] kbd").click()
        expect(page.locator(f"#comment-{asked}[data-decided]")).to_be_visible()
        assert status_of(rude) == "rejected" and status_of(asked) == "published"

        phone = new_context(browser, viewport={"width": 390, "height": 844}, has_touch=True,
                            is_mobile=True)
        tapped = phone.new_page()
        sign_in(tapped, live_server.url, newsroom["moderator"].email)
        tapped.locator(f"#comment-{swear} button[value=reject]").tap()
        expect(tapped.locator(f"#comment-{swear}[data-decided]")).to_be_visible()
        assert status_of(swear) == "rejected"

        # A refusal is shown on the card, not swallowed: the comment changed meanwhile.
        beside_the_server(lambda: Comment.objects.filter(pk=spam).update(status="deleted"))
        page.locator(f"#comment-{spam}").get_by_role("button", name="Approve").click()
        expect(page.locator(f"#comment-{spam} [role=alert]")).to_be_visible()
        assert status_of(spam) == "deleted"
        assert page.errors == [] or all("422" in e for e in page.errors)  # type: ignore[attr-defined]
        browser.close()
