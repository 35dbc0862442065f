"""The audit log over HTTP: what staff change is recorded, browsable by administrators only,
filtered, paged and exported as CSV under the same filter."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client

from townhall.comments.models import Comment
from townhall.moderation import audit_log
from townhall.moderation.services import appeal_create, comment_moderate
from townhall.stories.models import Site

from tests.conftest import Api, make_account, make_staff, make_story, token_for
from tests.dashboard.test_dashboard import PATH, csrf, signed_in

pytestmark = pytest.mark.calendar

def _form(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, {**data, "csrfmiddlewaretoken": csrf(client)})


def _audit(client: Client, query: str = "") -> str:
    response = client.get(f"/moderation/audit/?{query}")
    assert response.status_code == 200, response.content[:400]
    return response.content.decode()


def test_every_kind_of_staff_change_is_in_the_log_and_the_filters_narrow_it(site: Site) -> None:
    admin = make_staff(role="admin", first_name="Ada", last_name="Brennan")
    client = signed_in(admin)
    settings_url = f"/moderation/sites/{site.name}/settings/"
    changed = _form(client, settings_url, {
        "part": "thresholds", "phase_word_lists": "on", "phase_links": "on",
        "toxicity_hold": "0.6", "new_commenter_holds": "0", "report_threshold": "3",
        "trusted_after": "5", "flood_limit": "10", "link_policy": "hold"})
    assert changed.status_code == 302
    assert _form(client, settings_url, {"part": "word_add", "phrase": "crooks",
                                        "action": "hold", "guideline": "respect"}
                 ).status_code == 302
    colleague = make_account(first_name="Noor", last_name="Haddad")
    assert _form(client, "/moderation/staff/", {"email": colleague.email, "site": site.name,
                                                "kind": "moderator"}).status_code == 302
    story = make_story(site, "s2", title="Harbour ferry returns")
    assert _form(client, "/moderation/stories/", {"story": story.pk, "action": "close"}
                 ).status_code == 302
    author = make_account(first_name="Vera", last_name="Lindqvist")
    rejected = Api(token_for(author)).post(PATH, {"body": "A plain comment.",
                                                  "accept_terms": True}).json()
    comment = Comment.objects.get(pk=rejected["id"])
    moderator = make_staff(sites=[site], first_name="Dana", last_name="Whitfield")
    comment_moderate(moderator=moderator, comment=comment, action="reject", guideline="respect")
    comment.refresh_from_db()
    appeal_create(account=author, comment=comment, message="It was on topic.")
    assert _form(client, f"/moderation/accounts/{author.pk}/", {
        "kind": "warn", "site": site.name, "message": "Mind the guidelines.",
        "guideline": "respect"}).status_code in (200, 302)

    everything = _audit(client)
    for words in ("settings changed", "toxicity_hold: — → 0.6", "word list: added",
                  "phrase: crooks", "site role given", "Noor Haddad", "story changed",
                  "closes_at", "appeal filed", "sanction", "rejected", "Vera Lindqvist"):
        assert words in everything, words
    only_settings = _audit(client, "action=settings")
    assert "settings changed" in only_settings and "word list: added" not in only_settings
    by_admin = _audit(client, f"moderator={admin.pk}")
    assert "settings changed" in by_admin and "appeal filed" not in by_admin
    by_author = _audit(client, f"author={author.pk}&action=appeal")
    assert "appeal filed" in by_author and "site role given" not in by_author
    on_story = _audit(client, "story=s2")
    assert "story changed" in on_story and "settings changed" not in on_story
    assert "Nothing recorded" in _audit(client, "since=2001-01-01&until=2001-01-02")

    export = client.get(f"/moderation/audit.csv?moderator={admin.pk}&action=words")
    assert export.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert [r["action"] for r in rows] == ["words.add"]
    assert rows[0]["actor"] == admin.email and '"crooks"' in rows[0]["detail"]


def test_the_log_pages_newest_first_and_refuses_bad_filters(site: Site) -> None:
    admin = make_staff(role="admin")
    client = signed_in(admin)
    for n in range(audit_log.PAGE + 3):
        _form(client, f"/moderation/sites/{site.name}/settings/",
              {"part": "word_add", "phrase": f"word{n}", "action": "flag",
               "guideline": "respect"})
    first = _audit(client, "action=words")
    assert first.count('data-action="words.add"') == audit_log.PAGE
    assert f"word{audit_log.PAGE + 2}" in first and 'rel="next"' in first
    second = _audit(client, "action=words&page=2")
    assert second.count('data-action="words.add"') == 3 and "phrase: word0" in second
    bad = client.get("/moderation/audit/?since=yesterday")
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.content.decode()
    assert client.get("/moderation/audit/?action=everything").status_code == 422
    assert client.get("/moderation/audit.csv?until=nope").status_code == 422


def test_only_administrators_read_the_log(site: Site) -> None:
    moderator = signed_in(make_staff(sites=[site]))
    assert moderator.get("/moderation/audit/").status_code == 403
    assert moderator.get("/moderation/audit.csv").status_code == 403
    assert Client().get("/moderation/audit/").status_code == 302
    assert "/moderation/audit/" not in moderator.get("/moderation/queue/pending/").content.decode()
