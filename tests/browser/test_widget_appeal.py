"""An appeal from the widget, end to end: the reader appeals on a phone, a second moderator
restores the comment from the Appeals queue with the mouse, and the reader's open page shows
it back in the thread while the email says so."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from townhall.comments.models import Comment
from townhall.demo import newsroom
from townhall.moderation.models import Appeal
from townhall.moderation.posting import comment_create
from townhall.moderation.services import comment_moderate
from townhall.stories.models import Site, Story

from tests.browser.conftest import PHONE, beside_the_server
from tests.browser.test_widget import comment_item, open_story, sign_in
from tests.conftest import PASSWORD, Outbox, make_account, make_staff, undo_window_passes

pytestmark = pytest.mark.browser


def test_a_reader_appeals_from_the_widget_and_a_second_moderator_reinstates_it(
        open_page: Any, outbox: Outbox) -> None:
    site = Site.objects.get(name=newsroom.SITE_NAME)
    reader = make_account(first_name="Malik", last_name="Haddad",
                          email_address="malik.haddad@example.org")
    comment, _verdict = comment_create(
        account=reader, story=Story.objects.get(external_id="1.7001"),
        body="The timetable was changed without asking the riders.", accept_terms=True)
    first = make_staff(sites=[site], first_name="Priya", last_name="Raman")
    second = make_staff(sites=[site], first_name="Kwame", last_name="Asante")
    comment_moderate(moderator=first, comment=comment, action="reject", guideline="on-topic",
                     note="Please keep to the ferry.")
    undo_window_passes()
    assert outbox.to(reader.email)  # the rejection, once its undo window had passed

    session = open_page(viewport=PHONE, has_touch=True)
    widget = open_story(session, "1.7001")
    sign_in(widget, reader.email)
    rejected = widget.locator(f"#th-rejected-{comment.pk}")
    expect(rejected).to_contain_text("The timetable was changed without asking the riders.")
    expect(rejected).to_contain_text("because of our guideline “Stay on topic”")
    expect(rejected).to_contain_text("The moderator’s note: Please keep to the ferry.")
    rejected.get_by_role("button", name="Appeal this decision").tap()
    rejected.get_by_label("Why should the moderators look again? (optional)").fill(
        "It is about the ferry timetable, the story's subject.")
    rejected.get_by_role("button", name="Send my appeal").tap()
    expect(rejected.get_by_role("status")).to_contain_text("Your appeal is sent.")
    session.shot("phone-widget-appeal")
    appeal = beside_the_server(lambda: Appeal.objects.get(comment=comment))
    assert appeal.message == "It is about the ferry timetable, the story's subject."

    # The second moderator finds it in the Appeals queue, with the decision it questions.
    desk = open_page()
    page = desk.page
    page.goto(f"{desk.server}/moderation/sign-in/")
    page.fill("#email", second.email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{desk.server}/moderation/queue/pending/")
    page.goto(f"{desk.server}/moderation/queue/appeals/")
    card = page.locator(f"#comment-{comment.pk}")
    expect(card).to_contain_text("It is about the ferry timetable")
    expect(card.locator("[data-rejection]")).to_contain_text(
        "Rejected by Priya Raman on")
    expect(card.locator("[data-rejection]")).to_contain_text(
        "for “Stay on topic”. Note: Please keep to the ferry.")
    desk.shot("dashboard-appeals")
    card.get_by_role("link", name="Decide the appeal").click()
    expect(page.locator("table.history")).to_contain_text("Priya Raman")
    page.get_by_role("button", name="Restore the comment").click()
    expect(page.get_by_text("Appeal decided.")).to_be_visible()

    # The reader's page, still open, shows it back in the thread and says why.
    expect(widget.get_by_role("status").filter(has_text="Your appeal was accepted")).to_be_visible()
    expect(comment_item(widget, "without asking the riders")).to_be_visible()
    expect(widget.locator(f"#th-rejected-{comment.pk}")).to_have_count(0)
    assert beside_the_server(lambda: Comment.objects.get(pk=comment.pk).status) == "published"
    emails = [outbox.body(m) for m in outbox.to(reader.email)]
    assert any("reviewed your appeal and published your comment" in b for b in emails[1:]), emails
    assert session.unexpected_errors() == [] and desk.unexpected_errors() == []
