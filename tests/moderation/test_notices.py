"""Notices of illegal content (DSA art. 16) and trusted flaggers (art. 22): anyone files one
with a proof of work and gets a reference and an acknowledgement; moderators of the site
review, note and decide it; the notifier hears the outcome and the author gets a statement
of reasons."""

from __future__ import annotations

import hashlib
import io
import json
from typing import Any

import pytest
from django.core.management import call_command

from townhall.accounts.models import AuditEntry
from townhall.comments.models import Comment
from townhall.core import proofofwork
from townhall.moderation.models import Notice
from townhall.moderation.services import site_moderation_update
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


@pytest.fixture(autouse=True)
def _easy_work(settings: Any) -> None:
    settings.TOWNHALL_POW_BITS = 6


@pytest.fixture
def site(db: None) -> Site:
    site, _key = make_site()
    make_story(site, "s1", title="Council approves the new bridge")
    return site


@pytest.fixture
def moderator(site: Site) -> Api:
    return Api(token_for(make_staff(sites=[site])))


@pytest.fixture
def comment(site: Site) -> dict[str, Any]:
    author = Api(token_for(make_account(email_address="author@example.org")))
    made = author.post("sites/daily/stories/s1/comments",
                       {"body": "The mayor took bribes from the builder.", "accept_terms": True})
    assert made.json()["status"] == "published"
    return {**made.json(), "author": author}


def solved(client: Api) -> dict[str, str]:
    issued = client.get("notices/challenge").json()
    return {"challenge": issued["challenge"],
            "nonce": proofofwork.solve(issued["challenge"], issued["bits"])}


def unsolved(challenge: str) -> str:
    """Return a nonce that does not solve ``challenge`` (a changed nonce may, by chance)."""
    wanted = proofofwork.bits()
    return next(
        nonce for nonce in (f"wrong-{i}" for i in range(1000))
        if proofofwork.leading_zero_bits(
            hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()) < wanted
    )


def notice(comment_id: int, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "comment_id": comment_id, "ground": "defamation", "law": "Civil Code, art. 1457",
        "explanation": "It accuses the mayor of a crime without any evidence.",
        "name": "Claire Fontaine", "email": "claire@example.org", "good_faith": True}
    return {**body, **fields}


def test_an_anonymous_notice_is_acknowledged_reviewed_decided_and_stated(
    site: Site, moderator: Api, comment: dict[str, Any], outbox: Outbox
) -> None:
    visitor = Api()
    filed = visitor.post("notices", {**notice(comment["id"]), **solved(visitor)})
    assert filed.status_code == 201, filed.json()
    reference = filed.json()["reference"]
    assert reference.startswith("N-") and filed.json()["status"] == "received"
    ack = outbox.body(outbox.to("claire@example.org")[-1])
    assert reference in ack and "Defamation" in ack

    queue = moderator.get("moderation/notices").json()
    assert [n["reference"] for n in queue["notices"]] == [reference]
    assert queue["counts"]["received"] == 1
    notice_id = queue["notices"][0]["id"]
    assert moderator.post(f"moderation/notices/{notice_id}/review").json()["status"] == \
        "in_review"
    noted = moderator.post(f"moderation/notices/{notice_id}/notes",
                           {"text": "Checked the court records: no charge."})
    assert noted.status_code == 201 and noted.json()["notes"][0]["text"].startswith("Checked")

    decided = moderator.post(f"moderation/notices/{notice_id}/decision",
                             {"outcome": "restrict", "reasons": "An unproven accusation."})
    assert decided.status_code == 200, decided.json()
    assert decided.json()["status"] == "decided" and decided.json()["outcome"] == "restricted"
    assert [h["action"] for h in decided.json()["history"]] == [
        "notice.receive", "notice.review", "notice.note", "notice.decide"]
    assert Comment.objects.get(pk=comment["id"]).status == "rejected"
    told = outbox.body(outbox.to("claire@example.org")[-1])
    assert reference in told and "removed" in told and "An unproven accusation." in told

    statement = comment["author"].get("me/comments").json()["comments"][0]["statement"]
    assert statement["detected_by"] == "notice" and statement["ground"] == "law"
    assert statement["law"] == "Defamation (Civil Code, art. 1457)"
    assert statement["decided_by"] == "person"
    undo_window_passes()
    assert "illegal content — Defamation" in outbox.body(outbox.to("author@example.org")[-1])

    out = io.StringIO()
    call_command("export_statements", since="2000-01-01", stdout=out)
    [exported] = json.loads(out.getvalue())["statements"]
    assert exported["source_type"] == "SOURCE_ARTICLE_16"
    assert exported["decision_ground"] == "DECISION_GROUND_ILLEGAL_CONTENT"
    assert exported["illegal_content_legal_ground"] == "Defamation"  # not the notifier's words


def test_a_notice_needs_a_solved_unspent_challenge(site: Site, comment: dict[str, Any]) -> None:
    visitor = Api()
    missing = visitor.post("notices", notice(comment["id"]))
    assert missing.status_code == 422 and missing.json()["errors"][0]["code"] == \
        "proof_of_work_failed"
    work = solved(visitor)
    wrong = visitor.post("notices", {**notice(comment["id"]), **work,
                                     "nonce": unsolved(work["challenge"])})
    assert wrong.status_code == 422
    assert visitor.post("notices", {**notice(comment["id"]), **work}).status_code == 201
    spent = visitor.post("notices", {**notice(comment["id"]), **work})
    assert spent.status_code == 422 and spent.json()["errors"][0]["field"] == "nonce"
    assert Notice.objects.count() == 1


@pytest.mark.parametrize(("fields", "field", "code"), [
    ({"name": ""}, "name", "required"),
    ({"email": "not-an-address"}, "email", "invalid"),
    ({"good_faith": False}, "good_faith", "required"),
    ({"ground": "rudeness"}, "ground", "invalid_choice"),
    ({"explanation": "bad"}, "explanation", "too_short"),
    ({"comment_id": None, "comment_url": "https://news.example/1.100"}, "comment_id",
     "required"),
])
def test_a_notice_missing_what_the_law_asks_is_refused_and_changes_nothing(
    site: Site, comment: dict[str, Any], fields: dict[str, Any], field: str, code: str
) -> None:
    visitor = Api()
    entries = AuditEntry.objects.count()
    refused = visitor.post("notices", {**notice(comment["id"]), **fields, **solved(visitor)})
    assert refused.status_code == 422, refused.json()
    assert refused.json()["errors"][0]["field"] == field
    assert refused.json()["errors"][0]["code"] == code
    assert Notice.objects.count() == 0 and AuditEntry.objects.count() == entries


def test_child_abuse_notices_need_no_name_and_a_link_names_the_comment(
    site: Site, comment: dict[str, Any], outbox: Outbox
) -> None:
    visitor = Api()
    filed = visitor.post("notices", {
        **notice(None, ground="child_abuse", name="", email="", law=""),
        "comment_url": f"https://news.example/1.100?comment={comment['id']}", **solved(visitor)})
    assert filed.status_code == 201, filed.json()
    assert Notice.objects.get().comment_id == comment["id"] and outbox.messages() == []


def test_a_site_that_holds_on_notice_holds_the_comment_until_decided(
    site: Site, moderator: Api, comment: dict[str, Any]
) -> None:
    site_moderation_update(site=site, hold_on_notice=True)
    visitor = Api()
    filed = visitor.post("notices", {**notice(comment["id"]), **solved(visitor)})
    assert filed.json()["held"] is True
    assert Comment.objects.get(pk=comment["id"]).status == "pending"
    assert Api().get("sites/daily/stories/s1/comments").json()["comments"] == []
    notice_id = moderator.get("moderation/notices").json()["notices"][0]["id"]
    kept = moderator.post(f"moderation/notices/{notice_id}/decision",
                          {"outcome": "no_action", "reasons": "Fair comment on a public figure."})
    assert kept.json()["outcome"] == "no_action"
    assert Comment.objects.get(pk=comment["id"]).status == "published"


def test_another_sites_moderator_never_reaches_a_notice(
    site: Site, comment: dict[str, Any]
) -> None:
    other_site, _ = make_site("weekly")
    outsider = Api(token_for(make_staff(sites=[other_site])))
    visitor = Api()
    visitor.post("notices", {**notice(comment["id"]), **solved(visitor)})
    notice_id = Notice.objects.get().pk
    assert outsider.get("moderation/notices").json()["notices"] == []
    assert outsider.get(f"moderation/notices/{notice_id}").status_code == 404
    refused = outsider.post(f"moderation/notices/{notice_id}/decision", {"outcome": "void"})
    assert refused.status_code == 404 and Notice.objects.get().status == "received"
    reader = Api(token_for(make_account()))
    assert reader.get("moderation/notices").status_code == 403


def test_a_notice_on_a_comment_nobody_can_see_is_unknown(site: Site) -> None:
    author = Api(token_for(make_account()))
    held = author.post("sites/daily/stories/s1/comments",
                       {"body": "Only an idiot would vote for it.", "accept_terms": True}).json()
    assert held["status"] == "pending"
    visitor = Api()
    refused = visitor.post("notices", {**notice(held["id"]), **solved(visitor)})
    assert refused.status_code == 404


def test_notices_are_rate_limited_per_address(site: Site, comment: dict[str, Any]) -> None:
    visitor = Api()
    answers = [visitor.post("notices", {**notice(comment["id"]), **solved(visitor)}).status_code
               for _ in range(11)]
    assert answers == [201] * 10 + [429]


def test_trusted_flaggers_notices_are_marked_first_and_timed(
    site: Site, moderator: Api, comment: dict[str, Any]
) -> None:
    admin = Api(token_for(make_staff(role="admin")))
    refused = moderator.post("moderation/trusted-flaggers",
                             {"name": "Hate Watch", "contact": "desk@hatewatch.example"})
    assert refused.status_code == 403
    made = admin.post("moderation/trusted-flaggers",
                      {"name": "Hate Watch", "contact": "desk@hatewatch.example",
                       "expertise": "illegal hate speech"})
    assert made.status_code == 201 and made.json()["key"].startswith("thf_")
    visitor = Api()
    visitor.post("notices", {**notice(comment["id"]), **solved(visitor)})
    flagged = Api().post("notices", {**notice(comment["id"], ground="hate", name="", email=""),
                                     "flagger_key": made.json()["key"]})
    assert flagged.status_code == 201 and flagged.json()["trusted_flagger"] is True
    forged = Api().post("notices", {**notice(comment["id"]), "flagger_key": "thf_nope"})
    assert forged.status_code == 422

    queue = moderator.get("moderation/notices").json()["notices"]
    assert [n["trusted_flagger"] for n in queue] == ["Hate Watch", None]
    moderator.post(f"moderation/notices/{queue[0]['id']}/decision",
                   {"outcome": "restrict", "guideline": "hate", "reasons": "Hate speech."})
    figures = admin.get("moderation/trusted-flaggers").json()["flaggers"]
    assert figures[0]["notices"] == 1 and figures[0]["restricted"] == 1
    assert figures[0]["median_hours_to_decision"] is not None
    assert moderator.get("moderation/trusted-flaggers").status_code == 403


def test_the_notifier_hears_how_the_authors_appeal_ended(
    site: Site, moderator: Api, comment: dict[str, Any], outbox: Outbox
) -> None:
    visitor = Api()
    visitor.post("notices", {**notice(comment["id"], language="fr"), **solved(visitor)})
    notice_id = moderator.get("moderation/notices").json()["notices"][0]["id"]
    moderator.post(f"moderation/notices/{notice_id}/decision",
                   {"outcome": "restrict", "reasons": "Accusation sans preuve."})
    assert "Décision" in outbox.body(outbox.to("claire@example.org")[-1])
    appealed = comment["author"].post(f"comments/{comment['id']}/appeal",
                                      {"message": "It is true."})
    assert appealed.status_code == 201
    same = moderator.post(f"moderation/appeals/{comment['id']}/decision", {"outcome": "uphold"})
    assert same.status_code == 403  # the one who removed it may not judge the appeal
    other = Api(token_for(make_staff(sites=[site])))
    other.post(f"moderation/appeals/{comment['id']}/decision",
               {"outcome": "uphold", "note": "The removal stands."})
    told = outbox.body(outbox.to("claire@example.org")[-1])
    assert "Résultat : le retrait est maintenu." in told
    assert "removal stands" in outbox.body(outbox.to("author@example.org")[-1])


def test_erasing_a_signed_in_notifier_keeps_the_notice_but_not_who_filed_it(
    site: Site, comment: dict[str, Any], monkeypatch: Any
) -> None:
    import datetime as dt

    from townhall.core import clock

    notifier = make_account(first_name="Iris", last_name="Moreau",
                            email_address="iris@example.org")
    signed_in = Api(token_for(notifier))
    filed = signed_in.post("notices", {**notice(comment["id"], name="", email=""),
                                       **solved(signed_in)})
    assert filed.status_code == 201, filed.json()
    row = Notice.objects.get()
    assert (row.name, row.email, row.account_id) == ("Iris Moreau", "iris@example.org",
                                                       notifier.pk)
    mine = signed_in.get("me/export").json()["notices"]
    assert [n["reference"] for n in mine] == [row.reference]
    signed_in.delete("me")
    moment = clock.now() + dt.timedelta(hours=24, seconds=1)
    monkeypatch.setattr(clock, "now", lambda: moment)
    call_command("purge_deleted", stdout=io.StringIO())
    row.refresh_from_db()
    assert (row.name, row.email, row.account_id) == ("", "", None)
    assert row.reference == filed.json()["reference"]


def test_a_notifier_contests_a_decision_once_and_another_moderator_decides_again(
    site: Site, moderator: Api, comment: dict[str, Any], outbox: Outbox
) -> None:
    visitor = Api()
    reference = visitor.post("notices", {**notice(comment["id"]), **solved(visitor)}
                             ).json()["reference"]
    notice_id = Notice.objects.get().pk
    early = Api().post(f"notices/{reference}/complaint",
                       {"email": "claire@example.org", "message": "Too early?"})
    assert early.status_code == 409 and early.json()["errors"][0]["code"] == "not_decided"
    moderator.post(f"moderation/notices/{notice_id}/decision",
                   {"outcome": "no_action", "reasons": "Opinion on a public figure."})
    assert f"notices/{reference}/complaint" in outbox.body(outbox.to("claire@example.org")[-1])

    wrong = Api().post(f"notices/{reference}/complaint",
                       {"email": "someone@example.org", "message": "Let me in."})
    assert wrong.status_code == 404
    made = Api().post(f"notices/{reference}/complaint",
                      {"email": "Claire@Example.org", "message": "It names a crime."})
    assert made.status_code == 200 and made.json()["status"] == "in_review"
    again = Api().post(f"notices/{reference}/complaint",
                       {"email": "claire@example.org", "message": "Again."})
    assert again.status_code == 409
    assert again.json()["errors"][0]["code"] in ("already_complained", "not_decided")

    same = moderator.post(f"moderation/notices/{notice_id}/decision",
                          {"outcome": "no_action", "reasons": "Still fine."})
    assert same.status_code == 403 and same.json()["errors"][0]["code"] == "same_moderator"
    other = Api(token_for(make_staff(sites=[site])))
    shown = other.get(f"moderation/notices/{notice_id}").json()
    assert shown["complaint"] == "It names a crime."
    decided = other.post(f"moderation/notices/{notice_id}/decision",
                         {"outcome": "restrict", "reasons": "On review, an accusation."})
    assert decided.status_code == 200 and decided.json()["outcome"] == "restricted"
    assert Comment.objects.get(pk=comment["id"]).status == "rejected"
    answer = outbox.body(outbox.to("claire@example.org")[-1])
    assert "This answers your complaint" in answer and "removed" in answer
    assert [h["action"] for h in decided.json()["history"]] == [
        "notice.receive", "notice.decide", "notice.complaint", "notice.decide"]


def test_a_complaint_after_the_appeal_window_is_refused(
    site: Site, moderator: Api, comment: dict[str, Any], travel: Any
) -> None:
    import datetime as dt

    from townhall.core import clock

    visitor = Api()
    reference = visitor.post("notices", {**notice(comment["id"]), **solved(visitor)}
                             ).json()["reference"]
    moderator.post(f"moderation/notices/{Notice.objects.get().pk}/decision",
                   {"outcome": "void"})
    travel(clock.now() + dt.timedelta(days=200))
    late = Api().post(f"notices/{reference}/complaint",
                      {"email": "claire@example.org", "message": "Late."})
    assert late.status_code == 409
    assert late.json()["errors"][0]["code"] == "appeal_window_closed"
