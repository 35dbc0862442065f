"""The widget in a real browser, on the sample newsroom, as readers use it."""

from __future__ import annotations

import datetime as dt
import http.server
import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from townhall.comments.models import Comment, Status
from townhall.core import clock
from townhall.demo import newsroom
from townhall.stories.models import Site, Story
from townhall.stories.services import site_update, story_signature, story_touch

from tests.browser.conftest import PHONE, Session
from tests.conftest import PASSWORD, Outbox, make_account

pytestmark = [pytest.mark.browser, pytest.mark.calendar]


def open_story(session: Session, external_id: str) -> Any:
    session.page.goto(f"{session.server}/demo/stories/{external_id}/")
    widget = session.widget()
    widget.scroll_into_view_if_needed()
    expect(widget.locator("ul.list li").first).to_be_visible()
    return widget


def sign_in(widget: Any, email: str) -> None:
    widget.get_by_role("button", name=re.compile("^(Sign in|Se connecter)$")).first.click()
    widget.get_by_label(re.compile("^(Email|Courriel)$")).fill(email)
    widget.get_by_label(re.compile("^(Password|Mot de passe)$")).fill(PASSWORD)
    widget.locator("form button[type=submit]").click()


def sign_up(widget: Any, first: str, last: str, email: str) -> None:
    """Fill the widget's sign-up form with the mouse, accepting the terms."""
    widget.get_by_role("button", name="Create account").click()
    widget.get_by_label("First name").fill(first)
    widget.get_by_label("Last name").fill(last)
    widget.get_by_label("Email").fill(email)
    widget.get_by_label("Password").fill(PASSWORD)
    widget.get_by_label("I have read the community policy").click()
    widget.get_by_role("button", name="Create my account").click()
    expect(widget.get_by_role("heading", name="Check your email")).to_be_visible()


def comment_item(widget: Any, text: str) -> Any:
    return widget.locator("li.c", has_text=text)


def comment_by(session: Session, author: str) -> Any:
    name = session.page.locator(".name").get_by_text(author, exact=True)
    return session.widget().locator("li.c").filter(has=name)


def test_new_reader_signs_up_verifies_posts_replies_likes_edits_and_deletes(
    open_page: Any, outbox: Outbox
) -> None:
    session = open_page()
    widget = open_story(session, "1.7001")
    expect(widget.get_by_role("heading", name="Join the conversation")).to_be_visible()
    expect(widget.get_by_text("Priya Raman", exact=True)).to_be_visible()
    expect(widget.get_by_text("first and last names appear with each comment")).to_be_visible()
    expect(widget.get_by_role("link", name="Submission Guidelines")).to_have_attribute(
        "href", f"{session.server}/demo/guidelines/?lang=en")
    session.shot("desktop-signed-out")

    sign_up(widget, "Jane", "Smith", "jane.smith@example.org")

    verify = session.page.context.new_page()
    verify.goto(outbox.link("jane.smith@example.org", "/accounts/verify/"))
    verify.get_by_role("button", name="Confirm my email address").click()
    expect(verify.get_by_text("your email address is verified")).to_be_visible()
    verify.close()

    widget.get_by_role("button", name="Sign in").click()
    expect(widget.get_by_label("Email")).to_have_value("jane.smith@example.org")
    widget.get_by_label("Password").fill(PASSWORD)
    widget.locator("form button[type=submit]").click()
    composer = widget.get_by_label("Commenting as Jane Smith")
    expect(composer).to_be_visible()
    # One line says who is signed in: no banner, and the composer's label is for screen
    # readers only.
    expect(widget.get_by_text("Signed in as Jane Smith")).to_be_visible()
    expect(widget.locator(".alert", has_text="You are signed in.")).to_have_count(0)
    box = widget.get_by_text("Commenting as Jane Smith").bounding_box()
    assert box is not None and box["width"] <= 1 and box["height"] <= 1
    # The toolbar's rule is the first comment's top: one line under the sort switcher.
    first = widget.locator("ul.list:not(.pending-list) > li.c").first
    assert first.evaluate("el => getComputedStyle(el).borderTopWidth") == "0px"
    toolbar = widget.locator(".toolbar")
    assert toolbar.evaluate("el => getComputedStyle(el).borderBottomWidth") == "1px"
    # The terms were accepted at sign-up for this version: no second checkbox.
    expect(widget.get_by_label("I have read the community policy")).to_have_count(0)
    composer.fill("The evening run is exactly what shift workers asked for.")
    expect(widget.get_by_text("1,944 characters left")).to_be_visible()
    session.shot("desktop-signed-in-composer")
    widget.get_by_role("button", name="Post comment").click()
    expect(widget.locator(".alert", has_text="Your comment is published.")).to_be_visible()
    mine = comment_item(widget, "The evening run is exactly what shift workers asked for.")
    expect(mine).to_contain_text("Jane Smith")
    expect(widget.locator("h2")).to_contain_text("comments")

    priya = comment_by(session, "Priya Raman")
    priya.get_by_role("button", name="Reply").click()
    priya.get_by_label("Commenting as Jane Smith").fill("Agreed, the hospital shifts end late.")
    priya.get_by_role("button", name="Post reply").click()
    expect(priya.locator(".alert", has_text="Your reply is published.")).to_be_visible()
    reply = comment_item(widget, "Agreed, the hospital shifts end late.")
    expect(reply).to_have_class(re.compile(r"\breply\b"))

    grace = comment_by(session, "Grace Mensah")
    like = grace.get_by_role("button", name=re.compile("^Like the comment by Grace Mensah"))
    like.click()
    expect(like).to_have_attribute("aria-pressed", "true")
    session.shot("desktop-thread")
    thread_text = widget.get_by_role("list", name="Comments on this story").inner_text()
    assert "null" not in thread_text and "undefined" not in thread_text

    mine.get_by_role("button", name="Edit").click()
    mine.get_by_label("Edit your comment").fill("The late evening run is what shift workers "
                                                "asked for.")
    mine.get_by_role("button", name="Save changes").click()
    edited = comment_item(widget, "The late evening run is what shift workers asked for.")
    expect(edited.locator(".alert", has_text="Your changes are saved.")).to_be_visible()
    expect(edited).to_contain_text("edited")

    edited.get_by_role("button", name="Delete").click()
    edited.get_by_role("button", name="Yes, delete it").click()
    expect(comment_item(widget, "The late evening run")).to_have_count(0)

    statuses = dict(Comment.objects.filter(author__email="jane.smith@example.org")
                    .values_list("source", "status"))
    assert statuses == {
        "The late evening run is what shift workers asked for.": "deleted",
        "Agreed, the hospital shifts end late.": "published",
    }
    assert session.unexpected_errors() == []
    assert session.foreign_requests() == []


def test_sign_in_and_sign_up_errors_are_shown_in_the_widget(open_page: Any) -> None:
    make_account(email_address="known@example.org")
    session = open_page(viewport=PHONE, has_touch=True)
    widget = open_story(session, "1.7001")
    session.shot("phone-signed-out")
    widget.get_by_role("button", name="Sign in").click()
    widget.get_by_label("Email").fill("known@example.org")
    widget.get_by_label("Password").fill("not the password")
    widget.locator("form button[type=submit]").click()
    expect(widget.get_by_role("alert")).to_have_text("Wrong email or password.")

    widget.get_by_role("button", name="Cancel").click()
    widget.get_by_role("button", name="Create account").click()
    widget.get_by_label("First name").fill("Jane")
    widget.get_by_label("Last name").fill("Smith")
    widget.get_by_label("Email").fill("jane@example.org")
    widget.get_by_label("Email").fill("not-an-address")
    widget.get_by_label("Password").fill("short")
    # The password rule shows before any error.
    expect(widget.get_by_text("At least 10 characters.")).to_be_visible()
    widget.get_by_role("button", name="Create my account").tap()
    # Every error at once, each beside its field, in the order of the form.
    errors = widget.locator(".field-error:not(:empty)")
    expect(errors).to_have_count(3)
    expect(errors.nth(0)).to_contain_text("valid email address")
    expect(errors.nth(1)).to_contain_text("too short")
    expect(errors.nth(2)).to_have_text("Accept the terms to create your account.")
    for label in ("Email", "Password"):
        expect(widget.get_by_label(label)).to_have_attribute("aria-invalid", "true")
    # Focus goes to the first field in error.
    expect(widget.get_by_label("Email")).to_be_focused()
    session.shot("phone-sign-up-errors")
    assert session.unexpected_errors(401, 422) == []
    assert session.foreign_requests() == []


def test_closed_story_shows_the_banner_and_no_composer(open_page: Any) -> None:
    session = open_page(viewport=PHONE)
    widget = open_story(session, "1.7002")
    expect(widget.get_by_text("Comments are closed")).to_be_visible()
    expect(widget.get_by_text("Grace Mensah", exact=True)).to_be_visible()
    expect(widget.locator("textarea")).to_have_count(0)
    expect(widget.get_by_text("Join the conversation")).to_have_count(0)
    expect(widget.get_by_role("button", name="Reply")).to_have_count(0)
    session.shot("phone-closed-story")
    assert session.unexpected_errors() == []


def test_french_story_speaks_french(open_page: Any) -> None:
    session = open_page(locale="en-CA")
    widget = open_story(session, "2.8001")
    expect(widget.get_by_role("heading", name=re.compile("^Commentaires"))).to_be_visible()
    expect(widget.get_by_role("heading", name="Joignez-vous à la conversation")).to_be_visible()
    expect(widget.get_by_role("button", name="Créer un compte")).to_be_visible()
    expect(widget.get_by_text("Vous avez déjà un compte?")).to_be_visible()
    expect(widget.get_by_text("Les pseudonymes ne sont pas permis.")).to_be_visible()
    expect(widget.get_by_role("link", name="lignes directrices de participation")).to_be_visible()
    expect(widget.get_by_role("group", name="Trier les commentaires")).to_be_visible()
    expect(widget.locator("time").first).to_have_text(re.compile(r"maintenant|il y a"))
    session.shot("desktop-french-story")
    assert session.unexpected_errors() == []
    assert session.foreign_requests() == []


def test_youth_story_shows_no_real_names_anywhere(open_page: Any) -> None:
    make_account(first_name="Wilhelmina", last_name="Oyelaran", email_address="wil@example.org")
    session = open_page(viewport=PHONE)
    widget = open_story(session, "3.9001")
    expect(widget.get_by_text("names are never shown here")).to_be_visible()
    sign_in(widget, "wil@example.org")
    expect(widget.get_by_text(re.compile(r"^Signed in as \w+ \w+ \d+$"))).to_be_visible()
    widget.get_by_role("textbox").first.fill("Could the station measure snow depth too?")
    label = widget.get_by_text(re.compile(r"^Signed in as ")).inner_text()
    widget.get_by_label("I have read the community policy").check()
    widget.get_by_role("button", name="Post comment").click()
    expect(widget.locator(".alert", has_text="Your comment is published.")).to_be_visible()
    handle = label.removeprefix("Signed in as ")
    expect(comment_item(widget, "snow depth")).to_contain_text(handle)
    session.shot("phone-youth-story")

    everything = session.page.evaluate(
        "() => document.documentElement.outerHTML + document.body.innerText + "
        "[...document.querySelectorAll('.townhall-embed')].map(h => h.shadowRoot.innerHTML"
        " + h.shadowRoot.textContent).join('')")
    sample = newsroom.sample_for("3.9001")
    assert sample is not None
    names = {part for first, last, _ in sample.comments for part in (first, last)}
    names |= {part for first, last, _ in sample.replies for part in (first, last)}
    names |= {"Wilhelmina", "Oyelaran"}
    assert [n for n in names if n in everything] == []
    assert session.unexpected_errors() == []


def test_a_guideline_nudge_then_post_anyway_is_awaiting_review(open_page: Any) -> None:
    make_account(first_name="Tomas", last_name="Lindgren", email_address="tomas@example.org")
    session = open_page()
    widget = open_story(session, "1.7001")
    sign_in(widget, "tomas@example.org")
    widget.get_by_label("Commenting as Tomas Lindgren").fill("Whoever planned this is an idiot.")
    widget.get_by_label("I have read the community policy").check()
    widget.get_by_role("button", name="Post comment").click()
    expect(widget.get_by_text(re.compile("This may break the guideline"))).to_be_visible()
    # Only the nudge's two choices are offered; "Edit it" brings the form's button back.
    expect(widget.get_by_role("button", name="Post comment")).to_be_hidden()
    widget.get_by_role("button", name="Edit my comment").click()
    expect(widget.get_by_role("button", name="Post comment")).to_be_visible()
    widget.get_by_role("button", name="Post comment").click()
    expect(widget.get_by_role("button", name="Post comment")).to_be_hidden()
    widget.get_by_role("button", name="Post anyway").click()
    expect(widget.locator(".alert", has_text="Your comment is awaiting review")).to_be_visible()
    expect(comment_item(widget, "Whoever planned this")).to_contain_text("Awaiting review")
    assert Comment.objects.get(source__startswith="Whoever planned").status == "pending"
    assert session.unexpected_errors() == []


@pytest.fixture
def publisher_page() -> Iterator[Any]:
    """Serve one HTML page, with its CSP header, from another origin on the loopback."""
    pages: dict[str, tuple[str, str]] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body, csp = pages.get(self.path, ("not found", ""))
            self.send_response(200 if self.path in pages else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            if csp:
                self.send_header("Content-Security-Policy", csp)
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"

    def publish(path: str, html: str, csp: str) -> str:
        pages[path] = (html, csp)
        return origin + path

    yield publish
    server.shutdown()
    server.server_close()


def test_a_publishers_page_with_a_strict_csp_registers_and_shows_a_new_story(
    open_page: Any, live_server: Any, publisher_page: Any
) -> None:
    session = open_page()
    url = publisher_page("/news/budget-day", "", "")
    publisher = url.rsplit("/news/", 1)[0]
    site = Site.objects.get(name=newsroom.SITE_NAME)
    site_update(site=site, origins=[*site.origins, publisher])
    html = f"""<!doctype html><html lang="en"><head><title>Budget day</title>
<link rel="canonical" href="{url}"><link rel="icon" href="data:,"></head><body>
<h1>Budget day</h1><p>Story text.</p>
<script src="{live_server.url}/embed.js" data-site="demo" data-story="9.4242"
 data-signature="{story_signature(site=site, external_id='9.4242')}" async></script>
</body></html>"""
    # What a publisher with a strict policy adds for Townhall: its origin in script-src and
    # connect-src, and the "townhall" Trusted Types policy. No styles, images or frames.
    csp = (f"default-src 'none'; script-src {live_server.url}; connect-src {live_server.url}; "
           "require-trusted-types-for 'script'; trusted-types townhall; img-src data:")
    publisher_page("/news/budget-day", html, csp)
    session.page.goto(url)
    widget = session.widget()
    expect(widget.get_by_role("heading", name="Join the conversation")).to_be_visible()
    expect(widget.get_by_text("No comments yet. Start the conversation.")).to_be_visible()
    story = Story.objects.get(site=site, external_id="9.4242")
    assert story.title == "Budget day"
    assert story.url == url
    assert session.page.evaluate("Object.keys(window).filter(k => /townhall/i.test(k))") == [
        "Townhall"]
    assert session.unexpected_errors() == []
    assert session.foreign_requests(publisher.split("//")[1]) == []


def test_a_reader_sees_that_they_reported_a_comment_and_cannot_report_it_twice(
        open_page: Any) -> None:
    make_account(first_name="Tomas", last_name="Lindgren", email_address="tomas@example.org")
    session = open_page(viewport=PHONE)
    widget = open_story(session, "1.7001")
    sign_in(widget, "tomas@example.org")
    expect(widget.get_by_text("Signed in as Tomas Lindgren")).to_be_visible()
    grace = comment_by(session, "Grace Mensah")
    grace.get_by_role("button", name="Report").click()
    grace.get_by_role("dialog").get_by_text("Something else").click()
    grace.get_by_label("Details (optional)").fill("Off topic for this story.")
    grace.get_by_role("dialog").locator("button[type=submit]").click()
    expect(grace.get_by_text("A moderator will look at this comment.")).to_be_visible()
    expect(grace.get_by_text("You reported this")).to_be_visible()
    expect(grace.get_by_role("button", name="Report")).to_have_count(0)
    # The state is the server's: a new page shows it too.
    session.page.reload()
    widget = open_story(session, "1.7001")
    grace = comment_by(session, "Grace Mensah")
    expect(grace.get_by_text("You reported this")).to_be_visible()
    expect(grace.get_by_role("button", name="Report")).to_have_count(0)
    assert session.unexpected_errors() == []


def _long_thread(external_id: str, count: int) -> tuple[Comment, Comment]:
    """Add `count` published top-level comments, oldest first, and a reply to the oldest:
    read newest first, that reply sits on the thread's last page."""
    story = Story.objects.get(external_id=external_id)
    authors = [make_account() for _ in range(5)]
    start = clock.now() - dt.timedelta(days=2)
    rows = Comment.objects.bulk_create([
        Comment(story=story, author=authors[n % 5], source=f"Point number {n} on the budget.",
                body_html=f"<p>Point number {n} on the budget.</p>", language="en",
                status=Status.PUBLISHED, terms_version=1,
                created_at=start + dt.timedelta(minutes=n))
        for n in range(count)
    ])
    oldest = rows[0]
    reply = Comment.objects.create(
        story=story, author=authors[1], parent=oldest, root_id=oldest.pk, depth=1,
        source="A reply far down the thread.", body_html="<p>A reply far down the thread.</p>",
        language="en", status=Status.PUBLISHED, terms_version=1,
        created_at=start + dt.timedelta(minutes=count + 1))
    Comment.objects.filter(pk=oldest.pk).update(reply_count=1)
    story_touch(story=story, comments=count + 1)
    return oldest, reply


def test_a_reply_emails_link_lands_on_the_reply_in_a_200_comment_thread(
        open_page: Any) -> None:
    _oldest, reply = _long_thread("1.7001", 200)
    session = open_page()
    session.page.goto(f"{session.server}/demo/stories/1.7001/#comment-{reply.pk}")
    widget = session.widget()
    linked = widget.locator(f"#th-comment-{reply.pk}")
    expect(linked).to_be_visible()
    expect(linked).to_have_class(re.compile(r"\blinked\b"))
    expect(linked).to_be_in_viewport()
    # Its conversation came with it, its parent first, though both sit on page 11 of 11.
    expect(widget.locator("ul.list li.c").first).to_contain_text("Point number 0 on the budget.")
    expect(widget.locator("ul.list li.c").nth(1)).to_contain_text("A reply far down the thread.")
    # The first page follows it, and paging on never shows the conversation twice.
    expect(widget.get_by_text("Point number 199 on the budget.")).to_be_visible()
    expect(widget.get_by_text("Point number 0 on the budget.", exact=True)).to_have_count(1)
    session.shot("desktop-permalink", full_page=False)
    assert session.unexpected_errors() == []


def test_a_link_to_a_comment_awaiting_review_says_so_and_copy_link_gives_the_permalink(
        open_page: Any, browser: Any) -> None:
    story = Story.objects.get(external_id="1.7001")
    waiting = Comment.objects.create(
        story=story, author=make_account(), source="Still waiting.",
        body_html="<p>Still waiting.</p>", language="en", status=Status.PENDING, terms_version=1)
    session = open_page(viewport=PHONE, has_touch=True)
    session.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    session.page.goto(f"{session.server}/demo/stories/1.7001/?comment={waiting.pk}")
    widget = session.widget()
    expect(widget.get_by_text("The comment this link leads to is awaiting review.")).to_be_visible()
    grace = comment_by(session, "Grace Mensah")
    grace.get_by_role("button", name="Copy link to the comment by Grace Mensah").tap()
    expect(grace.get_by_role("button", name="Link copied")).to_be_visible()
    copied = session.page.evaluate("navigator.clipboard.readText()")
    grace_id = grace.get_attribute("data-id")
    assert copied.endswith(f"/demo/stories/1.7001/#comment-{grace_id}")
    assert session.unexpected_errors() == []


def test_a_french_reader_follows_a_link_to_a_removed_comment(open_page: Any) -> None:
    story = Story.objects.filter(language="fr").first()
    assert story is not None
    gone = Comment.objects.create(
        story=story, author=make_account(), source="Retiré.", body_html="<p>Retiré.</p>",
        language="fr", status=Status.REJECTED, terms_version=1)
    session = open_page(locale="fr-CA")
    session.page.goto(f"{session.server}/demo/stories/{story.external_id}/#comment-{gone.pk}")
    note = session.widget().locator(".link-note")
    expect(note).to_have_text("Le commentaire visé par ce lien n’est plus disponible.")
    assert session.unexpected_errors() == []


def test_terms_accepted_once_are_not_asked_again_on_a_second_story_in_a_second_browser(
        open_page: Any, outbox: Outbox) -> None:
    session = open_page()
    widget = open_story(session, "1.7001")
    sign_up(widget, "Nadia", "Haddad", "nadia.haddad@example.org")
    session.page.goto(outbox.link("nadia.haddad@example.org", "/accounts/verify/"))
    session.page.get_by_role("button", name="Confirm my email address").click()
    expect(session.page.get_by_text("your email address is verified")).to_be_visible()

    # Another browser (nothing in its storage), another story of the site: no box to tick.
    other = open_page()
    widget = open_story(other, "3.9001")
    sign_in(widget, "nadia.haddad@example.org")
    composer = widget.locator("textarea[name=body]")
    expect(composer).to_be_visible()
    expect(widget.get_by_label("I have read the community policy")).to_have_count(0)
    composer.fill("Consent given once, at sign-up, on another story.")
    widget.get_by_role("button", name="Post comment").click()
    expect(widget.locator(".alert.result")).to_have_text("Your comment is published.")
    assert other.unexpected_errors() == []
