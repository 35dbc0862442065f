"""The moderator's card for comments the committed model held, in Chromium with the mouse.

The other dashboard tests moderate with a predictable stand-in scorer; these post through the
public API to the real model, so what the card shows is what a newsroom sees: the category
that held the comment, the guideline it breaks, and the words that drove the score, with the
innocent words beside them (shift, bakery, député, conseil) left alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from townhall.comments.models import Comment
from townhall.moderation import phases

from tests.browser.conftest import _requests_finished, beside_the_server
from tests.browser.test_dashboard import browser_page, lent, sign_in
from tests.conftest import Api, make_account, make_site, make_staff, make_story, token_for

INSULT = "After my shift at the bakery I read this, and you are a pathetic halfwit."
FRENCH_INSULT = "Le député a lu le contrat au conseil, espèce de gros bouffon."
THREAT = "I know where the mayor lives, and he won't see Christmas."


@pytest.fixture
def held(transactional_db: None, settings: Any,
         monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.TOWNHALL_SSE_MAX_SECONDS = 2
    settings.TOWNHALL_SSE_HEARTBEAT = 0.25
    settings.TOWNHALL_SSE_RETRY_MS = 250
    phases.use_scorer(None)  # the committed model, not a stand-in
    site, _key = make_site(origins=["http://localhost"])
    make_story(site, "en-1", title="Harbour ferry returns to service")
    make_story(site, "fr-1", title="Le conseil adopte le budget", language="fr")
    moderator = make_staff(sites=[site])
    ids = {}
    for name, body, story in (("insult", INSULT, "en-1"), ("french", FRENCH_INSULT, "fr-1"),
                              ("threat", THREAT, "en-1")):
        answer = Api(token_for(make_account())).post(
            f"sites/daily/stories/{story}/comments", {"body": body, "accept_terms": True})
        assert answer.json()["status"] == "pending", (body, answer.json())
        ids[name] = answer.json()["id"]
    yield {"moderator": moderator, "ids": ids}
    _requests_finished()


@pytest.mark.browser
def test_a_held_comment_shows_its_category_guideline_and_only_the_words_that_held_it(
    browser: Any, live_server: Any, held: dict[str, Any]
) -> None:
    from playwright.sync_api import expect

    ids = held["ids"]
    with lent(browser) as borrowed:
        borrowed, page = browser_page(borrowed)
        sign_in(page, live_server.url, held["moderator"].email)
        insult, french, threat = (page.locator(f"#comment-{ids[name]}")
                                  for name in ("insult", "french", "threat"))
        expect(insult.locator("[data-category]")).to_have_text("insult")
        expect(threat.locator("[data-category]")).to_have_text("threat")
        # The rejection menu starts on the guideline the model named.
        guidelines = beside_the_server(lambda: dict(
            Comment.objects.filter(pk__in=ids.values()).values_list("pk", "guideline")))
        for card, comment_id in ((insult, ids["insult"]), (french, ids["french"]),
                                 (threat, ids["threat"])):
            assert guidelines[comment_id]
            expect(card.locator("select[data-guidelines]")).to_have_value(guidelines[comment_id])
        marked = {text.lower() for text in insult.locator("mark").all_inner_texts()}
        assert "halfwit" in marked
        assert not marked & {"after", "my", "shift", "bakery", "read", "this"}
        french_marked = {text.lower() for text in french.locator("mark").all_inner_texts()}
        assert "bouffon" in french_marked
        assert not french_marked & {"député", "contrat", "conseil", "lu"}
        threat_marked = " ".join(threat.locator("mark").all_inner_texts()).lower()
        assert "know where" in threat_marked or "christmas" in threat_marked

        # The mouse: Reject keeps the model's guideline, and the decision records it.
        insult.get_by_role("button", name="Reject").click()
        expect(page.locator(f"#comment-{ids['insult']}[data-decided]")).to_contain_text(
            "Rejected")
        status, guideline, decided_for = beside_the_server(lambda: (
            (comment := Comment.objects.get(pk=ids["insult"])).status, comment.guideline,
            comment.decisions.latest("id").guideline))
        assert status == "rejected"
        assert decided_for == guideline

        # In French, the same card speaks French.
        page.goto(f"{live_server.url}/moderation/queue/pending/?lang=fr")
        expect(page.locator(f"#comment-{ids['french']} [data-category]")).to_have_text(
            "insulte")
        assert page.errors == []  # type: ignore[attr-defined]
        borrowed.close()
