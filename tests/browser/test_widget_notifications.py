"""The notification centre in the widget, in headless Chromium: a reply raises the bell's
count live; the reader opens the bell with the mouse, chooses a daily digest, marks all read,
mutes an author (whose comments fold) and unmutes them; a French reader does the same by
taps on a phone. The account page lists the same things.

Screenshots for the README: docs/screenshots/widget-notifications.png (laptop) and
phone-notifications-french.png.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from townhall.accounts.models import Account
from townhall.comments.models import Comment, Status
from townhall.moderation.posting import comment_create
from townhall.notify.models import Preference
from townhall.stories.models import Story

from tests.browser.conftest import PHONE, AsgiServer, Session, beside_the_server
from tests.browser.test_widget import comment_by, open_story, sign_in
from tests.conftest import make_account

pytestmark = pytest.mark.browser
LIVE = 15_000


@pytest.fixture
def server_url(asgi_server: AsgiServer) -> str:
    """Townhall as production serves it: event streams stay open, so the bell hears the
    reply live (not at a reconnection), and a reply written beside the open page meets no
    table lock of SQLite's in-memory shared cache."""
    return asgi_server.url


def _reader_with_a_comment(external_id: str, first: str, last: str, email: str) -> Any:
    make_account(first_name="Ines", last_name="Duarte", email_address="ines@example.org")
    reader = make_account(first_name=first, last_name=last, email_address=email)
    story = Story.objects.get(external_id=external_id)
    comment, _verdict = comment_create(account=reader, story=story, accept_terms=True,
                                       body="The night crossing is what the early shift needs.")
    assert comment.status == Status.PUBLISHED
    return reader, comment


def _reply_to(comment: Comment, body: str) -> int:
    """Another reader (made before the page opened: the test server's in-memory database
    locks a table its writer holds) answers while the page is open; return the reply's id."""
    def write() -> int:
        replier = Account.objects.get(email="ines@example.org")
        reply, _verdict = comment_create(account=replier, story=comment.story, body=body,
                                         parent_id=comment.pk, accept_terms=True)
        return reply.pk
    return beside_the_server(write)


def test_a_reply_rings_the_bell_live_and_the_reader_sets_emails_and_mutes_with_the_mouse(
        open_page: Any) -> None:
    reader, comment = _reader_with_a_comment("1.7001", "Tomas", "Lindgren",
                                             "tomas@example.org")
    session: Session = open_page()
    widget = open_story(session, "1.7001")
    sign_in(widget, "tomas@example.org")
    bell = widget.locator("button.bell")
    expect(bell).to_have_attribute("aria-label", "Notifications, none unread")
    expect(bell).to_have_text("Notifications")

    reply_id = _reply_to(comment, "It leaves at six, and the crews are back.")
    expect(bell.locator(".bell-count")).to_have_text("1", timeout=LIVE)
    expect(bell).to_have_attribute("aria-label", "Notifications, 1 unread")

    bell.click()
    panel = widget.locator(".bell-panel")
    expect(bell).to_have_attribute("aria-expanded", "true")
    note = panel.locator("li.note.unread")
    expect(note).to_contain_text("Ines Duarte replied to your comment")
    # The link is the reply's permalink on the story page.
    expect(note.locator("a")).to_have_attribute(
        "href", f"{session.server}/demo/stories/1.7001/#comment-{reply_id}")
    widget.scroll_into_view_if_needed()
    session.shot("widget-notifications", full_page=False)

    panel.get_by_text("Once a day, in a digest").click()
    expect(panel.get_by_role("status")).to_have_text("Saved.")
    assert beside_the_server(lambda: Preference.objects.get(account=reader).email) == "daily"

    panel.get_by_role("button", name="Mark all as read").click()
    expect(bell.locator(".bell-count")).to_have_count(0)
    expect(bell).to_have_text("Notifications")
    expect(panel.locator("li.note.unread")).to_have_count(0)
    panel.get_by_role("button", name="Close").click()
    expect(panel).to_be_hidden()
    expect(bell).to_be_focused()

    # Mute an author from their comment: every comment of theirs folds, for this reader only.
    grace = comment_by(session, "Grace Mensah")
    grace.first.get_by_role("button", name="Mute Grace Mensah: fold their comments for you").click()
    folded = widget.locator("li.c.muted")
    expect(folded.first).to_contain_text("A comment by Grace Mensah, whom you muted.")
    expect(comment_by(session, "Grace Mensah")).to_have_count(0)
    # One folded comment can still be read.
    folded.first.get_by_role("button", name="Show it").click()
    expect(comment_by(session, "Grace Mensah")).to_have_count(1)

    bell.click()
    panel.get_by_role("button", name="Unmute Grace Mensah").click()
    expect(widget.locator("li.c.muted")).to_have_count(0)
    expect(panel.get_by_text("You have not muted anyone.")).to_be_visible()
    assert session.unexpected_errors() == []


def test_a_french_reader_taps_the_bell_on_a_phone(open_page: Any) -> None:
    _reader, comment = _reader_with_a_comment("2.8001", "Élise", "Tremblay",
                                              "elise@example.org")
    session: Session = open_page(viewport=PHONE, locale="fr-CA", has_touch=True)
    widget = open_story(session, "2.8001")
    sign_in(widget, "elise@example.org")
    bell = widget.locator("button.bell")
    expect(bell).to_have_attribute("aria-label", "Notifications, aucune non lue")
    _reply_to(comment, "Le traversier part à six heures.")
    expect(bell).to_have_attribute("aria-label", "Notifications, 1 non lue", timeout=LIVE)
    bell.tap()
    panel = widget.locator(".bell-panel")
    expect(panel.locator("li.note.unread")).to_contain_text(
        "Ines Duarte a répondu à votre commentaire")
    expect(panel.get_by_text("Une fois par jour, dans un résumé")).to_be_visible()
    panel.scroll_into_view_if_needed()
    session.shot("phone-notifications-french", full_page=False)
    panel.get_by_role("button", name="Tout marquer comme lu").tap()
    expect(bell).to_have_attribute("aria-label", "Notifications, aucune non lue")
    assert session.unexpected_errors() == []
