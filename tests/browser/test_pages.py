"""Pages a person meets outside the widget: error pages, and a new staff member naming
themselves at first sign-in (`townhall createstaff` without a name)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from townhall.accounts.models import Account, NameStatus
from townhall.demo import newsroom

from tests.browser.conftest import PHONE
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_a_missing_page_is_explained_in_french_with_a_way_home(open_page: Any) -> None:
    session = open_page(locale="fr-CA")
    response = session.page.goto(f"{session.server}/accounts/nowhere/")
    assert response is not None and response.status == 404
    expect(session.page.get_by_role("heading", name="Page introuvable")).to_be_visible()
    expect(session.page.get_by_text("Erreur 404")).to_be_visible()
    session.shot("page-not-found-french")
    session.page.get_by_role("link", name="Aller à la page d’accueil").click()
    session.page.wait_for_load_state()
    # The home page of this installation (the demo newsroom here) answers, not another 404.
    assert session.page.url.startswith(session.server)
    expect(session.page.get_by_role("heading", name="Page introuvable")).to_have_count(0)


def test_a_staff_member_created_without_a_name_gives_it_at_first_sign_in(
    open_page: Any
) -> None:
    call_command("createstaff", "editor@news.example", "--role", "moderator", "--site",
                 newsroom.SITE_NAME, "--password", PASSWORD, stdout=io.StringIO())
    session = open_page(viewport=PHONE)
    page = session.page
    page.goto(f"{session.server}/moderation/sign-in/")
    page.get_by_label("Email").fill("editor@news.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your name")).to_be_visible()
    page.get_by_label("First name").fill("Staff")
    page.get_by_label("Last name").fill("Member")
    page.get_by_role("button", name="Save my name").click()
    expect(page.get_by_role("alert")).to_be_visible()
    session.shot("dashboard-your-name-refused")
    page.get_by_label("First name").fill("Inès")
    page.get_by_label("Last name").fill("Moreau")
    page.get_by_role("button", name="Save my name").click()
    page.wait_for_url(f"{session.server}/moderation/queue/pending/")
    account = Account.objects.get(email="editor@news.example")
    assert account.display_name == "Inès Moreau" and account.name_status == NameStatus.OK
    assert session.unexpected_errors(422) == []


def test_a_reader_appeals_from_my_comments_and_another_moderator_reinstates_it(
    open_page: Any
) -> None:
    from townhall.comments.models import Comment
    from townhall.moderation.models import Appeal
    from townhall.moderation.posting import comment_create
    from townhall.moderation.services import appeal_decide, comment_moderate
    from townhall.stories.models import Site, Story

    from tests.conftest import make_account, make_staff

    site = Site.objects.get(name=newsroom.SITE_NAME)
    reader = make_account(first_name="Malik", last_name="Haddad",
                          email_address="malik@example.org")
    comment, _verdict = comment_create(account=reader, story=Story.objects.get(
        external_id="1.7001"), body="The timetable was changed without asking riders.",
        accept_terms=True)
    first, second = make_staff(sites=[site]), make_staff(sites=[site])
    comment_moderate(moderator=first, comment=comment, action="reject", guideline="on-topic")

    session = open_page()
    page = session.page
    page.goto(f"{session.server}/accounts/sign-in/?next=/accounts/comments/")
    page.get_by_label("Email").fill(reader.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{session.server}/accounts/comments/")
    page.get_by_text("Appeal this decision").click()
    page.get_by_label("Why should the moderators look again? (optional)").fill(
        "It is about the ferry timetable, the story's subject.")
    page.get_by_role("button", name="Send my appeal").click()
    expect(page.get_by_role("status").filter(has_text="You appealed on")).to_be_visible()
    session.shot("desktop-my-comments-appeal")
    appeal = Appeal.objects.get(comment=comment)
    assert appeal.message.startswith("It is about the ferry")

    appeal_decide(moderator=second, appeal=appeal, outcome="overturn")
    page.reload()
    expect(page.get_by_text("Your appeal was accepted")).to_be_visible()
    assert Comment.objects.get(pk=comment.pk).status == "published"
    assert session.unexpected_errors() == []
