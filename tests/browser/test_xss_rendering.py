"""The XSS corpus rendered by real Chromium, in the widget and in the moderator dashboard.

Every vector is posted as a comment; the pages are opened with `alert`, `confirm`, `prompt`
and `print` replaced by recorders and a `securitypolicyviolation` listener, every element
of the widget is hovered, focused and clicked (links disarmed first), and the test asserts
that nothing ran, nothing was blocked by the CSP, and nothing loaded from another host.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from townhall.accounts.services import account_create, staff_create
from townhall.comments.models import Comment
from townhall.demo import newsroom
from townhall.moderation.posting import comment_create
from townhall.moderation.services import comment_moderate
from townhall.stories.models import Story
from townhall.stories.services import story_upsert

from tests.browser.conftest import SCREENSHOTS, Session
from tests.conftest import PASSWORD
from tests.security.conftest import record_figures
from tests.security.xss_vectors import VECTORS

pytestmark = pytest.mark.browser

TRAPS = """
window.__xss = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { window.__xss.push(name + ":" + args.join(",")); };
}
document.addEventListener("securitypolicyviolation", (event) => {
  window.__xss.push("csp:" + event.violatedDirective + " " + event.blockedURI);
}, true);
"""
# Provoke every handler an injected attribute could hang on; links are disarmed first so
# that clicking them does not navigate away.
PROVOKE = """
(root) => {
  const scope = root.shadowRoot || root;
  const all = [...scope.querySelectorAll("*")];
  for (const el of all) {
    if (el.tagName === "A") el.addEventListener("click", (e) => e.preventDefault());
    for (const kind of ["mouseover", "mouseenter", "focus", "animationstart", "toggle"]) {
      el.dispatchEvent(new Event(kind, { bubbles: true }));
    }
    if (el.tagName === "A" || el.closest("li.c .body")) el.click();
  }
  return all.length;
}
"""


def _post_corpus(story: Story, email: str) -> list[int]:
    author = account_create(email=email, password=PASSWORD, first_name="Vera",
                            last_name="Lindqvist", verified=True)
    ids = []
    for vector in VECTORS:
        comment, _verdict = comment_create(account=author, story=story, body=vector,
                                           accept_terms=True)
        ids.append(comment.pk)
    return ids


def _approve_all(ids: list[int], site: Any) -> None:
    """Publish every vector, as a moderator would, so that the widget shows them all."""
    moderator, _ = staff_create(email="xss.approver@example.org", role="moderator",
                                password=PASSWORD, first_name="Ada", last_name="Moreau",
                                sites=[site])
    for comment in Comment.objects.filter(pk__in=ids).exclude(status="published"):
        comment_moderate(moderator=moderator, comment=comment, action="approve",
                         guideline="", note="")


def _assert_nothing_ran(session: Session) -> list[str]:
    ran = session.page.evaluate("window.__xss")
    assert ran == [], ran
    assert session.foreign_requests() == []
    return ran


def test_the_corpus_runs_no_script_in_the_widget(open_page: Any, settings: Any) -> None:
    settings.TOWNHALL_RATELIMIT = False
    story = Story.objects.get(site__name=newsroom.SITE_NAME, external_id="1.7001")
    ids = _post_corpus(story, "vera.widget@example.org")
    _approve_all(ids, story.site)
    published = Comment.objects.filter(pk__in=ids, status="published").count()
    assert published == len(VECTORS)
    session = open_page()
    session.page.add_init_script(TRAPS)
    session.page.goto(f"{session.server}/demo/stories/1.7001/")
    widget = session.widget()
    widget.scroll_into_view_if_needed()
    expect(widget.locator("ul.list li").first).to_be_visible()
    more = widget.get_by_role("button", name="Show more comments")
    for _ in range(40):
        if not more.is_visible():
            break
        more.click()
        session.page.wait_for_timeout(150)
    shown = widget.locator("li.c").count()
    assert shown >= published
    touched = session.page.locator(".townhall-embed").evaluate(PROVOKE)
    session.page.wait_for_timeout(300)
    _assert_nothing_ran(session)
    assert session.unexpected_errors() == []
    # One screen of the corpus as readers see it (the full page would be ~30,000 px tall).
    widget.locator("li.c").nth(20).scroll_into_view_if_needed()
    session.page.screenshot(path=str(SCREENSHOTS / "xss-widget.png"))
    record_figures("xss_widget", {"vectors": len(VECTORS), "published": published,
                                  "rendered_comments": shown, "elements_provoked": touched,
                                  "scripts_run": 0})


def test_the_corpus_runs_no_script_in_the_moderator_dashboard(open_page: Any,
                                                              settings: Any) -> None:
    settings.TOWNHALL_RATELIMIT = False
    site = Story.objects.get(site__name=newsroom.SITE_NAME, external_id="1.7001").site
    held, _ = story_upsert(site=site, external_id="xss-held", title="Held",
                           moderation_mode="pre")
    ids = _post_corpus(held, "vera.dashboard@example.org")
    moderator, _ = staff_create(email="xss.moderator@example.org", role="moderator",
                                password=PASSWORD, first_name="Dana", last_name="Whitfield",
                                sites=[site])
    session = open_page()
    page = session.page
    page.add_init_script(TRAPS)
    page.goto(f"{session.server}/moderation/sign-in/")
    page.fill("#email", moderator.email)
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url(f"{session.server}/moderation/queue/pending/**")
    shown: set[int] = set()
    pages = 0
    url: str | None = f"{session.server}/moderation/queue/pending/"
    while url and pages < 30:
        page.goto(url)
        pages += 1
        shown |= {int(i.removeprefix("comment-")) for i in page.locator(".card").evaluate_all(
            "cards => cards.map(card => card.id)") if i.startswith("comment-")}
        page.locator("main").evaluate(PROVOKE)
        page.wait_for_timeout(150)
        _assert_nothing_ran(session)
        following = page.locator(".more a.button")
        href = following.first.get_attribute("href") if following.count() else None
        url = f"{session.server}/moderation/queue/pending/{href}" if href else None
    assert len(shown & set(ids)) >= 100
    # Vectors not on those queue pages (decided at once, or further down the queue) are
    # opened on their own page, so that the dashboard renders every vector at least once.
    elsewhere = [i for i in ids if i not in shown]
    for comment_id in elsewhere:
        page.goto(f"{session.server}/moderation/comments/{comment_id}/")
        page.locator("main").evaluate(PROVOKE)
        _assert_nothing_ran(session)
    assert session.unexpected_errors() == []
    record_figures("xss_dashboard", {"vectors": len(VECTORS), "queue_cards": len(shown),
                                     "queue_pages": pages, "comment_pages": len(elsewhere),
                                     "scripts_run": 0})
