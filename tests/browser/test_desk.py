"""The moderation desk at volume, in headless Chromium: a queue of 50 mixed comments cleared
with the mouse only, with the keyboard only and by taps on a phone, and the density of the
queue on a laptop screen (at least 15 cards in view, long comments folded under "more").

Screenshots for the README land in docs/screenshots/dashboard-desk-*.png.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from townhall.comments.models import Comment
from townhall.moderation import phases
from townhall.moderation.models import Decision
from townhall.moderation.posting import comment_create

from tests.browser.conftest import SCREENSHOTS, _requests_finished, beside_the_server, new_context
from tests.conftest import PASSWORD, make_account, make_site, make_staff, make_story
from tests.moderation.conftest import FakeScorer

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
LIVE = 15_000
LONG = ("The ferry schedule matters to everyone who crosses before dawn, and the new timetable "
        "leaves the early shift at the hospital with a forty-minute wait in the cold. ") * 4
# Mixed, as a desk sees them: civil, rude (the model's insult), vulgar, spam, long, French.
TEXTS = [
    "When does the night crossing start again?",
    "Only an idiot would believe the city will keep this schedule.",
    "What a load of sh1t, the ferry was late again.",
    "Buy cheap tickets at https://tickets-deal.example/now",
    LONG,
    "Le traversier de nuit revient enfin, bonne nouvelle pour les travailleurs.",
    "A moron wrote this timetable, clearly.",
    "Thanks for the clear map of the new route.",
]


@pytest.fixture(autouse=True)
def _scorer() -> Iterator[None]:
    phases.use_scorer(FakeScorer())
    yield
    phases.use_scorer(None)


@pytest.fixture
def desk(transactional_db: None, settings: Any) -> Iterator[dict[str, Any]]:
    """A pre-moderated story with 50 held comments from ten readers, and two moderators."""
    settings.TOWNHALL_SSE_MAX_SECONDS = 2
    settings.TOWNHALL_SSE_HEARTBEAT = 0.25
    settings.TOWNHALL_SSE_RETRY_MS = 250
    settings.TOWNHALL_RATELIMIT = False
    site, _key = make_site(origins=["http://localhost"])
    story = make_story(site, "1.7001", title="Harbour ferry returns to service after winter storms",
                       url="https://news.example/1.7001", moderation_mode="pre")
    readers = [make_account() for _ in range(10)]
    ids = []
    for n in range(50):
        comment, _verdict = comment_create(account=readers[n % 10], story=story,
                                           body=f"{TEXTS[n % len(TEXTS)]} ({n + 1})",
                                           accept_terms=True)
        ids.append(comment.pk)
    first = make_staff(sites=[site])
    second = make_staff(sites=[site], first_name="Priya", last_name="Raman")
    yield {"site": site, "ids": ids, "first": first, "second": second}
    # Closed contexts close their keep-alive connections: one left open kept a server thread
    # waiting, and every later test's wait for the server's threads ran to its timeout.
    for context in _contexts:
        context.close()
    _contexts.clear()
    _requests_finished()


_contexts: list[Any] = []


def _context(browser: Any, **options: Any) -> Any:
    context = new_context(browser, **options)
    _contexts.append(context)
    return context


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/moderation/sign-in/")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{base}/moderation/queue/pending/")


def _open_page(browser: Any, base: str, email: str, **options: Any) -> Any:
    context = _context(browser, viewport=options.pop("viewport", LAPTOP), **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    _sign_in(page, base, email)
    return page


def _open_cards(page: Any) -> Any:
    return page.locator(".cards .card:not([data-decided])")


def _pending_left(ids: list[int]) -> int:
    return beside_the_server(lambda: Comment.objects.filter(pk__in=ids,
                                                            status="pending").count())


def _moderator_decisions(moderator: Any) -> Counter[str]:
    return beside_the_server(lambda: Counter(Decision.objects.filter(
        actor=moderator, source="moderator").values_list("rule", flat=True)))


def test_a_laptop_screen_shows_fifteen_cards_and_folds_a_long_comment_under_more(
    browser: Any, live_server: Any, desk: dict[str, Any]
) -> None:
    page = _open_page(browser, live_server.url, desk["first"].email)
    expect(_open_cards(page)).to_have_count(50)
    in_view = page.evaluate("""() => [...document.querySelectorAll('.cards .card')]
        .filter(card => { const box = card.getBoundingClientRect();
                          return box.top >= 0 && box.bottom <= window.innerHeight; }).length""")
    page.screenshot(path=str(SCREENSHOTS / "dashboard-desk-laptop.png"))
    assert in_view >= 15, in_view

    # The fifth comment is long: its first lines show, and "more" opens the rest.
    long_card = page.locator(f"#comment-{desk['ids'][4]}")
    more = long_card.get_by_role("button", name="more")
    expect(more).to_be_visible()
    folded = long_card.locator("[data-body]").evaluate("b => b.clientHeight")
    more.click()
    body = long_card.locator("[data-body]")
    expect(body).to_contain_text("forty-minute wait")
    assert body.evaluate("b => b.clientHeight") > folded
    assert body.evaluate("b => b.scrollHeight <= b.clientHeight + 1")
    # The card is current: its details hold the author's record and every finding.
    expect(long_card.locator(".details .findings")).to_be_visible()
    expect(long_card.locator("select[data-guidelines]")).to_be_visible()
    # The score is the one the decision used, labelled with its category.
    rude_id = desk["ids"][1]
    risk, category = beside_the_server(
        lambda: Comment.objects.values_list("risk", "category").get(pk=rude_id))
    assert category == "insult" and risk >= 0.9
    rude = page.locator(f"#comment-{rude_id} [data-score]")
    expect(rude).to_contain_text(f"{risk:.2f}")
    expect(rude.locator("[data-category]")).to_have_text("insult")
    expect(page.locator(f"#comment-{desk['ids'][0]} [data-category]")).to_have_count(0)
    assert page.errors == []


def test_a_moderator_clears_fifty_mixed_comments_with_the_mouse_while_another_watches(
    browser: Any, live_server: Any, desk: dict[str, Any]
) -> None:
    page = _open_page(browser, live_server.url, desk["first"].email)
    watcher = _open_page(browser, live_server.url, desk["second"].email)
    expect(_open_cards(page)).to_have_count(50)
    for n in range(50):
        card = _open_cards(page).first
        comment_id = int(card.get_attribute("data-comment"))
        if n % 3 == 0:
            card.get_by_role("button", name="Approve").click()
        else:
            # Open the card with a click on its text, choose the guideline, reject.
            card.locator("[data-body]").click()
            card.locator("select[data-guidelines]").select_option(
                "spam" if n % 3 == 1 else "respect")
            card.get_by_role("button", name="Reject").click()
        expect(page.locator(f"#comment-{comment_id}[data-decided]")).to_be_visible()
        if n == 0:
            # The other moderator sees the decision live, without a reload.
            expect(watcher.locator(f"#comment-{comment_id}.decided-elsewhere")).to_be_visible(
                timeout=LIVE)
    expect(_open_cards(page)).to_have_count(0)
    expect(page.locator('[data-count="pending"]')).to_have_text("0")
    assert _pending_left(desk["ids"]) == 0
    assert _moderator_decisions(desk["first"]) == Counter(approve=17, reject=33)
    guidelines = beside_the_server(lambda: Counter(Comment.objects.filter(
        pk__in=desk["ids"], status="rejected").values_list("guideline", flat=True)))
    assert guidelines == Counter(spam=17, respect=16)
    assert page.errors == []


def test_a_moderator_clears_fifty_mixed_comments_with_the_keyboard_alone(
    browser: Any, live_server: Any, desk: dict[str, Any]
) -> None:
    page = _open_page(browser, live_server.url, desk["first"].email)
    expect(_open_cards(page)).to_have_count(50)
    for n in range(50):
        current = page.locator(".card.is-current")
        expect(current).to_have_count(1)
        comment_id = int(current.get_attribute("data-comment"))
        if n % 2:
            page.keyboard.press("a")
        else:
            page.keyboard.press("r")
            page.keyboard.press("4")  # No obscenity or vulgarity
        expect(page.locator(f"#comment-{comment_id}[data-decided]")).to_be_visible()
    expect(_open_cards(page)).to_have_count(0)
    assert _pending_left(desk["ids"]) == 0
    assert _moderator_decisions(desk["first"]) == Counter(approve=25, reject=25)
    # The last decision can still be undone from the keyboard.
    last = desk["ids"][-1]
    expect(page.locator("form[data-undo-armed]").last).to_be_attached()
    page.keyboard.press("u")
    expect(page.locator(f"#comment-{last}[data-undone]")).to_be_visible()
    assert beside_the_server(lambda: Comment.objects.get(pk=last).status) == "pending"
    assert page.errors == []


def test_a_moderator_clears_fifty_mixed_comments_by_tapping_on_a_phone(
    browser: Any, live_server: Any, desk: dict[str, Any]
) -> None:
    page = _open_page(browser, live_server.url, desk["first"].email, viewport=PHONE,
                      has_touch=True, is_mobile=True, reduced_motion="reduce")
    expect(_open_cards(page)).to_have_count(50)
    expect(page.locator(".card.is-current")).to_be_in_viewport()
    page.screenshot(path=str(SCREENSHOTS / "dashboard-desk-phone.png"))
    for n in range(50):
        card = _open_cards(page).first
        comment_id = int(card.get_attribute("data-comment"))
        card.locator("button[value=approve]" if n % 2 else "button[value=reject]").tap()
        expect(page.locator(f"#comment-{comment_id}[data-decided]")).to_be_visible()
    expect(_open_cards(page)).to_have_count(0)
    assert _pending_left(desk["ids"]) == 0
    assert _moderator_decisions(desk["first"]) == Counter(approve=25, reject=25)
    assert page.errors == []


def test_an_administrator_browses_the_audit_log_and_filters_it_with_the_mouse(
    browser: Any, live_server: Any, desk: dict[str, Any]
) -> None:
    from townhall.moderation.services import site_moderation_update, word_rule_add

    admin = make_staff(role="admin", first_name="Ada", last_name="Brennan")
    beside_the_server(lambda: site_moderation_update(site=desk["site"], actor=admin,
                                                     toxicity_hold=0.65, flood_limit=8))
    beside_the_server(lambda: word_rule_add(site=desk["site"], phrase="crooks", action="hold",
                                            guideline="respect", actor=admin))
    page = _open_page(browser, live_server.url, desk["first"].email)
    first = _open_cards(page).first
    decided = int(first.get_attribute("data-comment"))
    first.get_by_role("button", name="Approve").click()
    expect(page.locator(f"#comment-{decided}[data-decided]")).to_be_visible()

    audit = _context(browser, viewport=LAPTOP).new_page()
    audit.goto(f"{live_server.url}/moderation/sign-in/")
    audit.fill("#email", admin.email)
    audit.fill("#password", PASSWORD)
    audit.locator("form button[type=submit]").click()
    audit.wait_for_url("**/moderation/**")
    audit.goto(f"{live_server.url}/moderation/queue/pending/")
    audit.get_by_role("link", name="Audit log").click()
    expect(audit.locator("h1")).to_have_text("Audit log")
    expect(audit.locator('tr[data-action="settings.change"]')).to_contain_text(
        "toxicity_hold: — → 0.65")
    expect(audit.locator('tr[data-kind="decision"][data-action="approve"]')).to_contain_text(
        "Dana Whitfield")
    audit.screenshot(path=str(SCREENSHOTS / "dashboard-audit.png"))
    audit.get_by_label("Action").select_option("words")
    audit.get_by_role("button", name="Filter").click()
    expect(audit.locator("tbody tr")).to_have_count(1)
    expect(audit.locator("tbody tr")).to_contain_text("phrase: crooks")
    # The comment the row names opens from the log.
    audit.get_by_label("Action").select_option("moderator")
    audit.get_by_role("button", name="Filter").click()
    audit.locator("tbody tr").first.get_by_role("link", name=f"comment {decided}").click()
    audit.wait_for_url(f"**/moderation/comments/{decided}/")
    assert page.errors == []
