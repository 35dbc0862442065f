"""Live updates between browsers, on Townhall's production ASGI stack (see `asgi_server`)."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from playwright.sync_api import expect

from townhall.core import pubsub as brokers
from townhall.live.events import story_channel
from townhall.stories.models import Story

from tests.browser.conftest import PHONE, SCREENSHOTS, AsgiServer, Session
from tests.browser.test_widget import comment_item, open_story, sign_in
from tests.conftest import Api, make_account, token_for

pytestmark = pytest.mark.browser


@pytest.fixture
def server_url(asgi_server: AsgiServer) -> str:
    return asgi_server.url


def wait_for_listeners(external_id: str, count: int) -> None:
    """Wait until exactly `count` widgets listen to the story's events (a widget that
    subscribes after a comment is published is not told about it: it loaded the thread
    already)."""
    story = Story.objects.get(external_id=external_id)
    channel = story_channel(story.pk)
    broker: Any = brokers.get_broker()
    deadline = time.monotonic() + 15
    while broker.local.count(channel) != count:
        if time.monotonic() > deadline:
            raise AssertionError(f"{broker.local.count(channel)} widgets listen, not {count}")
        time.sleep(0.02)


def fresh_bar(session: Session) -> Any:
    return session.widget().get_by_role("button", name="new comment")


def test_a_comment_posted_in_one_browser_appears_live_in_another(open_page: Any) -> None:
    make_account(first_name="Tomas", last_name="Lindgren", email_address="tomas@example.org")
    text = "The ice report for the east terminal is now posted at both docks."

    reader = open_page(viewport=PHONE)
    widget = open_story(reader, "1.7001")
    wait_for_listeners("1.7001", 1)
    # The reader is down in the thread, reading the last reply, the top of the thread
    # scrolled away.
    header = widget.locator(".head .count")
    counted = header.inner_text()
    reading = comment_item(widget, "my shift ends at ten")
    reading.evaluate("li => li.scrollIntoView({block: 'center'})")
    reader.page.evaluate("window.stillThisPage = true")
    before = reading.bounding_box()

    writer = open_page()
    mine = open_story(writer, "1.7001")
    wait_for_listeners("1.7001", 2)
    sign_in(mine, "tomas@example.org")
    mine.get_by_label("Commenting as Tomas Lindgren").fill(text)
    mine.get_by_label("I have read the community policy").check()
    mine.get_by_role("button", name="Post comment").click()
    expect(mine.locator(".alert", has_text="Your comment is published.")).to_be_visible()
    expect(comment_item(mine, text)).to_contain_text("Tomas Lindgren")

    bar = fresh_bar(reader)
    expect(bar).to_have_text("1 new comment — show")
    # The header's count follows at once, before the reader asks for the comment.
    number = int(re.sub(r"\D", "", counted))
    expect(header).to_have_text(re.compile(rf"\b{number + 1} comments"))
    expect(bar).to_be_in_viewport()
    # Until the reader asks, nothing moves: no reload, the thread as it was, where it was.
    assert reader.page.evaluate("window.stillThisPage") is True
    expect(comment_item(widget, text)).to_have_count(0)
    assert reading.bounding_box() == before
    # What the reader sees: the bar floats over the thread, at the top of the screen.
    reader.page.screenshot(path=str(SCREENSHOTS / "phone-live-new-comments.png"))
    # The writer's own comment is on their screen already: no bar offers it again.
    expect(fresh_bar(writer)).to_be_hidden()

    bar.click()
    posted = comment_item(widget, text)
    expect(posted).to_be_visible()
    expect(posted).to_contain_text("Tomas Lindgren")
    expect(bar).to_be_hidden()
    assert reader.page.evaluate("window.stillThisPage") is True

    for session in (reader, writer):
        assert session.unexpected_errors() == []
        assert session.foreign_requests() == []


def test_a_comment_posted_while_the_readers_stream_reconnects_still_reaches_them(
    open_page: Any, settings: Any
) -> None:
    # Streams end after a second here (every few minutes in production) and the browser
    # comes back three seconds later: the comment is posted in between.
    settings.TOWNHALL_SSE_MAX_SECONDS = 1
    settings.TOWNHALL_SSE_HEARTBEAT = 0.2
    settings.TOWNHALL_SSE_RETRY_MS = 3000
    writer = Api(token_for(make_account(first_name="Tomas", last_name="Lindgren")))
    story = Story.objects.get(external_id="1.7001")
    text = "Is the evening run also on Sundays?"

    reader = open_page()
    widget = open_story(reader, "1.7001")
    wait_for_listeners("1.7001", 1)
    wait_for_listeners("1.7001", 0)
    posted = writer.post(f"sites/{story.site.name}/stories/{story.external_id}/comments",
                         {"body": text, "accept_terms": True})
    assert posted.status_code == 201, posted.content

    bar = fresh_bar(reader)
    expect(bar).to_have_text("1 new comment — show", timeout=15_000)
    bar.click()
    expect(comment_item(widget, text)).to_contain_text("Tomas Lindgren")
    assert reader.unexpected_errors() == []
    assert reader.foreign_requests() == []
