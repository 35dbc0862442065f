"""The notices queue in the dashboard: a moderator of the site lists notices (trusted
flaggers' first), takes one in review, notes and decides it; others never reach it."""

from __future__ import annotations

import pytest
from django.test import Client, TestCase

from townhall.comments.models import Comment
from townhall.moderation.models import Notice
from townhall.moderation.services.notices import notice_file
from townhall.stories.models import Site

from tests.conftest import Api, make_account, make_site, make_staff, make_story, token_for
from tests.dashboard.test_dashboard import csrf, signed_in


@pytest.fixture
def site(db: None) -> Site:
    site, _key = make_site()
    make_story(site, "s1")
    return site


@pytest.fixture
def filed(site: Site) -> Notice:
    made = Api(token_for(make_account())).post(
        "sites/daily/stories/s1/comments",
        {"body": "The treasurer steals from the till.", "accept_terms": True}).json()
    return notice_file(comment=Comment.objects.select_related("story__site").get(pk=made["id"]),
                       account=None, ground="defamation", law="",
                       explanation="An accusation of theft, with no evidence.",
                       name="Claire Fontaine", email="claire@example.org", good_faith=True)


def test_a_moderator_reviews_notes_and_decides_a_notice_from_the_dashboard(
    site: Site, filed: Notice
) -> None:
    client = signed_in(make_staff(sites=[site]))
    listing = client.get("/moderation/notices/").content.decode()
    assert filed.reference in listing and "Defamation" in listing
    page = f"/moderation/notices/{filed.pk}/"
    assert client.post(page, {"step": "review", "csrfmiddlewaretoken": csrf(client)}
                       ).status_code == 302
    client.post(page, {"step": "note", "text": "Asked the newsroom.",
                       "csrfmiddlewaretoken": csrf(client)})
    with TestCase.captureOnCommitCallbacks(execute=True):
        done = client.post(page, {"outcome": "restrict", "guideline": "unlawful",
                                  "reasons": "Unproven accusation of a crime.",
                                  "csrfmiddlewaretoken": csrf(client)})
    assert done.status_code == 302
    filed.refresh_from_db()
    assert (filed.status, filed.outcome) == ("decided", "restricted")
    shown = client.get(page).content.decode()
    assert "Asked the newsroom." in shown and "notice decided" in shown
    assert Comment.objects.get(pk=filed.comment_id).status == "rejected"


def test_a_decision_without_reasons_is_refused_and_changes_nothing(
    site: Site, filed: Notice
) -> None:
    client = signed_in(make_staff(sites=[site]))
    refused = client.post(f"/moderation/notices/{filed.pk}/",
                          {"outcome": "restrict", "csrfmiddlewaretoken": csrf(client)})
    assert refused.status_code == 422
    filed.refresh_from_db()
    assert filed.status == "received"


def test_another_sites_moderator_gets_not_found(site: Site, filed: Notice) -> None:
    other, _ = make_site("weekly")
    client = signed_in(make_staff(sites=[other]))
    assert filed.reference not in client.get("/moderation/notices/").content.decode()
    assert client.get(f"/moderation/notices/{filed.pk}/").status_code == 404
    response = client.post(f"/moderation/notices/{filed.pk}/",
                           {"outcome": "void", "csrfmiddlewaretoken": csrf(client)})
    assert response.status_code == 404
    assert Client().get("/moderation/notices/").status_code == 302




def test_the_notice_hold_appeal_window_and_retention_are_set_in_site_settings(
    site: Site
) -> None:
    client = signed_in(make_staff(sites=[site]))
    form = {"part": "thresholds", "phase_toxicity": "on", "toxicity_hold": "",
            "toxicity_reject": "", "new_commenter_holds": "0", "report_threshold": "3",
            "trusted_after": "20", "flood_limit": "4", "link_policy": "hold",
            "link_domains": "", "hold_on_notice": "on", "appeal_days": "365",
            "retain_notices_days": "400", "retain_rejected_days": "0",
            "retain_notes_days": "90", "csrfmiddlewaretoken": csrf(client)}
    assert "Hold a comment while a notice" in client.get(
        "/moderation/sites/daily/settings/").content.decode()
    saved = client.post("/moderation/sites/daily/settings/", form)
    assert saved.status_code == 302, saved.content
    config = site.moderation
    config.refresh_from_db()
    assert (config.hold_on_notice, config.appeal_days, config.retain_notices_days,
            config.retain_rejected_days, config.retain_notes_days) == (True, 365, 400, 0, 90)
    short = client.post("/moderation/sites/daily/settings/",
                        {**form, "appeal_days": "30", "csrfmiddlewaretoken": csrf(client)})
    assert short.status_code == 422  # DSA art. 20: at least six months
    config.refresh_from_db()
    assert config.appeal_days == 365


def test_an_admin_registers_a_trusted_flagger_and_sees_its_key_once(site: Site) -> None:
    admin = signed_in(make_staff(role="admin"))
    page = admin.post("/moderation/trusted-flaggers/", {
        "name": "Hate Watch", "contact": "desk@hatewatch.example",
        "expertise": "illegal hate speech", "csrfmiddlewaretoken": csrf(admin)})
    assert page.status_code == 200
    html = page.content.decode()
    assert "thf_" in html and "Hate Watch" in html
    assert "thf_" not in admin.get("/moderation/trusted-flaggers/").content.decode()
    bad = admin.post("/moderation/trusted-flaggers/", {
        "name": "X", "contact": "not-an-email", "csrfmiddlewaretoken": csrf(admin)})
    assert bad.status_code == 422
    moderator = signed_in(make_staff(sites=[site]))
    assert moderator.get("/moderation/trusted-flaggers/").status_code == 403
