"""Notice and action end to end, in French (DSA arts. 16, 17 and 20): an anonymous visitor
reports a comment as illegal from the widget and gets a reference and an acknowledgement; a
moderator removes it from the notices queue; the author reads the statement of reasons in
French in the widget and appeals; a second moderator decides the appeal; the notifier and
the author receive the outcomes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from townhall.comments.models import Comment
from townhall.demo import newsroom
from townhall.moderation.models import Appeal, Notice
from townhall.moderation.posting import comment_create
from townhall.stories.models import Site, Story

from tests.browser.conftest import beside_the_server
from tests.browser.test_widget import comment_item, open_story, sign_in
from tests.conftest import PASSWORD, Outbox, make_account, make_staff, undo_window_passes

pytestmark = pytest.mark.browser


def desk_sign_in(session: Any, email: str) -> Any:
    page = session.page
    page.goto(f"{session.server}/moderation/sign-in/")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{session.server}/moderation/queue/pending/")
    return page


def test_a_french_notice_is_decided_stated_appealed_and_answered(
        open_page: Any, outbox: Outbox, settings: Any) -> None:
    settings.TOWNHALL_POW_BITS = 12
    site = Site.objects.get(name=newsroom.SITE_NAME)
    author = make_account(first_name="Rémi", last_name="Lavoie", language="fr",
                          email_address="remi.lavoie@example.org")
    comment, _verdict = comment_create(
        account=author, story=Story.objects.get(external_id="2.8001"),
        body="Le directeur de la bibliothèque a volé la caisse, tout le monde le sait.",
        accept_terms=True)
    assert comment.status == "published"
    first = make_staff(sites=[site], first_name="Priya", last_name="Raman")
    second = make_staff(sites=[site], first_name="Kwame", last_name="Asante")

    # An anonymous visitor files the notice from the widget, in French.
    visitor = open_page(locale="fr-CA")
    widget = open_story(visitor, "2.8001")
    item = comment_item(widget, "a volé la caisse")
    item.get_by_role("button", name="Notifier un contenu illicite").click()
    form = item.get_by_role("dialog", name="Notification de contenu illicite")
    form.get_by_label("Ce que la loi interdit ici").select_option("defamation")
    form.get_by_label("La loi concernée (facultatif)").fill("Code civil du Québec, art. 1457")
    form.get_by_label("Pourquoi le commentaire est illicite").fill(
        "Il accuse une personne nommée d'un vol, sans aucune preuve.")
    form.get_by_label("Votre nom").fill("Claire Fontaine")
    form.get_by_label("Votre courriel").fill("claire.fontaine@example.org")
    form.get_by_label(re.compile("^Je crois de bonne foi")).click()
    form.get_by_role("button", name="Envoyer la notification").click()
    received = item.get_by_role("status")
    expect(received).to_contain_text("Notification reçue. Sa référence est N-")
    reference = re.search(r"N-[A-Z0-9]{10}", received.inner_text())
    assert reference is not None
    visitor.shot("widget-notice-fr")
    ack = beside_the_server(lambda: outbox.body(outbox.to("claire.fontaine@example.org")[-1]))
    assert reference.group(0) in ack and "Nous avons reçu votre notification" in ack

    # A moderator removes the comment from the notices queue.
    desk = open_page()
    page = desk_sign_in(desk, first.email)
    page.get_by_role("link", name="Notices", exact=True).click()
    page.get_by_role("link", name=reference.group(0)).click()
    expect(page.locator(".notice-explanation")).to_contain_text("sans aucune preuve")
    page.get_by_role("button", name="Take in review").click()
    page.get_by_label("Reasons (sent to the notifier and the author)").fill(
        "Accusation de vol sans preuve contre une personne nommée.")
    page.get_by_role("button", name="Remove the comment").click()
    expect(page.get_by_text("Notice decided.")).to_be_visible()
    desk.shot("dashboard-notice-decided")
    assert beside_the_server(lambda: Comment.objects.get(pk=comment.pk).status) == "rejected"
    decided = beside_the_server(
        lambda: outbox.body(outbox.to("claire.fontaine@example.org")[-1]))
    assert "Décision : le commentaire a été retiré." in decided
    beside_the_server(undo_window_passes)
    statement_email = beside_the_server(lambda: outbox.body(outbox.to(author.email)[-1]))
    assert "Exposé des motifs" in statement_email

    # The author reads the statement of reasons in French in the widget, and appeals.
    reader = open_page(locale="fr-CA")
    own = open_story(reader, "2.8001")
    sign_in(own, author.email)
    rejected = own.locator(f"#th-rejected-{comment.pk}")
    expect(rejected).to_contain_text("a volé la caisse")
    rejected.get_by_text("Exposé des motifs").click()
    expect(rejected).to_contain_text("Ce qui a été restreint")
    expect(rejected).to_contain_text("Motif : contenu illicite — Diffamation")
    expect(rejected).to_contain_text("une notification de contenu illicite")
    expect(rejected).to_contain_text("règlement extrajudiciaire des litiges")
    reader.shot("widget-statement-fr")
    rejected.get_by_role("button", name="Faire appel de cette décision").click()
    rejected.locator("textarea").fill("Ce n'était qu'une rumeur que je rapportais.")
    rejected.get_by_role("button", name="Envoyer mon appel").click()
    expect(rejected.get_by_role("status")).to_be_visible()
    assert beside_the_server(lambda: Appeal.objects.filter(comment=comment).count()) == 1

    # A second moderator decides the appeal; the first may not.
    second_desk = open_page()
    page = desk_sign_in(second_desk, second.email)
    page.goto(f"{second_desk.server}/moderation/queue/appeals/")
    card = page.locator(f"#comment-{comment.pk}")
    expect(card).to_contain_text("une rumeur")
    card.get_by_role("link", name="Decide the appeal").click()
    page.get_by_role("button", name="Uphold the rejection").click()
    expect(page.get_by_text("Appeal decided.")).to_be_visible()

    # Both hear the outcome.
    answered = beside_the_server(lambda: outbox.body(outbox.to(author.email)[-1]))
    assert "a maintenu la décision" in answered and "règlement extrajudiciaire" in answered
    told = beside_the_server(lambda: outbox.body(outbox.to("claire.fontaine@example.org")[-1]))
    assert "Résultat : le retrait est maintenu." in told
    notice = beside_the_server(lambda: Notice.objects.get())
    assert (notice.status, notice.outcome) == ("decided", "restricted")
    assert visitor.unexpected_errors() == [] and desk.unexpected_errors() == []
    assert reader.unexpected_errors() == [] and second_desk.unexpected_errors() == []
