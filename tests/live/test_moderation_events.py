"""A moderator's live stream: held comments and queue counts, only for their sites."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import sync_to_async

from townhall.pagecache.hotpath import HotPath

from tests.conftest import Api, make_account, make_site, make_staff, make_story, token_for
from tests.live.conftest import run
from tests.live.harness import open_stream

pytestmark = pytest.mark.django_db(transaction=True)
URL = "/api/v1/moderation/events"


def test_a_held_comment_and_the_new_queue_count_reach_the_sites_moderator(
        live_app: HotPath) -> None:
    site, _key = make_site("daily")
    other, _key = make_site("weekly")
    story = make_story(site, moderation_mode="pre")
    moderator = make_staff(role="moderator", sites=[site])
    elsewhere = make_staff(role="moderator", sites=[other])
    writer = Api(token_for(make_account()))
    mine_token, their_token = token_for(moderator), token_for(elsewhere)

    async def scenario() -> tuple[Any, ...]:
        mine = await open_stream(live_app, URL, {"Authorization": f"Bearer {mine_token}"})
        theirs = await open_stream(live_app, URL, {"Authorization": f"Bearer {their_token}"})
        opening = await mine.next()
        await theirs.next()
        posted = await sync_to_async(writer.post)(
            f"sites/{site.name}/stories/{story.external_id}/comments",
            {"body": "Hold this for review, please.", "accept_terms": True})
        held = await mine.next()
        held.data["posted_id"] = posted.json()["id"]
        recount = await mine.next()
        try:
            await theirs.next(timeout=0.5)
            leaked = True
        except TimeoutError:
            leaked = False
        await mine.close()
        await theirs.close()
        return opening, held, recount, leaked

    opening, held, recount, leaked = run(scenario)
    assert opening.event == "queue.counts"
    assert held.event == "comment.held"
    # Ids only: the dashboard re-reads the queue, where who may see what is decided.
    assert held.data.pop("posted_id") == held.data["comment_id"]
    assert held.data == {"type": "comment.held", "site_id": site.pk, "story_id": story.pk,
                         "comment_id": held.data["comment_id"], "status": "pending"}
    assert held.id
    assert recount.event == "queue.counts"
    assert sum(recount.data["counts"].values()) == sum(opening.data["counts"].values()) + 1
    assert leaked is False


def test_readers_and_strangers_cannot_open_the_moderation_stream(live_app: HotPath) -> None:
    token = token_for(make_account())

    async def scenario() -> tuple[Any, Any]:
        anonymous = await open_stream(live_app, URL)
        signed_in = await open_stream(live_app, URL, {"Authorization": f"Bearer {token}"})
        return anonymous, signed_in

    anonymous, signed_in = run(scenario)
    assert anonymous.status == 401
    assert signed_in.status == 401
    assert b"not_authenticated" in anonymous.body
