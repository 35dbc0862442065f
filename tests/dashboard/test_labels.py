"""The dashboard names phases, actions, guidelines, reasons and rules in the moderator's
language; the codes the pipeline stores never reach the page as they are."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from django.utils import translation

from townhall.comments.models import Comment
from townhall.dashboard import labels
from townhall.moderation.pipeline import OPTIONAL_PHASES, SKIPPABLE_PHASES, phase_classes
from townhall.moderation.services import word_rule_add
from townhall.stories.models import Site

from tests.conftest import Api, make_account, make_site, make_staff, make_story, token_for
from tests.dashboard.test_dashboard import signed_in


class _VisibleText(HTMLParser):
    """The text a reader sees: no tags, attributes, scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self._hidden += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def raw_codes_in(text: str, codes: set[str]) -> list[str]:
    return sorted(c for c in codes if re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", text))


def post(site: Site, story: str, body: str, account: Any = None) -> Comment:
    answer = Api(token_for(account or make_account())).post(
        f"sites/{site.name}/stories/{story}/comments", {"body": body, "accept_terms": True})
    assert answer.status_code == 201, answer.json()
    return Comment.objects.get(pk=answer.json()["id"])


def test_a_held_comment_with_findings_shows_no_raw_code_in_french(db: None) -> None:
    site, _key = make_site()
    make_story(site, "s1", title="Council approves the new bridge")
    make_story(site, "y1", community="youth", title="Our school garden grows a pumpkin")
    word_rule_add(site=site, phrase="crooks", action="flag", guideline="respect")
    linked = post(site, "s1", "These crooks again, read https://deals.example/cheap first.")
    private = post(site, "y1", "Write to amara@example.org or call 514-555-0199 tonight.")
    assert (linked.status, private.status) == ("pending", "pending")
    stored = [*linked.findings, *private.findings]
    assert {(f["phase"], f["action"]) for f in stored} == {
        ("word_lists", "flag"), ("links", "hold"), ("youth_privacy", "hold")}
    codes = ({f["phase"] for f in stored} | {f["action"] for f in stored}
             | {f["guideline"] for f in stored} | {"pending", "toxicity"})
    english = {"listed words", "links to", "personal information", "email", "phone"}

    client = signed_in(make_staff(sites=[site]))
    queue = visible_text(client.get("/moderation/queue/pending/?lang=fr").content.decode())
    pages = [queue] + [visible_text(client.get(f"/moderation/comments/{c.pk}/").content.decode())
                       for c in (linked, private)]
    for text in pages:
        assert raw_codes_in(text, codes | english) == []
    for text in (queue, pages[1]):
        assert "Liste de mots signalé Soyez respectueux" in text
        assert "mots de la liste : crooks" in text
        assert "Liens retenu Aucun pourriel, publicité ni inondation" in text
        assert "liens vers deals.example" in text
    for text in (queue, pages[2]):
        assert "Vie privée des jeunes retenu Aucun renseignement personnel" in text
        assert "renseignements personnels : adresse courriel, numéro de téléphone" in text
    assert "Liens" in pages[1] and "toxicité" in pages[1]
    author = visible_text(client.get(f"/moderation/accounts/{linked.author_id}/").content.decode())
    assert raw_codes_in(author, codes) == [] and "Liens" in author
    settings = visible_text(client.get("/moderation/sites/daily/settings/").content.decode())
    assert raw_codes_in(settings, set(OPTIONAL_PHASES) | set(SKIPPABLE_PHASES)) == []
    assert "Vie privée des jeunes" in settings and "Nouveaux participants" in settings


def test_the_rejections_chart_names_guidelines_by_their_titles(db: None) -> None:
    site, _key = make_site()
    make_story(site, "s1")
    rude = post(site, "s1", "Only an idiot would pay for this bridge.")
    client = signed_in(make_staff(sites=[site]))
    decided = client.post(f"/moderation/comments/{rude.pk}/decide/?lang=fr", {
        "action": "reject", "guideline": "respect",
        "csrfmiddlewaretoken": client.cookies["csrftoken"].value}, HTTP_HX_REQUEST="true")
    assert "Rejeté — Soyez respectueux" in visible_text(decided.content.decode())
    text = visible_text(client.get("/moderation/stats/?lang=fr").content.decode())
    assert "Soyez respectueux : aucune attaque personnelle 1" in text
    assert raw_codes_in(text, {"respect"}) == []


def test_the_same_pages_in_english_name_the_findings_in_words(db: None) -> None:
    site, _key = make_site()
    make_story(site, "s1")
    word_rule_add(site=site, phrase="crooks", action="flag", guideline="respect")
    post(site, "s1", "These crooks again, read https://deals.example/cheap first.")
    client = signed_in(make_staff(sites=[site]))
    text = visible_text(client.get("/moderation/queue/pending/?lang=en").content.decode())
    assert "Word list flagged Be respectful: no personal attacks listed words: crooks" in text
    assert "Links held No spam, advertising or flooding links to deals.example" in text


def test_every_phase_and_every_setting_of_a_phase_has_a_label() -> None:
    names = {cls.name for cls in phase_classes()}
    assert names | set(OPTIONAL_PHASES) | set(SKIPPABLE_PHASES) <= set(labels.PHASES)
    with translation.override("fr"):
        assert all(labels.phase_label(name) != name for name in names)


def test_every_reason_the_phases_write_has_a_french_label(db: None) -> None:
    site, _key = make_site(new_commenter_holds=1)
    make_story(site, "s1")
    make_story(site, "pre", moderation_mode="pre")
    make_story(site, "y1", community="youth")
    word_rule_add(site=site, phrase="crooks", action="flag", guideline="respect")
    regular = make_account()
    post(site, "s1", "A first remark that a moderator approves.", regular)
    Comment.objects.filter(author=regular).update(status="published")
    held = [
        post(site, "s1", "x" * 90),
        post(site, "s1", "THIS BRIDGE IS A TOTAL DISGRACE TO EVERY ONE OF US"),
        post(site, "s1", "Crooks, all of them: https://deals.example/cheap", regular),
        post(site, "s1", "Only an idiot would pay for this bridge.", regular),
        post(site, "y1", "Write to amara@example.org tonight."),
        post(site, "s1", "A calm first comment from a newcomer."),
        post(site, "pre", "A calm remark on a pre-moderated story.", regular),
        post(site, "s1", "The same words posted twice in a row.", regular),
        post(site, "s1", "The same words posted twice in a row.", regular),
    ]
    reasons = {f["reason"] for c in held for f in c.findings}
    assert len(reasons) >= 9, reasons
    with translation.override("fr"):
        untranslated = sorted(r for r in reasons if labels.reason_label(r) == r)
    assert untranslated == []
    with translation.override("en"):
        changed = {r: labels.reason_label(r) for r in reasons if labels.reason_label(r) != r}
    assert changed == {"personal information: email": "personal information: email address"}


def test_rules_statuses_and_unknown_codes() -> None:
    with translation.override("fr"):
        assert labels.rule_label("import:disqus") == "importé de disqus"
        assert labels.rule_label("appeal_upheld") == "appel\u00a0: rejet maintenu"
        assert labels.status_label("published") == "Publié"
        assert labels.reason_label("links to a.example (skipped: trusted account)") == (
            "liens vers a.example (ignoré\u00a0: compte de confiance)")
        assert labels.reason_label("model score 0.93") == "score du modèle\u00a0: 0,93"
        assert labels.rule_label("someday_rule") == "someday_rule"
        assert labels.guideline_title("custom", {"respect": "Soyez"}) == "custom"
