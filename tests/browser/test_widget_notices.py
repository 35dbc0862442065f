"""Moderators' notices and a doubted name, as a signed-in reader meets them in the widget."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from townhall.accounts import naming
from townhall.accounts.models import Account
from townhall.comments.models import Comment
from townhall.demo import newsroom
from townhall.moderation.models import AccountAction
from townhall.moderation.posting import comment_create
from townhall.moderation.services import account_act
from townhall.stories.models import Site, Story

from tests.browser.conftest import BROWSER_TIME_ZONE, DESKTOP, PHONE, AsgiServer, Session
from tests.browser.test_widget import open_story, sign_in
from tests.conftest import make_account, make_site, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.calendar]
# Spelled out here rather than taken from a locale library, so the test checks the widget.
FRENCH_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                 "septembre", "octobre", "novembre", "décembre"]


@pytest.fixture
def server_url(asgi_server: AsgiServer) -> str:
    """These tests write (flag a name, warn) while a page is open: serve them as production
    does, from a database file every thread shares, not SQLite's in-memory shared cache,
    whose table locks refuse a writer beside a reader."""
    return asgi_server.url


def shoot(session: Session, name: str) -> None:
    """Check the widget shows no missing value, then screenshot the page at desktop width
    and at phone width (and back)."""
    shown = session.widget().inner_text()
    assert not re.search(r"\b(null|undefined|NaN)\b|\{\w+\}", shown), shown
    session.shot(f"desktop-{name}")
    session.page.set_viewport_size(PHONE)
    session.shot(f"phone-{name}")
    session.page.set_viewport_size(DESKTOP)


def demo_site() -> Site:
    return Site.objects.get(name=newsroom.SITE_NAME)


def act(account: Account, site: Site, **action: Any) -> AccountAction:
    return account_act(moderator=make_staff(sites=[site]), account=account, site=site, **action)


def flag_name(account: Account) -> Account:
    return naming.name_flag(account=account, actor=make_staff(sites=[demo_site()]),
                            note="Looks like a character's name")


def test_a_warning_is_shown_until_the_reader_dismisses_it_and_is_then_acknowledged(
    open_page: Any
) -> None:
    reader = make_account(first_name="Nora", last_name="Delgado", email_address="nora@example.org")
    warning = act(reader, demo_site(), kind="warn", guideline="respect",
                  message="Please keep it civil:\nattack the argument, not the person.")
    elsewhere, _key = make_site("elsewhere", origins=["https://elsewhere.example"])
    other = act(reader, elsewhere, kind="warn", guideline="spam", message="Not this site's.")
    session = open_page()
    widget = open_story(session, "1.7001")
    expect(widget.locator(".notice")).to_have_count(0)
    sign_in(widget, "nora@example.org")

    notice = widget.get_by_role("region", name="A warning from the moderators")
    expect(notice).to_contain_text(
        "The moderators ask you to respect our guideline “Be respectful: no personal attacks”.")
    expect(notice.locator("blockquote")).to_contain_text("Their message:")
    expect(notice.locator("blockquote")).to_contain_text("attack the argument, not the person.")
    expect(widget.get_by_text("Not this site's.")).to_have_count(0)
    # A warning does not stop the reader from commenting.
    expect(widget.get_by_label("Commenting as Nora Delgado")).to_be_visible()
    shoot(session, "moderator-warning")

    notice.get_by_role("button", name="I understand").click()
    expect(notice).to_have_count(0)
    expect(widget.get_by_role("heading", name=re.compile("^Comments"))).to_be_focused()
    assert AccountAction.objects.get(pk=warning.pk).seen_at is not None
    assert AccountAction.objects.get(pk=other.pk).seen_at is None

    session.page.reload()
    widget = open_story(session, "1.7001")
    expect(widget.get_by_label("Commenting as Nora Delgado")).to_be_visible()
    expect(widget.locator(".notice")).to_have_count(0)
    # The bootstrap told the widget all it shows: it never read the account's own record.
    assert [u for u in session.requests if urlsplit(u).path == "/api/v1/me"] == []
    assert session.unexpected_errors() == []
    assert session.foreign_requests() == []


def test_a_suspension_on_a_french_story_is_explained_in_french(open_page: Any) -> None:
    reader = make_account(first_name="Inès", last_name="Haddad", email_address="ines@example.org",
                          language="en")
    suspension = act(reader, demo_site(), kind="suspend", guideline="respect", days=7)
    session = open_page()
    widget = open_story(session, "2.8001")
    sign_in(widget, "ines@example.org")

    ends = suspension.ends_at.astimezone(ZoneInfo(BROWSER_TIME_ZONE))
    until = f"{ends.day} {FRENCH_MONTHS[ends.month - 1]} {ends.year}"
    notice = widget.get_by_role("region", name=f"Votre compte est suspendu jusqu’au {until}")
    expect(notice).to_contain_text("D’ici là, vos commentaires ne seront pas publiés.")
    expect(notice).to_contain_text("aucune attaque personnelle")
    expect(notice.locator("blockquote")).to_have_count(0)
    shoot(session, "moderator-suspension-french")

    notice.get_by_role("button", name="J’ai compris").click()
    expect(notice).to_have_count(0)
    assert AccountAction.objects.get(pk=suspension.pk).seen_at is not None
    assert session.unexpected_errors() == []


def test_a_doubted_name_is_confirmed_in_the_widget_before_the_composer_returns(
    open_page: Any
) -> None:
    reader = make_account(first_name="Zoë", last_name="Nakamura", email_address="zoe@example.org")
    flagged = flag_name(reader)
    held, _verdict = comment_create(
        account=flagged, story=Story.objects.get(external_id="2.8001"),
        body="Enfin une bibliothèque ouverte le dimanche.", accept_terms=True)
    assert held.status == "pending"
    session = open_page()
    widget = open_story(session, "2.8001")
    sign_in(widget, "zoe@example.org")

    prompt = widget.get_by_role("group", name="Veuillez confirmer votre nom")
    expect(prompt).to_contain_text("«\u00a0Zoë Nakamura\u00a0» sont bien vos vrais prénom et nom")
    expect(widget.locator("textarea")).to_have_count(0)
    expect(widget.get_by_role("list", name="Vos commentaires en attente de modération")
           ).to_contain_text("Enfin une bibliothèque")
    shoot(session, "name-confirmation-french")

    # Replying is asked for the name too, instead of opening a reply box.
    widget.get_by_role("list", name="Commentaires sur cet article").get_by_role(
        "button", name="Répondre").first.click()
    expect(widget.locator("textarea")).to_have_count(0)
    confirm = prompt.get_by_role("button", name="Oui, c’est mon vrai nom")
    expect(confirm).to_be_focused()

    confirm.click()
    expect(widget.locator(".alert", has_text="Merci. Votre nom est confirmé.")).to_be_visible()
    composer = widget.get_by_label("Vous commentez en tant que Zoë Nakamura")
    expect(composer).to_be_focused()
    expect(widget.get_by_role("group", name="Veuillez confirmer votre nom")).to_have_count(0)
    published = widget.get_by_role("list", name="Commentaires sur cet article").locator(
        "li.c", has_text="Enfin une bibliothèque")
    expect(published).to_be_visible()
    expect(published).not_to_contain_text("En attente")
    assert Account.objects.get(pk=reader.pk).name_status == "confirmed"
    assert Comment.objects.get(pk=held.pk).status == "published"
    assert session.unexpected_errors() == []
    assert session.foreign_requests() == []


def test_a_doubted_reader_changes_the_name_through_the_policy_instead(open_page: Any) -> None:
    reader = make_account(first_name="Mateo", last_name="Moreau", email_address="mateo@example.org")
    flag_name(reader)
    session = open_page()
    widget = open_story(session, "1.7001")
    sign_in(widget, "mateo@example.org")
    prompt = widget.get_by_role("group", name="Please confirm your name")
    expect(prompt).to_contain_text("confirm that “Mateo Moreau” is your real first and last name")

    prompt.get_by_role("button", name="Change my name").click()
    first = widget.get_by_label("First name")
    expect(first).to_be_focused()
    expect(first).to_have_value("Mateo")
    expect(widget.get_by_label("Last name")).to_have_value("Moreau")
    widget.get_by_role("button", name="Cancel").click()
    expect(prompt.get_by_role("button", name="Change my name")).to_be_focused()

    prompt.get_by_role("button", name="Change my name").click()
    widget.get_by_label("First name").fill("Mickey")
    widget.get_by_label("Last name").fill("Mouse")
    widget.get_by_role("button", name="Save my name").click()
    expect(widget.get_by_label("First name")).to_have_attribute("aria-invalid", "true")
    shoot(session, "name-change-error")
    assert Account.objects.get(pk=reader.pk).last_name == "Moreau"

    widget.get_by_label("First name").fill("Mateo")
    widget.get_by_label("Last name").fill("Moreau Silva")
    widget.get_by_role("button", name="Save my name").click()
    expect(widget.locator(".alert", has_text="Your name is changed.")).to_be_visible()
    expect(widget.get_by_label("Commenting as Mateo Moreau Silva")).to_be_focused()
    expect(widget.get_by_text("Signed in as Mateo Moreau Silva")).to_be_visible()
    changed = Account.objects.get(pk=reader.pk)
    assert (changed.last_name, changed.name_status) == ("Moreau Silva", "ok")
    assert session.unexpected_errors(422) == []


def test_a_new_name_awaiting_approval_leaves_the_composer_with_a_note(open_page: Any) -> None:
    reader = make_account(first_name="Aiyana", last_name="Gagnon", email_address="ai@example.org")
    comment_create(account=reader, story=Story.objects.get(external_id="1.7001"),
                   body="The evening run will help my whole street.", accept_terms=True)
    flag_name(reader)
    session = open_page()
    widget = open_story(session, "1.7001")
    sign_in(widget, "ai@example.org")
    widget.get_by_role("button", name="Change my name").click()
    widget.get_by_label("Last name").fill("Begay")
    widget.get_by_role("button", name="Save my name").click()

    note = widget.locator(
        ".alert", has_text="Your new name, Aiyana Begay, is waiting for a moderator’s approval.")
    expect(note).to_be_visible()
    expect(widget.get_by_label("Commenting as Aiyana Gagnon")).to_be_focused()
    expect(widget.get_by_role("group", name="Please confirm your name")).to_have_count(0)
    shoot(session, "name-change-pending")
    account = Account.objects.get(pk=reader.pk)
    assert (account.last_name, account.name_status) == ("Gagnon", "flagged")
    assert account.pending_name.last_name == "Begay"
    assert session.unexpected_errors() == []


def test_a_comment_held_for_a_name_doubted_meanwhile_brings_up_the_prompt(
    open_page: Any
) -> None:
    reader = make_account(first_name="Oren", last_name="Lindqvist",
                          email_address="oren@example.org")
    session = open_page()
    widget = open_story(session, "1.7001")
    sign_in(widget, "oren@example.org")
    composer = widget.get_by_label("Commenting as Oren Lindqvist")
    expect(composer).to_be_visible()
    flag_name(reader)  # while the page is open: the widget learns it from the post's answer

    composer.fill("Could the ferry keep the evening run through the summer?")
    widget.get_by_label("I have read the community policy").check()
    widget.get_by_role("button", name="Post comment").click()
    prompt = widget.get_by_role("group", name="Please confirm your name")
    expect(prompt.locator(".alert.info")).to_have_text(
        "Your comment was received and is waiting for review.")
    expect(prompt).to_contain_text("confirm that “Oren Lindqvist” is your real first and last name")
    expect(prompt.get_by_role("button", name="Yes, this is my real name")).to_be_focused()
    expect(widget.locator("textarea")).to_have_count(0)
    pending = widget.get_by_role("list", name="Your comments awaiting review")
    expect(pending).to_contain_text("Could the ferry keep the evening run")
    expect(pending).to_contain_text("Awaiting review")
    shoot(session, "name-held-comment")
    held = Comment.objects.get(source__startswith="Could the ferry")
    assert held.status == "pending"

    prompt.get_by_role("button", name="Yes, this is my real name").click()
    expect(widget.locator(".alert", has_text="Thank you. Your name is confirmed.")).to_be_visible()
    expect(widget.get_by_label("Commenting as Oren Lindqvist")).to_be_focused()
    thread = widget.get_by_role("list", name="Comments on this story")
    expect(thread.locator("li.c", has_text="Could the ferry keep the evening run")).to_be_visible()
    expect(widget.get_by_role("list", name="Your comments awaiting review")).not_to_contain_text(
        "Could the ferry")
    assert Comment.objects.get(pk=held.pk).status == "published"
    assert session.unexpected_errors() == []


def test_a_doubted_name_in_a_youth_community_is_asked_for_without_showing_it(
    open_page: Any
) -> None:
    reader = make_account(first_name="Wilhelmina", last_name="Oyelaran",
                          email_address="wil@example.org")
    flag_name(reader)
    session = open_page(viewport=PHONE)
    widget = open_story(session, "3.9001")
    sign_in(widget, "wil@example.org")
    prompt = widget.get_by_role("group", name="Please confirm your name")
    expect(prompt).to_contain_text("the first and last name on your account are your real name")
    expect(prompt).to_contain_text("you appear under a nickname")
    prompt.get_by_role("button", name="Change my name").click()
    expect(widget.get_by_label("First name")).to_have_value("")
    expect(widget.get_by_label("Last name")).to_have_value("")
    everything = session.page.evaluate(
        "() => [...document.querySelectorAll('.townhall-embed')].map(h => h.shadowRoot.innerHTML"
        " + h.shadowRoot.textContent).join('')")
    assert "Wilhelmina" not in everything and "Oyelaran" not in everything

    widget.get_by_role("button", name="Cancel").click()
    prompt.get_by_role("button", name="Yes, this is my real name").click()
    expect(widget.get_by_label(re.compile(r"^Commenting as \w+ \w+ \d+$"))).to_be_focused()
    assert Account.objects.get(pk=reader.pk).name_status == "confirmed"
    assert session.unexpected_errors() == []
