"""Reading threads: three sorts, cursor pagination, replies, counts."""

from __future__ import annotations

from townhall.comments.models import Comment, Status
from townhall.comments.services import like_add
from townhall.moderation.posting import comment_create
from townhall.stories.models import Story

from tests.conftest import Api, make_account, make_site, make_story, token_for


def _post(story: Story, text: str, parent: int | None = None) -> int:
    comment, _ = comment_create(account=make_account(), story=story, body=text,
                                accept_terms=True, parent_id=parent)
    return comment.pk


def _walk(api: Api, path: str, limit: int) -> list[int]:
    seen: list[int] = []
    cursor = ""
    for _ in range(20):
        page = api.get(f"{path}&limit={limit}" + (f"&cursor={cursor}" if cursor else "")).json()
        seen += [c["id"] for c in page["comments"]]
        cursor = page["next_cursor"]
        if not cursor:
            return seen
    raise AssertionError("pagination did not end")


def test_every_sort_walks_all_top_level_comments_once_across_pages(api: Api) -> None:
    site, _key = make_site()
    story = make_story(site)
    ids = [_post(story, f"Point number {i} about the bridge.") for i in range(7)]
    fans = [make_account() for _ in range(3)]
    for n, fan in enumerate(fans):
        for comment_id in ids[: n + 2]:
            like_add(account=fan, comment=story.comments.get(pk=comment_id))

    base = f"sites/{site.name}/stories/{story.external_id}/comments"
    newest = _walk(api, f"{base}?sort=newest", 3)
    oldest = _walk(api, f"{base}?sort=oldest", 3)
    top = _walk(api, f"{base}?sort=top", 2)
    assert newest == list(reversed(ids))
    assert oldest == ids
    assert top[:2] == [ids[1], ids[0]]
    assert sorted(top) == sorted(ids) and len(top) == len(set(top))


def test_replies_come_in_reading_order_under_their_top_level_comment(api: Api) -> None:
    site, _key = make_site()
    story = make_story(site)
    top = _post(story, "Where will the new stop be?")
    first = _post(story, "Near the library.", top)
    deep = _post(story, "Which library?", first)
    deeper = _post(story, "The one on Main Street.", deep)
    deepest = _post(story, "Thanks!", deeper)
    second = _post(story, "It was in the notice.", top)
    thread = api.get(f"sites/{site.name}/stories/{story.external_id}/comments").json()
    replies = thread["comments"][0]["replies"]
    assert [r["id"] for r in replies] == [first, deep, deeper, deepest, second]
    assert [r["display_depth"] for r in replies] == [1, 2, 3, 3, 1]


def test_a_bad_cursor_or_sort_answers_422_naming_the_field(api: Api) -> None:
    site, _key = make_site()
    story = make_story(site)
    base = f"sites/{site.name}/stories/{story.external_id}/comments"
    for query, field in [("cursor=nonsense", "cursor"), ("sort=loudest", "sort"),
                         ("limit=1000", "limit"), ("limit=abc", "limit")]:
        response = api.get(f"{base}?{query}")
        assert response.status_code == 422, query
        assert response.json()["errors"][0]["field"] == field


def test_counts_for_many_stories_come_from_one_call(api: Api) -> None:
    site, _key = make_site()
    busy, quiet = make_story(site, "a"), make_story(site, "b")
    for text in ("One", "Two"):
        _post(busy, text)
    response = api.get(f"sites/{site.name}/counts?ids=a,b,unknown")
    assert response.json() == {"counts": {"a": 2, "b": 0, "unknown": 0}}
    assert quiet.comment_count == 0


def test_unknown_site_or_story_answers_404(api: Api) -> None:
    make_site()
    assert api.get("sites/nope/stories/x/comments").status_code == 404
    missing = api.get("sites/daily/stories/missing/comments")
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["field"] == "external_id"


def test_the_thread_tells_a_reader_which_comments_they_reported(db: None) -> None:
    site, _key = make_site()
    story = make_story(site, "reported")
    author = make_account()
    comment, _verdict = comment_create(account=author, story=story, accept_terms=True,
                                       body="The bridge vote is on Thursday.")
    reader, other = make_account(), make_account()
    url = f"sites/{site.name}/stories/{story.external_id}/comments"
    reporting = Api(token_for(reader))
    sent = reporting.post(f"comments/{comment.pk}/reports",
                          {"reason": "other", "text": "Not about the story."})
    assert sent.status_code == 201, sent.content
    assert reporting.get(url).json()["comments"][0]["reported"] is True
    assert Api(token_for(other)).get(url).json()["comments"][0]["reported"] is False
    assert Api().get(url).json()["comments"][0]["reported"] is False


def test_a_permalink_answers_the_conversation_around_a_comment_wherever_it_sits(
        api: Api) -> None:
    site, _key = make_site()
    story, other = make_story(site, "s1"), make_story(site, "s2")
    first = _post(story, "The very first point about the bridge.")
    reply = _post(story, "A reply to the first point.", parent=first)
    deeper = _post(story, "A reply to that reply.", parent=reply)
    for i in range(30):
        _post(story, f"Later point number {i} about the bridge.")
    base = f"sites/{site.name}/stories/s1/comments"
    # The first page does not reach it; the permalink brings its whole conversation.
    assert first not in [c["id"] for c in api.get(f"{base}?limit=5").json()["comments"]]
    page = api.get(f"{base}?comment={deeper}").json()
    assert page["linked"] == {"id": deeper, "state": "shown"}
    assert [c["id"] for c in page["comments"]] == [first]
    assert [r["id"] for r in page["comments"][0]["replies"]] == [reply, deeper]
    assert page["next_cursor"] is None
    assert api.get(base).json()["linked"] is None
    # A comment of another story is not found here, nor is one that does not exist.
    elsewhere = _post(other, "A point on the other story.")
    for unknown in (elsewhere, 10**9):
        found = api.get(f"{base}?comment={unknown}").json()
        assert found["linked"] == {"id": unknown, "state": "unknown"} and found["comments"] == []
    bad = api.get(f"{base}?comment=abc")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "comment"


def test_a_permalink_to_a_pending_or_removed_comment_says_so_and_shows_no_text(
        api: Api) -> None:
    site, _key = make_site()
    story = make_story(site, "s1")
    kept = _post(story, "A point that stays up.")
    gone = _post(story, "A point that goes, with a reply.", parent=None)
    answer = _post(story, "An answer to the point that goes.", parent=gone)
    Comment.objects.filter(pk=gone).update(status=Status.REJECTED)
    waiting = Comment.objects.create(story=story, author=make_account(), source="Waiting.",
                                     body_html="<p>Waiting.</p>", status=Status.PENDING,
                                     terms_version=1)
    base = f"sites/{site.name}/stories/s1/comments"
    pending = api.get(f"{base}?comment={waiting.pk}").json()
    assert pending["linked"]["state"] == "pending" and pending["comments"] == []
    removed = api.get(f"{base}?comment={gone}").json()
    assert removed["linked"]["state"] == "removed"
    # Its reply still stands, under a placeholder that carries none of the removed text.
    assert [r["id"] for r in removed["comments"][0]["replies"]] == [answer]
    assert "goes" not in str(removed["comments"][0].get("body_html"))
    assert api.get(f"{base}?comment={kept}").json()["linked"]["state"] == "shown"
