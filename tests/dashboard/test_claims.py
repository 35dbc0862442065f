"""Several moderators on one queue: claims over HTTP, and the card a live queue inserts."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from townhall.core import pubsub
from townhall.stories.models import Site

from tests.conftest import Api, make_account, make_site, make_staff, make_story, token_for
from tests.dashboard.test_dashboard import csrf, signed_in

pytestmark = pytest.mark.calendar

PATH = "sites/daily/stories/s1/comments"


@pytest.fixture
def site(db: None) -> Site:
    cache.clear()
    site, _key = make_site()
    make_story(site, "s1", title="Council approves the new bridge")
    return site


def held(body: str) -> int:
    response = Api(token_for(make_account())).post(
        PATH, {"body": body, "accept_terms": True, "review_requested": True})
    return int(response.json()["id"])


def test_a_claim_shows_to_the_other_moderators_only(site: Site) -> None:
    comment_id = held("Will the bridge have a cycle lane?")
    first = make_staff(sites=[site], first_name="Priya", last_name="Raman")
    looking, other = signed_in(first), signed_in(make_staff(sites=[site]))
    heard: list[dict[str, Any]] = []
    broker = pubsub.get_broker()
    original = broker.publish

    def listen(channel: str, message: dict[str, Any]) -> Any:
        heard.append(message)
        return original(channel, message)

    broker.publish = listen  # type: ignore[method-assign]
    try:
        claimed = looking.post(f"/moderation/comments/{comment_id}/claim/",
                               HTTP_X_CSRFTOKEN=csrf(looking))
    finally:
        broker.publish = original  # type: ignore[method-assign]
    assert claimed.status_code == 204
    assert [m["type"] for m in heard] == ["comment.claimed"]
    assert heard[0]["name"] == "Priya Raman" and heard[0]["comment_id"] == comment_id

    theirs = other.get("/moderation/queue/pending/").content.decode()
    assert "Priya Raman is looking at this comment." in theirs
    assert f'data-claim-by="{first.pk}"' in theirs
    mine = looking.get("/moderation/queue/pending/").content.decode()
    assert "Raman is looking" not in mine
    french = other.get("/moderation/queue/pending/?lang=fr").content.decode()
    assert "Priya Raman consulte ce commentaire." in french


def test_claims_and_cards_stay_within_the_moderators_sites(site: Site) -> None:
    comment_id = held("Will the bridge have a cycle lane?")
    elsewhere, _key = make_site("elsewhere")
    stranger = signed_in(make_staff(sites=[elsewhere]))
    refused = stranger.post(f"/moderation/comments/{comment_id}/claim/",
                            HTTP_X_CSRFTOKEN=csrf(stranger))
    assert refused.status_code == 404
    assert stranger.get(f"/moderation/comments/{comment_id}/card/").status_code == 404
    assert cache.get(f"th:claim:{comment_id}") is None
    no_token = signed_in(make_staff(sites=[site])).post(f"/moderation/comments/{comment_id}/claim/")
    assert no_token.status_code == 403


def test_the_card_a_live_queue_inserts_is_the_queue_card(site: Site) -> None:
    comment_id = held("Will the bridge have a cycle lane?")
    client = signed_in(make_staff(sites=[site]))
    card = client.get(f"/moderation/comments/{comment_id}/card/")
    html = card.content.decode()
    assert card.status_code == 200
    assert f'id="comment-{comment_id}"' in html and "cycle lane" in html
    assert 'name="seen" value="' in html and 'value="approve"' in html
    page = client.get("/moderation/queue/pending/").content.decode()
    assert 'data-live="/api/v1/moderation/events"' in page
    filtered = client.get("/moderation/queue/pending/?language=fr").content.decode()
    assert "data-live=" not in filtered
