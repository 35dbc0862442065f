"""Undo and conflicts: a moderator takes back a decision (from its toast, the comment's
history or a bulk toast), and one moderator cannot silently overwrite another's."""

from __future__ import annotations

from typing import Any

import pytest

from townhall.comments.models import Comment
from townhall.moderation.models import Decision, Report
from townhall.stories.models import Site

from tests.conftest import Api, make_account, make_site, make_staff, make_story, token_for
from tests.dashboard.test_dashboard import csrf, signed_in

PATH = "sites/daily/stories/s1/comments"


@pytest.fixture
def site(db: None) -> Site:
    site, _key = make_site()
    make_story(site, "s1", title="Council approves the new bridge")
    return site


def post(body: str, **extra: Any) -> dict[str, Any]:
    response = Api(token_for(make_account())).post(
        PATH, {"body": body, "accept_terms": True, **extra})
    assert response.status_code == 201, response.json()
    return dict(response.json())


def decide(moderator: Api, comment_id: int, **body: Any) -> Any:
    return moderator.post(f"moderation/comments/{comment_id}/decisions", body)


def test_an_undone_rejection_puts_the_comment_back_as_it_was(site: Site) -> None:
    moderator = Api(token_for(make_staff(sites=[site])))
    published = post("The bridge will take years, and the ferry is full already.")
    for _ in range(2):
        Api(token_for(make_account())).post(f"comments/{published['id']}/reports",
                                           {"reason": "spam"})
    rejected = decide(moderator, published["id"], action="reject", guideline="spam")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert Report.objects.filter(resolved_at__isnull=True).count() == 0
    decision_id = rejected.json()["decision_id"]
    assert rejected.json()["undo_until"]

    undone = moderator.post(f"moderation/decisions/{decision_id}/undo")
    assert undone.status_code == 200, undone.json()
    assert undone.json()["status"] == "published" and undone.json()["undoes"] == decision_id
    comment = Comment.objects.get(pk=published["id"])
    assert (comment.status, comment.guideline, comment.reviewed_at) == ("published", "", None)
    assert comment.report_count == 2 and Report.objects.filter(resolved_at=None).count() == 2
    thread = Api().get(PATH).json()["comments"]
    assert [c["id"] for c in thread] == [published["id"]]

    history = moderator.get(f"moderation/comments/{published['id']}").json()["history"]
    assert [(h["rule"], h["new_status"], h["undoes"]) for h in history][-2:] == [
        ("reject", "rejected", None), ("undo", "published", decision_id)]

    again = moderator.post(f"moderation/decisions/{decision_id}/undo")
    assert again.status_code == 409 and again.json()["errors"][0]["code"] == "already_undone"
    the_undo = moderator.post(f"moderation/decisions/{undone.json()['decision_id']}/undo")
    assert the_undo.status_code == 409
    assert the_undo.json()["errors"][0]["code"] == "not_undoable"


def test_only_the_newest_decision_can_be_undone(site: Site) -> None:
    moderator = Api(token_for(make_staff(sites=[site])))
    held = post("Please look at this one.", review_requested=True)
    first = decide(moderator, held["id"], action="approve").json()["decision_id"]
    second = decide(moderator, held["id"], action="feature").json()["decision_id"]
    refused = moderator.post(f"moderation/decisions/{first}/undo")
    assert refused.status_code == 409 and refused.json()["errors"][0]["code"] == "superseded"
    assert Comment.objects.get(pk=held["id"]).featured_at is not None
    assert moderator.post(f"moderation/decisions/{second}/undo").status_code == 200
    assert Comment.objects.get(pk=held["id"]).featured_at is None
    assert moderator.post(f"moderation/decisions/{first}/undo").status_code == 200
    assert Comment.objects.get(pk=held["id"]).status == "pending"
    model = Decision.objects.filter(comment_id=held["id"]).order_by("id").first()
    assert model is not None and model.source != "moderator"
    pipeline = moderator.post(f"moderation/decisions/{model.pk}/undo")
    assert pipeline.status_code == 409


def test_another_sites_moderator_can_neither_see_nor_undo_a_decision(site: Site) -> None:
    moderator = Api(token_for(make_staff(sites=[site])))
    held = post("Held for review.", review_requested=True)
    decision_id = decide(moderator, held["id"], action="approve").json()["decision_id"]
    other_site, _key = make_site("elsewhere")
    stranger = Api(token_for(make_staff(sites=[other_site])))
    refused = stranger.post(f"moderation/decisions/{decision_id}/undo")
    assert refused.status_code == 404
    reader = Api(token_for(make_account()))
    assert reader.post(f"moderation/decisions/{decision_id}/undo").status_code == 403
    assert Comment.objects.get(pk=held["id"]).status == "published"


def test_a_bulk_decision_is_undone_all_or_none(site: Site) -> None:
    moderator = Api(token_for(make_staff(sites=[site])))
    ids = [post(f"Held number {n}.", review_requested=True)["id"] for n in range(3)]
    done = moderator.post("moderation/decisions", {"ids": ids, "action": "reject",
                                                    "guideline": "spam"}).json()
    later = decide(moderator, ids[0], action="approve").json()["decision_id"]
    refused = moderator.post("moderation/decisions/undo", {"ids": done["decision_ids"]})
    assert refused.status_code == 409
    assert list(Comment.objects.filter(pk__in=ids).order_by("id")
                .values_list("status", flat=True)) == ["published", "rejected", "rejected"]
    assert moderator.post(f"moderation/decisions/{later}/undo").status_code == 200
    undone = moderator.post("moderation/decisions/undo", {"ids": done["decision_ids"]})
    assert undone.status_code == 200 and undone.json()["count"] == 3
    assert set(Comment.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        "pending"}


def test_a_second_moderator_cannot_overwrite_a_decision_they_have_not_seen(site: Site) -> None:
    first = make_staff(sites=[site])
    second = Api(token_for(make_staff(sites=[site], first_name="Kwame", last_name="Asante")))
    held = post("Only an idiot would build this bridge.")
    card = second.get("moderation/queues/pending").json()["comments"][0]
    seen = card["seen_decision"]
    assert isinstance(seen, int)

    assert decide(Api(token_for(first)), held["id"], action="approve",
                  seen=seen).status_code == 200
    late = decide(second, held["id"], action="reject", guideline="respect", seen=seen)
    assert late.status_code == 409
    error = late.json()["errors"][0]
    assert error["code"] == "already_decided" and error["field"] == "id"
    assert first.display_name in error["message"] and "approved" in error["message"]
    assert Comment.objects.get(pk=held["id"]).status == "published"

    fresh = second.get(f"moderation/comments/{held['id']}").json()["history"][-1]["id"]
    assert decide(second, held["id"], action="reject", guideline="respect",
                  seen=fresh).status_code == 200


def test_undo_from_the_dashboard_toast_and_from_the_history(site: Site) -> None:
    held = post("Only an idiot would build this bridge.")
    client = signed_in(make_staff(sites=[site]))
    page = client.get("/moderation/queue/pending/").content.decode()
    seen = Decision.objects.filter(comment_id=held["id"]).latest("id").pk
    assert f'name="seen" value="{seen}"' in page
    decided = client.post(f"/moderation/comments/{held['id']}/decide/", {
        "action": "reject", "guideline": "respect", "seen": str(seen),
        "back": "/moderation/queue/pending/", "csrfmiddlewaretoken": csrf(client)},
        HTTP_HX_REQUEST="true")
    assert decided.status_code == 200
    decision = Decision.objects.get(comment_id=held["id"], rule="reject")
    html = decided.content.decode()
    assert f'action="/moderation/decisions/{decision.pk}/undo/"' in html
    assert 'data-undo-seconds="10"' in html

    card = client.post(f"/moderation/decisions/{decision.pk}/undo/", {
        "back": "/moderation/queue/pending/", "csrfmiddlewaretoken": csrf(client)},
        HTTP_HX_REQUEST="true")
    assert card.status_code == 200 and card["HX-Trigger"] == "th-counts"
    html = card.content.decode()
    assert 'data-undone="1"' in html and "Decision undone" in html
    assert "data-decided" not in html and 'value="reject"' in html
    assert Comment.objects.get(pk=held["id"]).status == "pending"

    # Later, from the comment's page: its newest decision offers Undo, in French too.
    client.post(f"/moderation/comments/{held['id']}/decide/", {
        "action": "approve", "back": f"/moderation/comments/{held['id']}/",
        "csrfmiddlewaretoken": csrf(client)})
    approval = Decision.objects.get(comment_id=held["id"], rule="approve")
    history = client.get(f"/moderation/comments/{held['id']}/?lang=fr").content.decode()
    assert f'action="/moderation/decisions/{approval.pk}/undo/"' in history
    assert "Annuler cette décision" in history
    assert f'/moderation/decisions/{decision.pk}/undo/"' not in history
    back = client.post(f"/moderation/decisions/{approval.pk}/undo/", {
        "back": f"/moderation/comments/{held['id']}/", "csrfmiddlewaretoken": csrf(client)})
    assert back.status_code == 302 and back["Location"] == f"/moderation/comments/{held['id']}/"
    assert Comment.objects.get(pk=held["id"]).status == "pending"
    shown = client.get(back["Location"]).content.decode()
    assert "Décision annulée." in shown


def test_a_bulk_decision_offers_its_undo_once_on_the_queue(site: Site) -> None:
    ids = [post(f"Held number {n}.", review_requested=True)["id"] for n in range(2)]
    client = signed_in(make_staff(sites=[site]))
    response = client.post("/moderation/bulk/", {
        "ids": ids, "action": "approve", "back": "/moderation/queue/pending/",
        "csrfmiddlewaretoken": csrf(client)}, follow=True)
    html = response.content.decode()
    assert 'action="/moderation/decisions/undo/"' in html
    assert "2 decisions can be undone for a few seconds." in html
    assert 'action="/moderation/decisions/undo/"' not in client.get(
        "/moderation/queue/pending/").content.decode()
    ids_in_toast = [d.pk for d in Decision.objects.filter(rule="approve").order_by("id")]
    undone = client.post("/moderation/decisions/undo/", {
        "ids": ids_in_toast, "back": "/moderation/queue/pending/",
        "csrfmiddlewaretoken": csrf(client)}, follow=True)
    assert "2 decisions undone." in undone.content.decode()
    assert set(Comment.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        "pending"}
