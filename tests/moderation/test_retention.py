"""Each site's retention policy: a daily task deletes decided notices, the text of old
rejected comments and old decision notes past the site's limits, keeps what is younger or
on other sites, and logs what it deleted in the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from townhall.accounts.models import AuditEntry
from townhall.comments.models import Comment
from townhall.core import clock
from townhall.moderation.models import Decision, Notice
from townhall.moderation.retention import retention_enforce
from townhall.stories.models import Site

from tests.conftest import Api, make_account, make_site, make_staff, make_story, token_for


@pytest.fixture
def site(db: None) -> Site:
    site, _key = make_site(retain_notices_days=30, retain_rejected_days=60,
                           retain_notes_days=90)
    make_story(site, "s1")
    return site


def rejected_with_notice(site: Site, body: str) -> int:
    from townhall.moderation.services.notices import notice_decide, notice_file

    moderator = make_staff(sites=[site])
    made = Api(token_for(make_account())).post(
        f"sites/{site.name}/stories/s1/comments", {"body": body, "accept_terms": True}).json()
    comment = Comment.objects.select_related("story__site").get(pk=made["id"])
    notice = notice_file(comment=comment, account=None, ground="defamation", law="",
                         explanation="A false accusation of a crime.", name="Claire Fontaine",
                         email="claire@example.org", good_faith=True)
    notice_decide(moderator=moderator, notice=notice, outcome="restrict",
                  reasons="Unproven accusation.")
    return int(made["id"])


def test_the_daily_task_deletes_what_the_policy_says_and_logs_it(
    site: Site, travel: Any
) -> None:
    old = rejected_with_notice(site, "The treasurer is a thief.")
    travel(clock.now() + dt.timedelta(days=100))
    young = rejected_with_notice(site, "The mayor is a crook.")
    other_site, _ = make_site("weekly", retain_notices_days=0, retain_rejected_days=0,
                              retain_notes_days=0)
    make_story(other_site, "s1")
    kept = rejected_with_notice(other_site, "The clerk is a fraud.")
    travel(clock.now() + dt.timedelta(days=1))

    report = retention_enforce()
    assert report["daily"] == {"notices": 1, "rejected_texts": 1, "decision_notes": 1}
    assert report["weekly"] == {"notices": 0, "rejected_texts": 0, "decision_notes": 0}
    assert Comment.objects.get(pk=old).source == ""
    assert Comment.objects.get(pk=old).status == "rejected"  # the record stays
    assert Comment.objects.get(pk=young).source == "The mayor is a crook."
    assert Comment.objects.get(pk=kept).source == "The clerk is a fraud."
    assert list(Notice.objects.values_list("comment_id", flat=True).order_by("pk")) == [
        young, kept]
    assert Decision.objects.get(comment_id=old, rule="reject").note == ""
    assert Decision.objects.get(comment_id=young, rule="reject").note == "Unproven accusation."
    entry = AuditEntry.objects.get(action="retention.run")
    assert entry.site == site and entry.changes["notices"] == 1
    assert retention_enforce()["daily"] == {"notices": 0, "rejected_texts": 0,
                                            "decision_notes": 0}


def test_a_policy_outside_the_allowed_range_is_refused(site: Site) -> None:
    admin = Api(token_for(make_staff(sites=[site])))
    refused = admin.patch("moderation/sites/daily/settings", {"retain_rejected_days": 5})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "retain_rejected_days"
    assert admin.patch("moderation/sites/daily/settings",
                       {"retain_rejected_days": 0}).status_code == 200


def test_the_task_is_scheduled_daily(db: None) -> None:
    from townhall.notify import tasks

    assert any(p.name == "retention" for p in tasks.periodic_jobs())
