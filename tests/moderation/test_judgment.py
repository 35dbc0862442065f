"""What the committed model holds and publishes, through the public API and the scorer.

These are the kinds the news-comment trial found missed or wrongly held: money-lure spam,
hate about a group with no slur, and ordinary words that resemble abuse. Each hold must
name its category, its guideline and the words that drove it.
"""

from __future__ import annotations

from typing import Any

import pytest

from townhall.comments.models import Comment
from townhall.moderation.toxicity.normalize import fold_text
from townhall.moderation.toxicity.rules import rule_spans, spam_score
from townhall.moderation.toxicity.scorers import LocalScorer
from townhall.stories.models import Site

from tests.conftest import Api, make_account, make_site, make_story, token_for

EN = "sites/daily/stories/s1/comments"
FR = "sites/daily/stories/s2/comments"


@pytest.fixture
def site(db: None) -> Site:
    site, _key = make_site()
    make_story(site, "s1", url="https://news.example/s1")
    make_story(site, "s2", url="https://news.example/s2", language="fr",
               title="Le conseil adopte le budget")
    return site


@pytest.fixture
def reader(site: Site) -> Api:
    return Api(token_for(make_account()))


@pytest.fixture(scope="module")
def scorer() -> LocalScorer:
    return LocalScorer.from_directory()


def post(client: Api, body: str, path: str = EN) -> dict[str, Any]:
    response = client.post(path, {"body": body, "accept_terms": True})
    assert response.status_code == 201, response.json()
    return response.json()


@pytest.mark.parametrize(("body", "path", "lure"), [
    ("Earn $500 a day with bitcoin, DM me on Telegram @cryptowins_now", EN, "Telegram"),
    ("Gagnez 300 € par jour, contactez-moi sur WhatsApp au +33 6 12 34 56 78", FR, "WhatsApp"),
])
def test_money_lure_spam_waits_as_spam_with_its_contact_highlighted(
    reader: Api, body: str, path: str, lure: str
) -> None:
    posted = post(reader, body, path)
    assert posted["status"] == "pending" and posted["guidelines"] == ["spam"]
    comment = Comment.objects.get(pk=posted["id"])
    assert comment.category == "spam"
    highlighted = {body[s["start"]:s["end"]] for s in comment.findings[-1]["spans"]}
    assert lure in highlighted


def test_hate_about_a_group_without_a_slur_waits_as_hate(reader: Api) -> None:
    posted = post(reader, "The Jews control the media and the banks. Wake up.")
    assert posted["status"] == "pending" and posted["guidelines"] == ["hate"]
    assert Comment.objects.get(pk=posted["id"]).category == "hate"


@pytest.mark.parametrize(("body", "path"), [
    ("I take the 10:40 boat after my shift at the bakery. Glad it's back, merci to the crews!",
     EN),
    ("Follow @citynews for updates on the vigil tonight.", EN),
    ("The Scunthorpe council met on Tuesday to discuss the flooding.", EN),
    ("Le député a présenté au conseil municipal le contrat de la nouvelle gare.", FR),
])
def test_ordinary_words_that_resemble_abuse_or_spam_are_published(
    reader: Api, body: str, path: str
) -> None:
    assert post(reader, body, path)["status"] == "published"


@pytest.mark.parametrize("text", [
    "I take the 10:40 boat after my shift at the bakery. Glad it's back, merci to the crews!",
    "Le député a présenté au conseil municipal le contrat de la nouvelle gare.",
])
def test_a_civil_comment_has_no_words_highlighted(scorer: LocalScorer, text: str) -> None:
    # Under the category floor a score names no harm: its "most toxic" words are innocent.
    result = scorer.score(text)
    assert result.score < 0.3
    assert result.spans == []
    assert scorer.score("Shut up, you halfwit.").spans  # a held comment still has its words


@pytest.mark.parametrize(("text", "shown", "innocent"), [
    ("Le député a lu le contrat au conseil, espèce de gros bouffon.", {"bouffon"},
     {"député", "contrat", "conseil", "lu", "gros"}),
    ("After my shift at the bakery I read this, and you are a pathetic halfwit.", {"halfwit"},
     {"After", "my", "shift", "bakery", "read", "this", "you", "are"}),
    # A rule's phrase, not the name of the group it is about.
    ("The Jews control the media and the banks. Wake up.", {"Jews control the media"},
     {"Jews"}),
    ("Les musulmans sont des rats.", {"musulmans sont des rats"}, {"musulmans"}),
    # Two rules read overlapping words (an insult inside a generalisation): one phrase.
    ("Muslims are idiots and animals.", {"Muslims are idiots and animals"},
     {"Muslims", "idiots"}),
])
def test_a_held_comment_highlights_what_held_it_and_no_innocent_word(
    scorer: LocalScorer, text: str, shown: set[str], innocent: set[str]
) -> None:
    result = scorer.score(text)
    assert result.score >= 0.5
    highlighted = {text[span.start:span.end] for span in result.spans}
    assert shown <= highlighted
    assert not highlighted & innocent


def test_the_risk_is_the_largest_harm_and_obscenity_is_named_not_held(
    scorer: LocalScorer,
) -> None:
    for text in ("Buy followers and likes at boostfans.shop, 50% off, DM me",
                 "What a crap decision by the council.",
                 "Someone should put a bullet in the mayor.",
                 "Fuck this, the bus was late again."):
        result = scorer.score(text)
        harms = {k: v for k, v in result.categories.items() if k != "obscenity"}
        assert result.score == pytest.approx(max(harms.values()), abs=1e-4)
    assert scorer.score("What a crap decision by the council.").categories["obscenity"] == 0.5
    # Swearing at no one is named for the moderator, but whether it holds is the site's word
    # list's call, not the model's.
    swearing = scorer.score("Fuck this, the bus was late again.")
    assert swearing.categories["obscenity"] == 0.9
    assert swearing.score < 0.5
    assert swearing.rules["obscenity"] == 0.9


@pytest.mark.parametrize("text", [
    "I earn 50k a year and still cannot afford rent downtown.",
    "Call 911 if you see him; the police number is 613 555 0100.",
    "Free speech matters: follow @citynews for updates.",
    "Thanks @mayor_jones, the invest-in-transit plan is a good start.",
    "J'ai payé 40 € pour le stationnement, c'est du vol.",
])
def test_the_spam_rule_leaves_money_talk_handles_and_links_alone(text: str) -> None:
    assert spam_score(fold_text(text)) == 0.0


def test_rule_spans_name_only_what_a_holding_rule_read() -> None:
    folded = fold_text("Shut up, you halfwit. I know where he lives.")
    words = {folded[start:end] for start, end in rule_spans(folded, "en")}
    assert "halfwit" in words
    assert any("know where" in word for word in words)
    assert rule_spans(fold_text("What a crap decision."), "en") == []
