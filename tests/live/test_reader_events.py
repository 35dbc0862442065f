"""A reader's own live stream: opened with a ticket bound to the session, it hears that a
notification arrived or was read, and nothing of anyone else's."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import sync_to_async

from townhall.pagecache.hotpath import HotPath

from tests.calm import post
from tests.conftest import Api, make_account, make_site, make_story, token_for
from tests.live.conftest import run
from tests.live.harness import open_stream


@pytest.mark.django_db(transaction=True)
def test_a_reply_reaches_the_readers_own_stream_and_reading_it_is_heard_too(
        live_app: HotPath) -> None:
    site, _key = make_site("daily")
    make_story(site, "1.100")
    author, replier, stranger = make_account(), make_account(), make_account()
    mine, theirs = Api(token_for(author)), Api(token_for(stranger))
    top = post(mine, token_for(author), "The ferry timetable is out.")
    ticket = mine.post("me/events/ticket", {}).json()
    assert ticket["events_url"].startswith("/api/v1/me/events?ticket=")
    other_ticket = theirs.post("me/events/ticket", {}).json()
    replier_token = token_for(replier)

    async def scenario() -> tuple[Any, ...]:
        stream = await open_stream(live_app, ticket["events_url"])
        elsewhere = await open_stream(live_app, other_ticket["events_url"])
        await sync_to_async(post)(Api(replier_token), replier_token, "It leaves at six.",
                                  parent_id=top["id"])
        created = await stream.next()
        await sync_to_async(mine.post)("me/notifications/read", {})
        read = await stream.next()
        try:
            await elsewhere.next(timeout=0.5)
            leaked = True
        except TimeoutError:
            leaked = False
        await stream.close()
        await elsewhere.close()
        return created, read, leaked

    created, read, leaked = run(scenario)
    # The event names its kind only: the widget re-reads GET /me/notifications.
    assert (created.event, created.data) == ("notification.created",
                                              {"type": "notification.created"})
    assert (read.event, read.data) == ("notification.read", {"type": "notification.read"})
    assert leaked is False
    assert mine.get("me/notifications").json()["unread_count"] == 0


@pytest.mark.django_db(transaction=True)
def test_a_ticket_opens_nothing_else_and_dies_with_its_session(live_app: HotPath) -> None:
    reader = make_account()
    token = token_for(reader)
    ticket = Api(token).post("me/events/ticket", {}).json()

    async def opened(url: str, headers: dict[str, str] | None = None) -> int:
        stream = await open_stream(live_app, url, headers)
        status = stream.status
        if status == 200:
            await stream.close()
        return status

    assert run(lambda: opened(ticket["events_url"])) == 200
    assert run(lambda: opened("/api/v1/me/events")) == 401
    assert run(lambda: opened("/api/v1/me/events?ticket=forged")) == 401
    # The ticket is not a session token: the API refuses it.
    bare = ticket["ticket"]
    assert Api(bare).get("me/notifications").status_code == 401
    Api(token).delete("sessions/current")
    assert run(lambda: opened(ticket["events_url"])) == 401
    assert Api(None).post("me/events/ticket", {}).status_code == 401
