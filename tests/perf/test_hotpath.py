"""The hot read path: same bytes as Django, ETag/304, CDN headers, and immediate invalidation."""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import F

from townhall.comments.models import Comment
from townhall.pagecache import readcache
from townhall.pagecache.hotpath import HotPath
from townhall.stories.models import Story

from tests.conftest import Api, make_account, make_site, make_story, token_for
from tests.live.harness import Reply, request

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = "https://news.example"


def _thread(story: Story, query: str = "") -> str:
    return f"/api/v1/sites/{story.site.name}/stories/{story.external_id}/comments{query}"


def _setup(comments: int = 3) -> tuple[Story, Api, Api]:
    site, _key = make_site(origins=[ORIGIN])
    story = make_story(site)
    writer = Api(token_for(make_account()))
    for n in range(comments):
        writer.post(_thread(story), {"body": f"Comment number {n}.", "accept_terms": True})
    return story, writer, Api(token_for(make_account()))


def _get(app: HotPath, url: str, **headers: str) -> Reply:
    # A fixed request id (as a proxy would send) makes the two paths' headers comparable.
    headers.setdefault("X-Request-ID", "proxy-request-0001")
    return asyncio.run(request(app, url, headers))


def _through_django_then_hot(app: HotPath, url: str, **headers: str) -> tuple[Reply, Reply]:
    before = app.hits
    slow = _get(app, url, **headers)
    assert app.hits == before, "the first read must go through Django"
    fast = _get(app, url, **headers)
    assert app.hits == before + 1, "the second read must come from the hot path"
    return slow, fast


def test_the_hot_path_answers_the_same_bytes_and_headers_as_django(live_app: HotPath) -> None:
    story, _writer, _fan = _setup()
    slow, fast = _through_django_then_hot(live_app, _thread(story, "?sort=oldest&limit=2"))
    assert slow.status == fast.status == 200
    assert fast.body == slow.body
    assert fast.header_set() == slow.header_set()
    assert [c["body"] for c in fast.json()["comments"]] == ["Comment number 0.",
                                                            "Comment number 1."]


def test_each_hot_answer_gets_its_own_request_id(live_app: HotPath) -> None:
    story, _writer, _fan = _setup(comments=1)
    first, second = (asyncio.run(request(live_app, _thread(story))) for _ in range(2))
    third = asyncio.run(request(live_app, _thread(story)))
    assert live_app.hits == 2
    ids = {r.header("X-Request-ID") for r in (first, second, third)}
    assert len(ids) == 3 and None not in ids


def test_shared_pages_carry_an_etag_and_headers_a_cdn_may_hold_briefly(live_app: HotPath) -> None:
    story, _writer, _fan = _setup()
    page = _get(live_app, _thread(story))
    assert (page.header("ETag") or "").startswith('"')
    control = page.header("Cache-Control") or ""
    assert control.startswith("public, max-age=") and "stale-while-revalidate=" in control
    assert page.header("Content-Type") == "application/json; charset=utf-8"


def test_a_matching_etag_gets_304_from_django_and_from_the_hot_path_alike(
        live_app: HotPath) -> None:
    story, _writer, _fan = _setup()
    etag = _get(live_app, _thread(story)).header("ETag") or ""
    live_app.clear()
    hits = live_app.hits
    slow = _get(live_app, _thread(story), **{"If-None-Match": etag})
    assert live_app.hits == hits
    _get(live_app, _thread(story))  # Django's 200 is what the hot path keeps
    fast = _get(live_app, _thread(story), **{"If-None-Match": etag})
    assert live_app.hits == hits + 1
    assert slow.status == fast.status == 304
    assert slow.body == fast.body == b""
    assert fast.header_set() == slow.header_set()
    assert fast.header("ETag") == etag
    other = _get(live_app, _thread(story), **{"If-None-Match": '"stale"'})
    assert other.status == 200


def test_readers_who_accept_gzip_get_the_same_page_compressed_on_both_paths(
        live_app: HotPath) -> None:
    story, _writer, _fan = _setup(comments=5)
    plain = _get(live_app, _thread(story))
    slow, fast = _through_django_then_hot(live_app, _thread(story),
                                          **{"Accept-Encoding": "gzip, deflate, br"})
    assert slow.status == fast.status == 200
    assert fast.body == slow.body and fast.header_set() == slow.header_set()
    assert fast.header("Content-Encoding") == "gzip"
    assert gzip.decompress(fast.body) == plain.body and len(fast.body) < len(plain.body)
    assert "Accept-Encoding" in (fast.header("Vary") or "")
    assert "Accept-Encoding" in (plain.header("Vary") or "")
    assert plain.header("Content-Encoding") is None
    assert fast.header("ETag") != plain.header("ETag")
    again = _get(live_app, _thread(story), **{"Accept-Encoding": "gzip",
                                              "If-None-Match": fast.header("ETag") or ""})
    assert again.status == 304
    refused = _get(live_app, _thread(story), **{"Accept-Encoding": "gzip;q=0, identity"})
    assert refused.header("Content-Encoding") is None and refused.body == plain.body


def test_cors_headers_follow_the_requesting_origin_on_both_paths(live_app: HotPath) -> None:
    story, _writer, _fan = _setup()
    slow, fast = _through_django_then_hot(live_app, _thread(story), Origin=ORIGIN)
    assert slow.header("Access-Control-Allow-Origin") == ORIGIN
    assert fast.header_set() == slow.header_set()
    evil_slow, evil_fast = _through_django_then_hot(live_app, _thread(story),
                                                    Origin="https://evil.example")
    assert evil_slow.header("Access-Control-Allow-Origin") is None
    assert evil_fast.header_set() == evil_slow.header_set()
    assert evil_fast.body == fast.body


def _changes(writer: Api, fan: Api, story: Story, publisher_key: str
             ) -> dict[str, Callable[[], Any]]:
    first = Comment.objects.filter(story=story).order_by("id").first()
    assert first is not None
    base = f"sites/{story.site.name}/stories/{story.external_id}"
    return {
        "new comment": lambda: writer.post(f"{base}/comments",
                                           {"body": "Breaking update.", "accept_terms": True}),
        "edit": lambda: writer.patch(f"comments/{first.pk}", {"body": "Edited words."}),
        "like": lambda: fan.post(f"comments/{first.pk}/like"),
        "unlike": lambda: fan.delete(f"comments/{first.pk}/like"),
        "delete": lambda: writer.delete(f"comments/{first.pk}"),
        "close": lambda: Api(publisher_key).patch(base, {"action": "close"}),
    }


def test_every_visible_change_reaches_the_next_anonymous_read_at_once(live_app: HotPath) -> None:
    site, key = make_site(origins=[ORIGIN])
    story = make_story(site)
    writer, fan = Api(token_for(make_account())), Api(token_for(make_account()))
    writer.post(_thread(story), {"body": "Opening comment.", "accept_terms": True})
    for name, change in _changes(writer, fan, story, key).items():
        _get(live_app, _thread(story))
        before = _get(live_app, _thread(story))
        answer = change()
        assert answer.status_code < 300, (name, answer.content)
        after = _get(live_app, _thread(story))
        assert after.body != before.body, f"{name} did not reach the cached page"
        fresh = Api().get(_thread(story))
        assert after.json() == fresh.json(), name


def test_signed_in_readers_bypass_the_shared_page_and_get_their_overlay(
        live_app: HotPath) -> None:
    story, writer, fan = _setup(comments=1)
    _through_django_then_hot(live_app, _thread(story))
    hits = live_app.hits
    own = _get(live_app, _thread(story), Authorization=f"Bearer {writer.token}")
    assert live_app.hits == hits
    assert own.json()["comments"][0]["mine"] is True
    first = Comment.objects.get(story=story)
    fan.post(f"comments/{first.pk}/like")
    overlay = fan.get(f"sites/{story.site.name}/stories/{story.external_id}/me")
    assert overlay.status_code == 200
    assert overlay.json()["liked"] == [first.pk]
    assert overlay["Cache-Control"] == "private, no-store"
    assert Api().get(f"sites/{story.site.name}/stories/{story.external_id}/me").status_code == 401


def test_the_overlay_lists_own_comments_awaiting_review(live_app: HotPath) -> None:
    site, _key = make_site()
    story = make_story(site, moderation_mode="pre")
    writer = Api(token_for(make_account()))
    writer.post(_thread(story), {"body": "Please review me.", "accept_terms": True})
    shared = _get(live_app, _thread(story)).json()
    overlay = writer.get(f"sites/{site.name}/stories/{story.external_id}/me").json()
    assert shared["comments"] == [] and shared["my_pending"] == []
    assert [c["body"] for c in overlay["my_pending"]] == ["Please review me."]


def test_counts_are_served_hot_and_change_with_a_new_comment(live_app: HotPath) -> None:
    story, writer, _fan = _setup(comments=2)
    url = f"/api/v1/sites/{story.site.name}/counts?ids={story.external_id}"
    slow, fast = _through_django_then_hot(live_app, url)
    assert fast.body == slow.body and fast.json() == {"counts": {story.external_id: 2}}
    writer.post(_thread(story), {"body": "A third.", "accept_terms": True})
    assert _get(live_app, url).json() == {"counts": {story.external_id: 3}}


def test_counts_with_an_unknown_story_are_never_kept(live_app: HotPath) -> None:
    story, _writer, _fan = _setup(comments=1)
    url = f"/api/v1/sites/{story.site.name}/counts?ids={story.external_id},not-yet"
    hits = live_app.hits
    for _ in range(3):
        assert _get(live_app, url).json()["counts"] == {story.external_id: 1, "not-yet": 0}
    assert live_app.hits == hits


def test_a_version_announced_by_another_process_retires_the_page_here(
        live_app: HotPath) -> None:
    story, _writer, _fan = _setup(comments=1)
    _through_django_then_hot(live_app, _thread(story))
    # Another process changed the story: the version reaches this one by announcement.
    Story.objects.filter(pk=story.pk).update(title="Retitled elsewhere", version=F("version") + 5)
    story.refresh_from_db()
    readcache.board.learn(story.pk, story.version)
    hits = live_app.hits
    page = _get(live_app, _thread(story))
    assert live_app.hits == hits
    assert page.json()["story"]["title"] == "Retitled elsewhere"


def test_an_unannounced_change_is_seen_once_the_version_is_rechecked(
        live_app: HotPath, settings: Any) -> None:
    story, _writer, _fan = _setup(comments=1)
    _through_django_then_hot(live_app, _thread(story))
    Story.objects.filter(pk=story.pk).update(title="Changed from the shell",
                                             version=F("version") + 1)
    settings.TOWNHALL_HOT_TTL = 0
    live_app.clear()  # forget the TTL it read
    _get(live_app, _thread(story))
    page = _get(live_app, _thread(story))
    assert page.json()["story"]["title"] == "Changed from the shell"


def test_the_hot_path_survives_concurrent_readers(live_app: HotPath) -> None:
    story, _writer, _fan = _setup(comments=2)

    async def many() -> list[Reply]:
        return await asyncio.gather(*(request(live_app, _thread(story)) for _ in range(30)))

    replies = asyncio.run(many())
    assert {r.body for r in replies} == {replies[0].body}
    assert all(r.status == 200 for r in replies)


def test_an_author_rename_renews_cached_pages(live_app: HotPath) -> None:
    from townhall.stories.services import stories_touch

    story, _writer, _fan = _setup(comments=1)
    first = _get(live_app, _thread(story))
    author = Comment.objects.get(story=story).author
    type(author).objects.filter(pk=author.pk).update(first_name="Renamed")
    stories_touch(stories=Story.objects.filter(comments__author=author))
    after = _get(live_app, _thread(story))
    assert after.body != first.body
    assert "Renamed" in after.json()["comments"][0]["author"]["display_name"]
