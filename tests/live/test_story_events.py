"""A story's live stream: what readers see arrive, and what they never see."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.test import Client

from townhall.core import pubsub as brokers
from townhall.pagecache.hotpath import HotPath
from townhall.stories.models import Story

from tests.conftest import Api, make_account, make_site, make_story, token_for
from tests.live.conftest import run
from tests.live.harness import open_stream, request

pytestmark = pytest.mark.django_db(transaction=True)


def _setup(**story_fields: Any) -> tuple[Story, Api, Api]:
    site, _key = make_site(origins=["https://news.example"])
    story = make_story(site, **story_fields)
    writer = Api(token_for(make_account()))
    fan = Api(token_for(make_account()))
    return story, writer, fan


def _events_url(story: Story) -> str:
    return f"/api/v1/sites/{story.site.name}/stories/{story.external_id}/events"


def _comments_url(story: Story) -> str:
    return f"sites/{story.site.name}/stories/{story.external_id}/comments"


def test_a_published_comment_reaches_a_connected_reader_in_its_public_form(
        live_app: HotPath) -> None:
    story, writer, _fan = _setup()

    async def scenario() -> Any:
        stream = await open_stream(live_app, _events_url(story))
        posted = await sync_to_async(writer.post)(
            _comments_url(story), {"body": "The **bridge** vote was close.", "accept_terms": True})
        event = await stream.next()
        await stream.close()
        return stream, posted.json(), event

    stream, posted, event = run(scenario)
    assert stream.status == 200
    assert dict(stream.headers)[b"Content-Type"].startswith(b"text/event-stream")
    assert event.event == "comment.published"
    assert event.id
    # The event names the comment; its text and author are read through the thread.
    assert event.data == {"type": "comment.published", "story_id": story.pk,
                          "comment_id": posted["id"], "parent_id": None, "comment_count": 1}
    thread = Client().get(f"/api/v1/{_comments_url(story)}").json()
    shown = next(c for c in thread["comments"] if c["id"] == event.data["comment_id"])
    assert shown["body_html"] == "<p>The <strong>bridge</strong> vote was close.</p>"
    assert shown["author"]["display_name"] == posted["author"]["display_name"]


def test_edits_likes_removals_and_closing_each_arrive_as_their_own_event(
        live_app: HotPath) -> None:
    story, writer, fan = _setup()

    async def scenario() -> list[Any]:
        stream = await open_stream(live_app, _events_url(story))
        posted = (await sync_to_async(writer.post)(
            _comments_url(story), {"body": "First draft.", "accept_terms": True})).json()
        await sync_to_async(writer.patch)(f"comments/{posted['id']}", {"body": "Second draft."})
        await sync_to_async(fan.post)(f"comments/{posted['id']}/like")
        await sync_to_async(writer.delete)(f"comments/{posted['id']}")
        events = [await stream.next() for _ in range(4)]
        await stream.close()
        return events

    published, edited, liked, removed = run(scenario)
    assert [e.event for e in (published, edited, liked, removed)] == [
        "comment.published", "comment.edited", "comment.liked", "comment.removed"]
    ids_only = {"type", "story_id", "comment_id", "parent_id"}
    assert set(edited.data) == set(liked.data) == ids_only
    assert set(published.data) == set(removed.data) == {*ids_only, "comment_count"}
    assert removed.data["comment_count"] == published.data["comment_count"] - 1
    for event in (published, edited, liked, removed):
        assert "Second draft" not in json.dumps(event.data)
    ids = [brokers.EventId.parse(e.id) for e in (published, edited, liked, removed)]
    assert ids == sorted(ids) and len(set(ids)) == 4


def test_closing_the_story_tells_readers(live_app: HotPath) -> None:
    site, key = make_site(origins=["https://news.example"])
    story = make_story(site)
    publisher = Api(key)

    async def scenario() -> Any:
        stream = await open_stream(live_app, _events_url(story))
        await sync_to_async(publisher.patch)(
            f"sites/{site.name}/stories/{story.external_id}", {"action": "close"})
        event = await stream.next()
        await stream.close()
        return event

    event = run(scenario)
    assert event.event == "story.updated"
    assert event.data["is_open"] is False


def test_a_held_comment_never_reaches_readers(live_app: HotPath) -> None:
    story, writer, _fan = _setup(moderation_mode="pre")

    async def scenario() -> tuple[Any, bool]:
        stream = await open_stream(live_app, _events_url(story))
        posted = (await sync_to_async(writer.post)(
            _comments_url(story), {"body": "Wait for a moderator.", "accept_terms": True})).json()
        try:
            await stream.next(timeout=0.5)
            heard = True
        except TimeoutError:
            heard = False
        await stream.close()
        return posted, heard

    posted, heard = run(scenario)
    assert posted["status"] == "pending"
    assert heard is False


def test_a_reader_who_reconnects_with_last_event_id_gets_what_they_missed_once(
        live_app: HotPath) -> None:
    story, writer, _fan = _setup()

    ids: list[int] = []

    async def post(text: str) -> None:
        answer = await sync_to_async(writer.post)(_comments_url(story),
                                                  {"body": text, "accept_terms": True})
        ids.append(answer.json()["id"])

    async def scenario() -> tuple[list[Any], list[Any]]:
        first = await open_stream(live_app, _events_url(story))
        await post("One.")
        seen = [await first.next()]
        await first.close()
        for text in ("Two.", "Three."):
            await post(text)
        again = await open_stream(live_app, _events_url(story),
                                  {"Last-Event-ID": seen[0].id or ""})
        missed = [await again.next(), await again.next()]
        await post("Four.")
        missed.append(await again.next())
        await again.close()
        return seen, missed

    seen, missed = run(scenario)
    assert [e.data["comment_id"] for e in missed] == ids[1:]
    assert seen[0].data["comment_id"] == ids[0]


def test_a_reader_whose_last_event_fell_out_of_the_log_is_told_to_reload(
        live_app: HotPath, settings: Any) -> None:
    settings.REDIS_URL = None
    brokers.reset_broker()
    story, _writer, _fan = _setup()
    broker = brokers.get_broker()
    assert isinstance(broker, brokers.InProcessBroker)
    channel = f"story:{story.pk}"
    old = broker.publish(channel, {"type": "story.updated"})
    for n in range(brokers.LOG_LENGTH):
        broker.publish(channel, {"type": "story.updated", "n": n})

    async def scenario() -> Any:
        stream = await open_stream(live_app, _events_url(story), {"Last-Event-ID": old})
        event = await stream.next()
        await stream.close()
        return event

    assert run(scenario).event == "reload"


def test_unknown_story_answers_404_in_the_api_error_shape(live_app: HotPath) -> None:
    site, _key = make_site()

    async def scenario() -> Any:
        return await open_stream(live_app, f"/api/v1/sites/{site.name}/stories/nope/events")

    stream = run(scenario)
    assert stream.status == 404
    assert b'"field": "external_id"' in stream.body


def test_the_stream_is_open_to_the_sites_origins_for_the_cross_origin_widget(
        live_app: HotPath) -> None:
    story, _writer, _fan = _setup()

    async def scenario() -> Any:
        stream = await open_stream(live_app, _events_url(story),
                                   {"Origin": "https://news.example"})
        await stream.close()
        other = await open_stream(live_app, _events_url(story), {"Origin": "https://evil.example"})
        await other.close()
        return stream, other

    allowed, refused = run(scenario)
    assert dict(allowed.headers).get(b"Access-Control-Allow-Origin") == b"https://news.example"
    assert b"Access-Control-Allow-Origin" not in dict(refused.headers)


def test_many_subscribers_on_one_story_each_get_the_event(live_app: HotPath) -> None:
    story, writer, _fan = _setup()

    async def scenario() -> list[int]:
        streams = [await open_stream(live_app, _events_url(story)) for _ in range(20)]
        posted = (await sync_to_async(writer.post)(
            _comments_url(story), {"body": "Hello all.", "accept_terms": True})).json()
        got = await asyncio.gather(*(s.next() for s in streams))
        for stream in streams:
            await stream.close()
        assert all(e.data["comment_id"] == posted["id"] for e in got)
        return [e.data["comment_id"] for e in got]

    assert len(run(scenario)) == 20


def test_thread_read_after_an_event_shows_the_comment(live_app: HotPath) -> None:
    story, writer, _fan = _setup()

    async def scenario() -> Any:
        stream = await open_stream(live_app, _events_url(story))
        await request(live_app, "/api/v1/" + _comments_url(story))  # warm the cache
        await sync_to_async(writer.post)(_comments_url(story),
                                         {"body": "Fresh.", "accept_terms": True})
        event = await stream.next()
        page = await request(live_app, "/api/v1/" + _comments_url(story))
        await stream.close()
        return event, page.json()

    event, page = run(scenario)
    assert page["comments"][0]["id"] == event.data["comment_id"]
