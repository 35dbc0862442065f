"""Streams end and browsers reconnect: a reader who had heard nothing yet misses nothing."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import sync_to_async

from townhall.pagecache.hotpath import HotPath

from tests.conftest import Api, make_account, make_site, make_staff, make_story, token_for
from tests.live.conftest import run
from tests.live.harness import SseStream, open_stream

pytestmark = pytest.mark.django_db(transaction=True)


async def opening_id(stream: SseStream) -> str | None:
    """Return the `id:` the stream's first frame gives, if any (a frame without data)."""
    while "\n\n" not in stream.buffer:
        stream.buffer += (await stream.chunks.get()).decode()
    frame, stream.buffer = stream.buffer.split("\n\n", 1)
    ids = [line.removeprefix("id:").strip() for line in frame.split("\n")
           if line.startswith("id:")]
    return ids[-1] if ids else None


def test_a_reader_reconnecting_after_a_quiet_stream_gets_what_was_posted_meanwhile(
        live_app: HotPath) -> None:
    site, _key = make_site(origins=["https://news.example"])
    story = make_story(site)
    writer = Api(token_for(make_account()))
    events = f"/api/v1/sites/{site.name}/stories/{story.external_id}/events"
    comments = f"sites/{site.name}/stories/{story.external_id}/comments"
    missed_id: list[int] = []

    async def scenario() -> tuple[str | None, str | None, Any]:
        await sync_to_async(writer.post)(comments, {"body": "Before.", "accept_terms": True})
        quiet = await open_stream(live_app, events)
        position = await opening_id(quiet)
        await quiet.close()  # the stream ran out; the browser waits, then reconnects
        sent = await sync_to_async(writer.post)(comments,
                                                {"body": "While away.", "accept_terms": True})
        missed_id.append(sent.json()["id"])
        again = await open_stream(live_app, events, {"Last-Event-ID": position or ""})
        kept = await opening_id(again)
        missed = await again.next()
        await again.close()
        return position, kept, missed

    position, kept, missed = run(scenario)
    assert position is not None
    assert missed.event == "comment.published"
    assert missed.data["comment_id"] == missed_id[0]
    # A reader who sent an id keeps it until the backlog has reached them.
    assert kept is None


def test_the_moderation_stream_gives_its_position_too(live_app: HotPath) -> None:
    site, _key = make_site(origins=["https://news.example"])
    story = make_story(site, moderation_mode="pre")
    moderator = token_for(make_staff(sites=[site]))
    writer = Api(token_for(make_account()))
    comments = f"sites/{site.name}/stories/{story.external_id}/comments"
    auth = {"Authorization": f"Bearer {moderator}"}

    async def scenario() -> tuple[str | None, Any]:
        quiet = await open_stream(live_app, "/api/v1/moderation/events", auth)
        position = await opening_id(quiet)
        await quiet.close()
        await sync_to_async(writer.post)(comments, {"body": "Held while away.",
                                                    "accept_terms": True})
        again = await open_stream(live_app, "/api/v1/moderation/events",
                                  {**auth, "Last-Event-ID": position or ""})
        kinds = [(await again.next()).event for _ in range(2)]
        await again.close()
        return position, kinds

    position, kinds = run(scenario)
    assert position is not None
    assert "comment.held" in kinds


def test_the_opening_frame_tells_the_browser_how_long_to_wait_before_reconnecting(
        live_app: HotPath, settings: Any) -> None:
    site, _key = make_site(origins=["https://news.example"])
    story = make_story(site)
    events = f"/api/v1/sites/{site.name}/stories/{story.external_id}/events"

    async def first_frame() -> str:
        stream = await open_stream(live_app, events)
        while "\n\n" not in stream.buffer:
            stream.buffer += (await stream.chunks.get()).decode()
        await stream.close()
        return stream.buffer.split("\n\n", 1)[0]

    settings.TOWNHALL_SSE_RETRY_MS = 3000
    assert "retry: 3000" in run(first_frame).split("\n")
    settings.TOWNHALL_SSE_RETRY_MS = 500
    assert "retry: 500" in run(first_frame).split("\n")
    settings.TOWNHALL_SSE_RETRY_MS = 0  # never every reader back at once
    assert "retry: 100" in run(first_frame).split("\n")
