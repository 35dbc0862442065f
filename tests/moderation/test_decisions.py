"""Moderators decide through the API; authors are told, appeal once and see the outcome;
every step is in the audit log."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from townhall.comments.models import Comment
from townhall.moderation.models import Decision
from townhall.stories.models import Site

from tests.conftest import (
    Api,
    Outbox,
    make_account,
    make_site,
    make_staff,
    make_story,
    token_for,
    undo_window_passes,
)

PATH = "sites/daily/stories/s1/comments"


@pytest.fixture
def site(db: None) -> Site:
    site, _key = make_site()
    make_story(site, "s1", title="Council approves the new bridge")
    return site


@pytest.fixture
def moderator(site: Site) -> Api:
    return Api(token_for(make_staff(sites=[site])))


def post(client: Api, body: str, **extra: Any) -> dict[str, Any]:
    response = client.post(PATH, {"body": body, "accept_terms": True, **extra})
    assert response.status_code == 201, response.json()
    return response.json()


def test_rejection_appeal_and_outcome_end_to_end(site: Site, moderator: Api,
                                                 outbox: Outbox) -> None:
    account = make_account(email_address="ines@example.org")
    author = Api(token_for(account))
    held = post(author, "Only an idiot would vote for this bridge.")
    assert held["status"] == "pending"

    queue = moderator.get("moderation/queues/pending").json()
    assert [c["id"] for c in queue["comments"]] == [held["id"]]
    card = queue["comments"][0]
    assert card["story"]["title"] == "Council approves the new bridge"
    assert card["author"]["display_name"] == account.display_name
    assert card["findings"][-1]["spans"] and card["risk"] == pytest.approx(0.93)
    assert queue["counts"]["pending"] == 1

    missing = moderator.post(f"moderation/comments/{held['id']}/decisions", {"action": "reject"})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "guideline"
    rejected = moderator.post(f"moderation/comments/{held['id']}/decisions",
                              {"action": "reject", "guideline": "respect",
                               "note": "Please argue without insults."})
    assert rejected.json()["status"] == "rejected"

    mine = author.get("me/comments").json()["comments"][0]
    assert mine["status"] == "rejected"
    assert mine["guideline"] == {"code": "respect",
                                 "title": "Be respectful: no personal attacks"}
    assert mine["note"] == "Please argue without insults." and mine["can_appeal"] is True
    assert outbox.to("ines@example.org") == []  # told once the undo window has passed
    undo_window_passes()
    email = outbox.body(outbox.to("ines@example.org")[-1])
    assert "Be respectful" in email and "Please argue without insults." in email

    appeal = author.post(f"comments/{held['id']}/appeal", {"message": "It was a figure of speech."})
    assert appeal.status_code == 201 and appeal.json()["status"] == "open"
    again = author.post(f"comments/{held['id']}/appeal", {"message": "Please?"})
    assert again.status_code == 409 and again.json()["errors"][0]["code"] == "already_appealed"

    appeals = moderator.get("moderation/queues/appeals").json()
    assert appeals["comments"][0]["appeal"]["message"] == "It was a figure of speech."
    same = moderator.post(f"moderation/appeals/{held['id']}/decision", {"outcome": "overturn"})
    assert same.status_code == 403 and same.json()["errors"][0]["code"] == "same_moderator"
    other = Api(token_for(make_staff(sites=[site])))
    decided = other.post(f"moderation/appeals/{held['id']}/decision",
                         {"outcome": "overturn", "note": "Fair enough, restored."})
    assert decided.status_code == 200 and decided.json()["status"] == "overturned"

    mine = author.get("me/comments").json()["comments"][0]
    assert mine["status"] == "published"
    assert mine["appeal"]["status"] == "overturned" and mine["appeal"]["note"]
    assert "restored" in outbox.body(outbox.to("ines@example.org")[-1]).lower()

    history = moderator.get(f"moderation/comments/{held['id']}").json()["history"]
    assert [(h["source"], h["rule"], h["new_status"]) for h in history] == [
        ("model", "toxicity", "pending"),
        ("moderator", "reject", "rejected"),
        ("moderator", "appeal_overturned", "published"),
    ]
    assert history[1]["guideline"] == "respect" and history[1]["actor"]

    exported = moderator.get("moderation/decisions.csv")
    assert exported.status_code == 200 and exported["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert [r["rule"] for r in rows] == ["toxicity", "reject", "appeal_overturned"]
    assert rows[0]["model_version"] == "fake-1" and rows[1]["guideline"] == "respect"


def test_an_upheld_appeal_keeps_the_rejection_and_the_author_sees_it(
    site: Site, moderator: Api
) -> None:
    author = Api(token_for(make_account()))
    made = post(author, "You moron.")
    moderator.post(f"moderation/comments/{made['id']}/decisions",
                   {"action": "reject", "guideline": "respect"})
    author.post(f"comments/{made['id']}/appeal", {"message": "Why?"})
    other = Api(token_for(make_staff(sites=[site])))
    other.post(f"moderation/appeals/{made['id']}/decision",
               {"outcome": "uphold", "note": "Insults are not allowed."})
    mine = author.get("me/comments").json()["comments"][0]
    assert mine["status"] == "rejected" and mine["appeal"]["status"] == "upheld"
    assert mine["can_appeal"] is False


def test_only_the_author_appeals_and_only_a_rejection(site: Site, moderator: Api) -> None:
    author = Api(token_for(make_account()))
    made = post(author, "A civil remark.")
    assert author.post(f"comments/{made['id']}/appeal", {"message": "x"}).status_code == 409
    moderator.post(f"moderation/comments/{made['id']}/decisions",
                   {"action": "reject", "guideline": "on-topic"})
    stranger = Api(token_for(make_account()))
    assert stranger.post(f"comments/{made['id']}/appeal", {"message": "x"}).status_code == 404
    too_long = author.post(f"comments/{made['id']}/appeal", {"message": "x" * 2001})
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == "message"
    # The explanation is optional; the appeal itself is made once.
    assert author.post(f"comments/{made['id']}/appeal", {"message": " "}).status_code == 201
    again = author.post(f"comments/{made['id']}/appeal", {"message": "Once more."})
    assert again.status_code == 409 and again.json()["errors"][0]["code"] == "already_appealed"


def test_moderators_only_reach_their_sites_and_readers_none(site: Site) -> None:
    other_site, _ = make_site("elsewhere")
    make_story(other_site, "e1")
    author = Api(token_for(make_account()))
    made = author.post("sites/elsewhere/stories/e1/comments",
                       {"body": "Far away comment.", "accept_terms": True}).json()
    local = Api(token_for(make_staff(sites=[site])))
    assert local.get("moderation/queues/unreviewed").json()["comments"] == []
    assert local.get(f"moderation/comments/{made['id']}").status_code == 404
    denied = local.post(f"moderation/comments/{made['id']}/decisions",
                        {"action": "reject", "guideline": "spam"})
    assert denied.status_code == 404
    assert author.get("moderation/queues/pending").status_code == 403
    assert Api().get("moderation/queues/pending").status_code == 401
    admin = Api(token_for(make_staff(role="admin")))
    assert [c["id"] for c in admin.get("moderation/queues/unreviewed").json()["comments"]] == [
        made["id"]]
    assert local.get("moderation/queues/nonsense").status_code == 422


def test_queues_filter_and_sort_by_risk(site: Site, moderator: Api) -> None:
    author = Api(token_for(make_account()))
    calm = post(author, "A calm remark.", review_requested=True)
    rude = post(Api(token_for(make_account())), "What an idiot plan.")
    risky = moderator.get("moderation/queues/pending?sort=risk").json()["comments"]
    assert [c["id"] for c in risky] == [rude["id"], calm["id"]]
    oldest = moderator.get("moderation/queues/pending").json()["comments"]
    assert [c["id"] for c in oldest] == [calm["id"], rude["id"]]
    assert [c["id"] for c in moderator.get(
        "moderation/queues/pending?guideline=respect").json()["comments"]] == [rude["id"]]
    assert [c["id"] for c in moderator.get(
        "moderation/queues/pending?min_score=0.5").json()["comments"]] == [rude["id"]]
    calm_author = Comment.objects.get(pk=calm["id"]).author_id
    assert [c["id"] for c in moderator.get(
        f"moderation/queues/pending?author={calm_author}").json()["comments"]] == [calm["id"]]
    page = moderator.get("moderation/queues/pending?limit=1&sort=risk").json()
    assert page["next_cursor"]
    cursor = page["next_cursor"]
    rest = moderator.get(f"moderation/queues/pending?limit=1&sort=risk&cursor={cursor}")
    assert [c["id"] for c in rest.json()["comments"]] == [calm["id"]]
    assert moderator.get("moderation/queues/pending?cursor=zzz").status_code == 422


def test_queues_filter_by_model_category_and_sort_by_story(site: Site, moderator: Api) -> None:
    make_story(site, "s0", title="An earlier story")
    rude = post(Api(token_for(make_account())), "What an idiot plan.")
    asked = post(Api(token_for(make_account())), "A calm remark.", review_requested=True)
    earlier = Api(token_for(make_account())).post(
        "sites/daily/stories/s0/comments",
        {"body": "Another idiot take.", "accept_terms": True}).json()
    insults = moderator.get("moderation/queues/pending?category=insult").json()["comments"]
    assert {c["id"] for c in insults} == {rude["id"], earlier["id"]}
    assert moderator.get("moderation/queues/pending?category=threat").json()["comments"] == []
    by_story = moderator.get("moderation/queues/pending?sort=story").json()["comments"]
    stories = [Comment.objects.get(pk=c["id"]).story.external_id for c in by_story]
    assert stories == sorted(stories) and asked["id"] in {c["id"] for c in by_story}
    first = moderator.get("moderation/queues/pending?sort=story&limit=1").json()
    rest = moderator.get(
        f"moderation/queues/pending?sort=story&limit=5&cursor={first['next_cursor']}").json()
    assert [c["id"] for c in first["comments"] + rest["comments"]] == [c["id"] for c in by_story]


def test_unreviewed_approved_and_rejected_queues(site: Site, moderator: Api) -> None:
    author = Api(token_for(make_account()))
    one = post(author, "First civil comment.")
    two = post(author, "Second civil comment.")
    assert {c["id"] for c in moderator.get("moderation/queues/unreviewed").json()["comments"]} == {
        one["id"], two["id"]}
    moderator.post(f"moderation/comments/{one['id']}/decisions", {"action": "approve"})
    assert [c["id"] for c in moderator.get("moderation/queues/approved").json()["comments"]] == [
        one["id"]]
    assert [c["id"] for c in moderator.get("moderation/queues/unreviewed").json()["comments"]] == [
        two["id"]]
    moderator.post(f"moderation/comments/{two['id']}/decisions",
                   {"action": "reject", "guideline": "on-topic"})
    assert [c["id"] for c in moderator.get("moderation/queues/rejected").json()["comments"]] == [
        two["id"]]
    assert Api().get(PATH).json()["comments"][0]["id"] == one["id"]


def test_bulk_reject_is_all_or_nothing(site: Site, moderator: Api) -> None:
    ids = [post(Api(token_for(make_account())), f"Held comment {n}.", review_requested=True)["id"]
           for n in range(3)]
    refused = moderator.post("moderation/decisions", {"ids": ids, "action": "reject"})
    assert refused.status_code == 422
    assert Comment.objects.filter(status="pending").count() == 3
    done = moderator.post("moderation/decisions",
                          {"ids": ids, "action": "reject", "guideline": "spam"})
    assert done.json()["count"] == 3 and len(done.json()["decision_ids"]) == 3
    assert Comment.objects.filter(status="rejected", guideline="spam").count() == 3
    assert Decision.objects.filter(source="moderator", rule="reject").count() == 3


def test_featured_comments_show_in_the_featured_tab(site: Site, moderator: Api) -> None:
    author = Api(token_for(make_account()))
    pick = post(author, "A thoughtful comment worth featuring.")
    post(Api(token_for(make_account())), "An ordinary comment.")
    assert moderator.post(f"moderation/comments/{pick['id']}/decisions",
                          {"action": "feature"}).json()["featured"] is True
    featured = Api().get(f"{PATH}?sort=featured").json()["comments"]
    assert [c["id"] for c in featured] == [pick["id"]] and featured[0]["featured"] is True
    moderator.post(f"moderation/comments/{pick['id']}/decisions", {"action": "unfeature"})
    assert Api().get(f"{PATH}?sort=featured").json()["comments"] == []


def test_queue_page_costs_a_fixed_number_of_queries(site: Site, moderator: Api,
                                                    django_assert_max_num_queries: Any) -> None:
    for n in range(12):
        account = make_account()
        parent = post(Api(token_for(account)), f"Parent comment number {n}.")
        post(Api(token_for(make_account())), f"Reply number {n}, an idiot take.",
             parent_id=parent["id"])
    # 15: one of them reads each card's newest decision (its `seen_decision`).
    with django_assert_max_num_queries(15):
        page = moderator.get("moderation/queues/pending")
    assert len(page.json()["comments"]) == 12
    assert page.json()["comments"][0]["parent"]["text"].startswith("Parent comment")


def test_the_export_takes_any_offset_and_names_since_when_out_of_range(
    site: Site, moderator: Api
) -> None:
    post(Api(token_for(make_account())), "You moron.")
    # Python accepts offsets up to ±23:59; PostgreSQL only ±15:59: the API turns them to UTC.
    late = moderator.get("moderation/decisions.csv?since=2001-08-08T23:10:47%2B23:19")
    assert late.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(late.streaming_content).decode())))
    assert [r["rule"] for r in rows] == ["toxicity"]
    future = moderator.get("moderation/decisions.csv?since=3292-08-08T23:10:47%2B23:19")
    assert future.status_code == 200
    assert len(b"".join(future.streaming_content).decode().splitlines()) == 1
    refused = moderator.get("moderation/decisions.csv?since=0001-01-01T00:00:00%2B05:00")
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["since"]
    # The CSV streams: an author id no database column holds is refused before it starts.
    for account in (2**63, 0):
        bad = moderator.get(f"moderation/decisions.csv?account={account}")
        assert bad.status_code == 422
        assert [e["field"] for e in bad.json()["errors"]] == ["account"]


def test_the_thread_shows_the_author_alone_their_rejected_comments_to_appeal(
        site: Site, moderator: Api) -> None:
    author = Api(token_for(make_account()))
    held = post(author, "Only an idiot would vote for this bridge.")
    moderator.post(f"moderation/comments/{held['id']}/decisions",
                   {"action": "reject", "guideline": "respect", "note": "No insults, please."})
    [mine] = author.get(PATH).json()["my_rejected"]
    assert mine["id"] == held["id"] and mine["body"].startswith("Only an idiot")
    assert mine["guideline"] == {"code": "respect", "title": "Be respectful: no personal attacks"}
    assert mine["note"] == "No insults, please." and mine["can_appeal"] is True
    assert mine["appeal"] is None and mine["appeal_until"]
    assert Api(token_for(make_account())).get(PATH).json()["my_rejected"] == []
    assert Api().get(PATH).json()["my_rejected"] == []
    assert held["id"] not in [c["id"] for c in Api().get(PATH).json()["comments"]]

    author.post(f"comments/{held['id']}/appeal", {"message": "A figure of speech."})
    [mine] = author.get(PATH).json()["my_rejected"]
    assert mine["can_appeal"] is False and mine["appeal"]["status"] == "open"


@pytest.mark.parametrize(("action", "outcome", "status", "phrase"), [
    ("approve", "overturned", "published", "publié votre commentaire"),
    ("reject", "upheld", "rejected", "a maintenu la décision"),
])
def test_deciding_an_appealed_comment_from_its_card_answers_the_appeal_in_french(
    site: Site, moderator: Api, outbox: Outbox, action: str, outcome: str, status: str,
    phrase: str,
) -> None:
    reader = make_account(email_address="ines@example.org", language="fr")
    author = Api(token_for(reader))
    made = post(author, "Quelle idée stupide, franchement.")
    moderator.post(f"moderation/comments/{made['id']}/decisions",
                   {"action": "reject", "guideline": "respect"})
    author.post(f"comments/{made['id']}/appeal", {"message": "Je critiquais l'idée."})
    other = Api(token_for(make_staff(sites=[site])))
    # The card's Approve and Reject buttons post the ordinary decision.
    decided = other.post(f"moderation/comments/{made['id']}/decisions",
                         {"action": action, "guideline": "respect", "note": "Relu."})
    assert decided.status_code == 200, decided.json()
    decision = Decision.objects.filter(comment_id=made["id"]).order_by("-id").first()
    assert decision is not None and decision.rule == f"appeal_{outcome}"
    mine = author.get("me/comments").json()["comments"][0]
    assert mine["status"] == status and mine["appeal"]["status"] == outcome
    kinds = [n["kind"] for n in author.get("me/notifications").json()["notifications"]]
    assert "appeal" in kinds
    email = outbox.body(outbox.to("ines@example.org")[-1])
    assert phrase in email and "Relu." in email


def test_the_audit_log_lists_appeal_decisions_under_appeals(site: Site) -> None:
    from django.test import Client

    from townhall.moderation.services import appeal_create, appeal_decide, comment_moderate

    admin = make_staff(sites=[site], role="admin")
    reader = make_account()
    made = post(Api(token_for(reader)), "You moron.")
    comment = Comment.objects.get(pk=made["id"])
    comment_moderate(moderator=admin, comment=comment, action="reject", guideline="respect")
    appeal = appeal_create(account=reader, comment=Comment.objects.get(pk=comment.pk),
                           message="Please look again.")
    appeal_decide(moderator=make_staff(sites=[site]), appeal=appeal, outcome="uphold")
    client = Client()
    client.force_login(admin)
    page = client.get(f"/moderation/audit/?action=appeal&author={reader.pk}").content.decode()
    assert "appeal filed" in page and "appeal_upheld" in page
