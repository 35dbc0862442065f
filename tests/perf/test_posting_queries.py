"""Posting costs the same number of queries whatever the size of the thread or database."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from townhall.comments.models import Comment, Status
from townhall.moderation.posting import comment_create
from townhall.stories.models import Story

from tests.conftest import Api, make_account, make_site, make_story, token_for

# 12 today (24, then 17, before the posting path was trimmed); a little room for a new phase.
MAX_QUERIES = 14


def _queries_to_post(story: Story, parent: int | None = None) -> int:
    api = Api(token_for(make_account()))
    url = f"sites/{story.site.name}/stories/{story.external_id}/comments"
    with CaptureQueriesContext(connection) as captured:
        answer = api.post(url, {"body": "Counting my queries today.", "accept_terms": True,
                                "parent_id": parent})
    assert answer.status_code == 201, answer.content
    return len(captured)


def _fill(story: Story, comments: int) -> int:
    """Post one comment through the service, then add published filler rows in bulk."""
    author = make_account()
    first, _verdict = comment_create(account=author, story=story,
                                     body="The first comment on the thread.", accept_terms=True)
    Comment.objects.bulk_create([
        Comment(story=story, author=author, status=Status.PUBLISHED, source=f"Filler {n}.",
                body_html=f"<p>Filler {n}.</p>", terms_version=first.terms_version)
        for n in range(comments)
    ])
    return first.pk


def test_posting_costs_the_same_queries_on_a_small_and_a_long_thread(db: None) -> None:
    site, _key = make_site()
    small, long = make_story(site, "small"), make_story(site, "long")
    _fill(small, 1)
    parent = _fill(long, 40)
    _queries_to_post(small)  # first posts fill per-site caches
    _queries_to_post(long)
    on_small, on_long = _queries_to_post(small), _queries_to_post(long)
    print(f"posting costs {on_long} queries")
    assert on_small == on_long
    assert on_long <= MAX_QUERIES
    # A reply costs at most a few more (the parent), not more per comment in the thread.
    assert _queries_to_post(long, parent) <= on_long + 4
