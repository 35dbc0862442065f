"""The dashboard pages over HTTP: sign-in, queues, decisions, accounts, settings, charts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from townhall.comments.models import Comment
from townhall.moderation.models import AccountAction, Decision
from townhall.stories.models import Site, SiteRole

from tests.conftest import PASSWORD, Api, make_account, make_staff, token_for

pytestmark = pytest.mark.calendar

PATH = "sites/daily/stories/s1/comments"


def signed_in(account: Any) -> Client:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/moderation/sign-in/")
    token = page.cookies["csrftoken"].value
    response = client.post("/moderation/sign-in/", {
        "email": account.email, "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert response.status_code == 302, response.content
    return client


def csrf(client: Client) -> str:
    return client.cookies["csrftoken"].value


def post(body: str, **extra: Any) -> dict[str, Any]:
    return Api(token_for(make_account())).post(
        PATH, {"body": body, "accept_terms": True, **extra}).json()


def test_staff_sign_in_with_csrf_and_readers_are_refused(site: Site) -> None:
    assert Client().get("/moderation/queue/pending/").status_code == 302
    reader = make_account()
    client = Client(enforce_csrf_checks=True)
    client.get("/moderation/sign-in/")
    refused = client.post("/moderation/sign-in/", {"email": reader.email, "password": PASSWORD,
                                                   "csrfmiddlewaretoken": csrf(client)})
    assert refused.status_code == 403
    no_token = Client(enforce_csrf_checks=True).post(
        "/moderation/sign-in/", {"email": reader.email, "password": PASSWORD})
    assert no_token.status_code == 403
    wrong = client.post("/moderation/sign-in/", {"email": reader.email, "password": "nope",
                                                 "csrfmiddlewaretoken": csrf(client)})
    assert wrong.status_code == 401
    moderator = signed_in(make_staff(sites=[site]))
    page = moderator.get("/moderation/", follow=True)
    assert page.status_code == 200 and b"Keyboard shortcuts" in page.content
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert b"<script>" not in page.content and b" onclick=" not in page.content


def test_a_moderator_approves_and_rejects_from_the_queue_page(site: Site) -> None:
    held = post("Only an idiot would build this bridge.")
    calm = post("A calm remark.", review_requested=True)
    client = signed_in(make_staff(sites=[site]))
    page = client.get("/moderation/queue/pending/").content.decode()
    assert "Council approves the new bridge" in page
    assert "<mark>idiot</mark>" in page and "0.93" in page
    approved = client.post(f"/moderation/comments/{calm['id']}/decide/",
                           {"action": "approve", "csrfmiddlewaretoken": csrf(client)},
                           HTTP_HX_REQUEST="true")
    assert approved.status_code == 200 and approved["HX-Trigger"] == "th-counts"
    assert b"data-decided" in approved.content
    rejected = client.post(f"/moderation/comments/{held['id']}/decide/",
                           {"action": "reject", "guideline": "respect", "note": "No insults.",
                            "csrfmiddlewaretoken": csrf(client)}, HTTP_HX_REQUEST="true")
    assert rejected.status_code == 200
    assert dict(Comment.objects.values_list("id", "status")) == {
        calm["id"]: "published", held["id"]: "rejected"}
    decision = Decision.objects.get(comment_id=held["id"], source="moderator")
    assert (decision.guideline, decision.note) == ("respect", "No insults.")
    counts = client.get("/moderation/counts/").content.decode()
    assert 'data-count="pending">0<' in counts


def test_bulk_reject_from_the_dashboard(site: Site) -> None:
    ids = [post(f"Held number {n}.", review_requested=True)["id"] for n in range(3)]
    client = signed_in(make_staff(sites=[site]))
    response = client.post("/moderation/bulk/", {
        "ids": ids[:2], "action": "reject", "guideline": "spam",
        "back": "/moderation/queue/pending/", "csrfmiddlewaretoken": csrf(client)})
    assert response.status_code == 302
    assert Comment.objects.filter(pk__in=ids[:2], status="rejected").count() == 2
    assert Comment.objects.get(pk=ids[2]).status == "pending"


def test_the_queue_page_stays_a_fixed_number_of_queries(site: Site,
                                                       django_assert_max_num_queries: Any
                                                       ) -> None:
    for n in range(15):
        post(f"Comment {n} waiting for review.", review_requested=True)
    client = signed_in(make_staff(sites=[site]))
    with django_assert_max_num_queries(22):
        page = client.get("/moderation/queue/pending/?sort=risk")
    assert page.content.decode().count('class="card ') == 15


def test_account_page_shows_the_record_and_bans(site: Site) -> None:
    author = make_account()
    Api(token_for(author)).post(PATH, {"body": "Something rude, idiot.", "accept_terms": True})
    client = signed_in(make_staff(sites=[site]))
    page = client.get(f"/moderation/accounts/{author.pk}/").content.decode()
    assert author.display_name in page and "Decision history" in page
    banned = client.post(f"/moderation/accounts/{author.pk}/", {
        "kind": "ban", "site": "daily", "guideline": "respect", "reject_comments": "on",
        "csrfmiddlewaretoken": csrf(client)})
    assert banned.status_code == 302
    assert AccountAction.objects.get(account=author).kind == "ban"
    assert Comment.objects.get(author=author).status == "rejected"


def test_site_staff_see_story_settings_only(site: Site) -> None:
    person = make_account()
    SiteRole.objects.create(site=site, account=person, kind=SiteRole.Kind.STAFF)
    client = signed_in(person)
    assert client.get("/moderation/queue/pending/").status_code == 403
    stories = client.get("/moderation/stories/")
    assert stories.status_code == 200 and b"Council approves" in stories.content
    story = site.stories.get()
    closed = client.post("/moderation/stories/", {"story": story.pk, "action": "close",
                                                  "csrfmiddlewaretoken": csrf(client)})
    assert closed.status_code == 302
    story.refresh_from_db()
    assert not story.is_open()
    assert client.get("/moderation/sites/daily/settings/").status_code == 404


def test_site_settings_are_edited_in_the_dashboard(site: Site) -> None:
    client = signed_in(make_staff(sites=[site]))
    page = client.get("/moderation/sites/daily/settings/")
    assert page.status_code == 200 and b"Word list" in page.content
    saved = client.post("/moderation/sites/daily/settings/", {
        "part": "thresholds", "phase_word_lists": "on", "phase_links": "on",
        "phase_toxicity": "on", "phase_spam": "on", "phase_new_commenters": "on",
        "phase_trust": "on", "toxicity_hold": "0.6", "toxicity_reject": "",
        "new_commenter_holds": "3", "report_threshold": "2", "trusted_after": "10",
        "flood_limit": "5", "link_policy": "allow", "link_domains": "city.example",
        "email_authors": "on", "csrfmiddlewaretoken": csrf(client)})
    assert saved.status_code == 302, saved.content
    config = site.moderation
    config.refresh_from_db()
    assert (config.toxicity_hold, config.new_commenter_holds, config.link_policy) == (
        0.6, 3, "allow")
    assert config.disabled_phases == ["youth_privacy"]
    added = client.post("/moderation/sites/daily/settings/", {
        "part": "word_add", "phrase": "crooks", "action": "hold", "guideline": "respect",
        "language": "", "csrfmiddlewaretoken": csrf(client)})
    assert added.status_code == 302
    assert post("These crooks again.")["status"] == "pending"


def test_charts_and_export(site: Site) -> None:
    held = post("Only an idiot would say so.")
    client = signed_in(make_staff(sites=[site]))
    client.post(f"/moderation/comments/{held['id']}/decide/",
                {"action": "approve", "csrfmiddlewaretoken": csrf(client)})
    page = client.get("/moderation/stats/").content.decode()
    assert page.count("<svg") == 3 and "100%" in page
    export = client.get("/moderation/decisions.csv")
    content = b"".join(export.streaming_content).decode()
    assert content.splitlines()[0].startswith("decision_id,created_at,site")
    assert len(content.splitlines()) == 3


def test_the_dashboard_speaks_french(site: Site) -> None:
    client = signed_in(make_staff(sites=[site]))
    page = client.get("/moderation/queue/pending/?lang=fr")
    assert page.status_code == 200
    assert b'lang="fr"' in page.content


def test_polish_seen_in_the_trial(site: Site) -> None:
    """The French card no longer says a held comment was published; charts count in whole
    numbers and say when they have nothing to show; every page links the site settings."""
    client = signed_in(make_staff(sites=[site]))
    quiet = client.get("/moderation/stats/").content.decode()
    assert "of 0 comments" not in quiet and "none to check yet" in quiet
    assert "No decisions by moderators in the last 7 days." in quiet
    assert not re.search(r'class="axis" text-anchor="end">\d+\.\d', quiet)  # no 0.5 ticks
    held = post("Only an idiot would say so.")
    french = client.get("/moderation/queue/pending/?lang=fr").content.decode()
    assert "il y a" in french and "publié il y a" not in french
    page = client.get(f"/moderation/comments/{held['id']}/").content.decode()
    assert "/moderation/sites/daily/settings/" in page
